// `npm run bench` (not part of npm test): what a person feels, measured on the simulated world and in
// Chromium — install efficiency against the DAG's floor and the guide's one-by-one anchor, re-run and
// status, start-up and initial JS, the log pipeline's throughput and memory — plus four engine functions
// in isolation. Figures are printed and written to bench/results.json, never asserted: these machines
// are shared and noisy, so the install is judged by ratios within one run.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { INITIAL_JS_BUDGET_GZIP } from '../scripts/initial-js.js';
import { chatOverhead } from './chat-overhead.js';
import { startChatWorld } from './chat-world.js';
import { logPipeline, podStatusRate, promParseRate, sseDecode } from './engine-functions.js';
import { logFlood } from './log-flood.js';
import { playgroundRender } from './playground-render.js';
import { installEfficiency } from './install-efficiency.js';
import { kb, markdownTable, ms, num, type Row } from './report.js';
import { ROOT } from './sim-world.js';
import { readinessLatency } from './readiness-latency.js';
import { describeInstall, secondInstall } from './second-install.js';
import { startup } from './startup.js';
import { describeBundle, supportBundle } from './support-bundle.js';

const TIME_SCALE = 0.05;

// The web host and the CLI run from out/: measure what the sources build to now.
execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, LLMD_BUILD_QUIET: '1' } });

const started = Date.now();
console.log('bench: install efficiency (two simulated installs, a re-run and status)…');
const install = await installEfficiency(TIME_SCALE);
console.log('bench: second install after down --delete-cluster (download caches)…');
const again = await secondInstall(TIME_SCALE);
console.log('bench: support bundle and doctor after a sim install…');
const bundle = await supportBundle(TIME_SCALE);
console.log('bench: start-up in Chromium…');
const start = await startup(5);
console.log('bench: readiness latency (an install through the web host, then 20 pod restarts)…');
const readiness = await readinessLatency(20);
console.log('bench: log pipeline, engine functions…');
const log = await logPipeline(1_000_000);
const sse = await sseDecode();
const pods = await podStatusRate();
const prom = await promParseRate();
console.log('bench: chat overhead and the Playground at 1,000 tokens/s (two echoing replicas)…');
const chatWorld = await startChatWorld();
let chat: Awaited<ReturnType<typeof chatOverhead>>;
let playground: Awaited<ReturnType<typeof playgroundRender>>;
try {
  chat = await chatOverhead(chatWorld, 25);
  playground = await playgroundRender(chatWorld, 1000);
} finally {
  await chatWorld.teardown();
}
console.log('bench: log flood into the browser (200,000 lines from helmfile during an install)…');
const flood = await logFlood(200_000);

const rows: Row[] = [
  { name: `Install (\`up\`, realistic scenario × ${TIME_SCALE})`, value: ms(install.upMs) },
  { name: 'Floor: the plan DAG\'s critical path (this run\'s step durations)', value: `${ms(install.floorMs)} (${install.floorPath.join(' → ')})` },
  { name: 'Anchor: same steps one by one, no pre-pull (deploy.sh)', value: ms(install.anchorMs) },
  { name: '`up` ÷ floor', value: install.upOverFloor.toFixed(2), target: '≤ 1.05', met: install.upOverFloor <= 1.05 },
  { name: 'Engine time of `up` ÷ floor (without the CLI start)', value: (install.upEngineMs / install.floorMs).toFixed(2) },
  { name: 'Anchor ÷ `up`', value: install.anchorOverUp.toFixed(2), target: '≥ 1.3', met: install.anchorOverUp >= 1.3 },
  { name: 'Re-run `up` on the installed stack: wall / engine', value: `${ms(install.rerunMs)} / ${ms(install.rerunEngineMs)}`, target: 'engine < 1 s', met: install.rerunEngineMs < 1000 },
  { name: '`status` (wall)', value: ms(install.statusMs) },
  { name: 'First install: wall, bytes fetched', value: describeInstall(again.first) },
  { name: 'Second install after `down --delete-cluster`: wall, bytes fetched', value: describeInstall(again.second) },
  { name: 'Support bundle after a sim install (`bundle --out`, wall); the doctor', value: describeBundle(bundle), target: 'bundle < 10 s', met: bundle.bundleMs < 10_000 },
  { name: 'Start-up: web host ready → wizard interactive (median of 5)', value: ms(start.readyToInteractiveMs) },
  { name: 'Welcome page initial JS (fetched before interactive), gzip / as served', value: `${kb(start.initialJs.gzip)} / ${kb(start.initialJs.bytes)} in ${start.initialJs.files} files`, target: `< ${INITIAL_JS_BUDGET_GZIP / 1024} KB gzip`, met: start.initialJs.gzip < INITIAL_JS_BUDGET_GZIP },
  { name: 'All JS after the idle preload of the other pages, gzip / as served', value: `${kb(start.afterIdleJs.gzip)} / ${kb(start.afterIdleJs.bytes)} in ${start.afterIdleJs.files} files` },
  { name: `Readiness: sim pod Ready → Cluster page shows it (${readiness.changes} changes)`, value: `p50 ${ms(readiness.p50Ms)}, p95 ${ms(readiness.p95Ms)}, max ${ms(readiness.maxMs)}`, target: '< 200 ms', met: readiness.p95Ms < 200 },
  { name: 'Engine (web host) RSS, idle with one page open', value: `${start.engineIdleRssMiB.toFixed(0)} MiB` },
  { name: 'Engine (web host) RSS after a sim install through it', value: `${readiness.engineRssAfterInstallMiB.toFixed(0)} MiB` },
  { name: `Log pipeline: ${num(log.lines)} lines through redaction, replay buffer and file`, value: `${num(log.linesPerSec)} lines/s, ${num(log.uiEvents)} UI events (${num(log.linesPerEvent)} lines/event)` },
  { name: `RSS growth after ${num(log.lines)} log lines (heap)`, value: `${log.rssGrowthMiB.toFixed(1)} MiB (heap ${log.heapGrowthMiB.toFixed(1)} MiB)`, target: '< 50 MB', met: log.rssGrowthMiB * 1.048576 < 50 },
  { name: 'SSE decode: one chunk / 64-byte chunks', value: `${sse.wholeMiBs.toFixed(1)} / ${sse.chunkedMiBs.toFixed(1)} MiB/s` },
  { name: 'Pod status', value: `${num(pods)} pods/s` },
  { name: '/metrics parse (400 samples)', value: `${num(prom)} scrapes/s` },
  { name: `Chat: first token through the app vs the gateway (median of ${chat.requests}, replica ${chat.replicaFirstTokenMs} ms)`, value: `${ms(chat.app.firstTokenP50Ms)} vs ${ms(chat.direct.firstTokenP50Ms)}: +${chat.addedFirstTokenMs.toFixed(1)} ms (per pair: p50 +${chat.pairedAddedFirstTokenP50Ms.toFixed(1)}, p95 +${chat.pairedAddedFirstTokenP95Ms.toFixed(1)} ms)`, target: '< 5 ms added', met: chat.addedFirstTokenMs < 5 },
  { name: `Chat: whole reply (${chat.replyTokens} tokens) through the app vs the gateway; app's chat.done`, value: `${ms(chat.app.lastTokenP50Ms)} vs ${ms(chat.direct.lastTokenP50Ms)} (+${chat.addedLastTokenMs.toFixed(1)} ms); done ${ms(chat.app.doneP50Ms)}` },
  { name: `Playground: a ${num(playground.tokens)}-token reply at 1 ms/token in Chromium — longest task, all rendered`, value: `${ms(playground.longestTaskMs)} (${playground.longTasks} long tasks), ${playground.allRendered ? 'all tokens rendered' : 'tokens missing'}; ${playground.tokensPerSecShown} arrived, ${ms(playground.streamMs)}`, target: '≤ 50 ms', met: playground.longestTaskMs <= 50 && playground.allRendered },
  { name: `Log flood: ${num(flood.lines)} lines from helmfile → the Install page's xterm (end to end)`, value: `${num(flood.linesPerSec)} lines/s (${ms(flood.endToEndMs)}); ${num(flood.shownLive)} shown live, ${num(flood.summarisedLive)} summarised`, target: '≥ 100,000 lines/s', met: flood.linesPerSec >= 100_000 },
  { name: 'Log flood: longest main-thread task while it streams', value: `${ms(flood.longestTaskMs)} (${flood.longTasks} long tasks)`, target: '≤ 50 ms', met: flood.longestTaskMs <= 50 },
  { name: '"Show the whole log" (the step\'s file) → all lines in xterm; longest task', value: `${num(flood.wholeLog.linesShown)} lines in ${ms(flood.wholeLog.loadMs)}; ${ms(flood.wholeLog.longestTaskMs)}` },
];

const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}, shared with other work`;
const results = { date: new Date().toISOString(), machine, node: process.version, durationMs: Date.now() - started, install, secondInstall: again, startup: start, readiness, logPipeline: log, sse, podStatusPerSec: pods, promScrapesPerSec: prom, chat, playground, logFlood: flood, supportBundle: bundle, table: rows };
fs.writeFileSync(path.join(ROOT, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log(`\n${results.date} · ${machine} · ${ms(results.durationMs)}\n`);
console.log(markdownTable(rows));
