// Log flood into the browser (issue #16): during an install in Chromium (the guide's release, deployed
// with helmfile), the stack step's `helmfile sync` prints
// 200,000 lines (the sim's `toolOutput`). Measured: from the moment the first line was printed (it
// carries the time) to the last one on the Install page's terminal (xterm's rows), the lines that
// reached the page live (the step.log events, counted by a second WebSocket client; the rest the engine
// summarises in one line), and the longest main-thread task meanwhile. Then the step's whole log from
// its file ("Show the whole log"): how long until xterm has it, and the longest task while it loads.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { parse, stringify } from 'yaml';
import { z } from 'zod';
import { FAST, MIRROR_URL, startSimHost } from '../e2e/support/sim-host.js';
import { CHROMIUM_ARGS } from './startup.js';
import { connectWsApi } from './ws-client.js';

export interface LogFlood {
  lines: number;
  /** First line printed → last line on the terminal. */
  endToEndMs: number;
  linesPerSec: number;
  /** Lines the live events carried (the rest were summarised: "… N lines … not shown live"). */
  shownLive: number;
  summarisedLive: number;
  longestTaskMs: number;
  longTasks: number;
  /** "Show the whole log": click → the last line in xterm, the longest task meanwhile, lines shown. */
  wholeLog: { loadMs: number; longestTaskMs: number; linesShown: number };
  screenshots: string[];
}

export const SHOTS = '/tmp/shots-f';
const StepLog = z.object({ stepId: z.string(), lines: z.array(z.string()) });
const JournalView = z.object({ journal: z.object({ status: z.string(), steps: z.array(z.object({ id: z.string(), logPath: z.string().optional(), error: z.object({ message: z.string() }).optional() })) }).nullable() });

// Strings, not functions: tsx would wrap named inner functions in a __name() helper the page lacks.
const RECORD = `(() => {
  const w = window;
  w.__longTasks = [];
  new PerformanceObserver((list) => { for (const e of list.getEntries()) w.__longTasks.push({ at: performance.timeOrigin + e.startTime, ms: e.duration }); })
    .observe({ type: 'longtask', buffered: true });
  w.__drawn = [];
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.target.dataset && r.target.dataset.testid === 'terminal-stack-body') w.__drawn.push({ at: Date.now(), n: Number(r.target.getAttribute('data-lines-drawn')) });
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-lines-drawn'] });
})()`;

interface Drawn { at: number; n: number }
/** When the stack step's terminal had first drawn `n` lines (since it was last redrawn). */
const drawnAt = (page: Page, n: number, since: number) => page.waitForFunction(
  ([n, since]) => (window as unknown as { __drawn: Drawn[] }).__drawn.find((d) => d.n >= n! && d.at >= since!)?.at,
  [n, since], { timeout: 60_000 },
).then(async (h) => Number(await h.jsonValue()));
const longest = async (page: Page, from: number, to: number) => {
  const tasks = await page.evaluate(() => (window as unknown as { __longTasks: Array<{ at: number; ms: number }> }).__longTasks);
  const inside = tasks.filter((t) => t.at + t.ms >= from && t.at <= to);
  return { longestTaskMs: Math.max(0, ...inside.map((t) => t.ms)), longTasks: inside.length };
};

/** Chromium's sampling profiler over CDP; each stop writes one .cpuprofile. */
async function cpuProfiler(page: Page, prefix: string) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  let startedAt = 0;
  return {
    async start() {
      await cdp.send('Profiler.start');
      startedAt = await page.evaluate(() => performance.now());
    },
    async stop(phase: string) {
      const { profile } = await cdp.send('Profiler.stop');
      // The long tasks beside it, in ms since the profile started (to look up what ran in each).
      const tasks = await page.evaluate(() => (window as unknown as { __longTasks: Array<{ at: number; ms: number }> }).__longTasks.map((t) => ({ at: t.at - performance.timeOrigin, ms: t.ms })));
      await fs.writeFile(`${prefix}-${phase}.cpuprofile`, JSON.stringify(profile));
      await fs.writeFile(`${prefix}-${phase}.longtasks.json`, JSON.stringify(tasks.map((t) => ({ at: t.at - startedAt, ms: t.ms })).filter((t) => t.at >= 0)));
    },
  };
}

async function floodScenario(dir: string, lines: number): Promise<string> {
  const doc = parse(await fs.readFile(FAST, 'utf8')) as Record<string, unknown>;
  const file = path.join(dir, 'flood.yaml');
  await fs.writeFile(file, stringify({ ...doc, name: 'log-flood', toolOutput: [{ tool: 'helmfile', match: 'sync', lines }] }));
  return file;
}

export async function logFlood(lines = 200_000): Promise<LogFlood> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bench-flood-'));
  await fs.mkdir(SHOTS, { recursive: true });
  const sim = await startSimHost({ scenario: await floodScenario(dir, lines), settings: { mirror: MIRROR_URL, cpus: 4, memoryMiB: 16384, diskGB: 50, replicas: 2, release: 'llm-d-0.4-cpu-guide' } });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const api = await connectWsApi(sim.port, sim.token);
  try {
    let shownLive = 0;
    let summarisedLive = 0;
    let firstPrintedAt: number | undefined;
    /** The stack step's lines in events up to and with the flood's last line: its terminal's count then. */
    let stackLines = 0;
    let untilLast: number | undefined;
    api.onEvent((e) => {
      if (e.topic !== 'step.log') return;
      const batch = StepLog.parse(e.payload);
      if (batch.stepId !== 'stack') return;
      for (const line of batch.lines) {
        stackLines++;
        if (line.startsWith(`flood ${lines}/${lines} `)) untilLast = stackLines;
        const s = /^… ([\d,]+) lines of fast output not shown live/.exec(line);
        if (s) summarisedLive += Number(s[1]!.replace(/,/g, ''));
        else if (/^flood \d+\//.test(line)) {
          shownLive++;
        }
      }
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const page = await context.newPage();
    await page.addInitScript(RECORD);
    await page.goto(`${sim.url}#/install`);
    await page.getByRole('heading', { level: 1, name: 'Install' }).waitFor();
    // The stack step's own terminal, open before the run: it counts every line of the step.
    await page.getByTestId('timeline').getByTestId('step-stack').getByRole('button', { name: /Show its log/ }).click();
    const terminal = page.getByTestId('terminal-stack');
    await terminal.waitFor();
    // BENCH_FLOOD_PROFILE=<prefix>: a CPU profile of the page per phase (<prefix>-live/-whole.cpuprofile,
    // for DevTools) — to find what makes a long task, not part of the figures.
    const profiler = process.env.BENCH_FLOOD_PROFILE ? await cpuProfiler(page, process.env.BENCH_FLOOD_PROFILE) : undefined;
    await profiler?.start();
    await api.call('plan.run');
    for (const deadline = Date.now() + 240_000; ;) {
      const view = JournalView.parse(await api.call('journal.get'));
      if (view.journal && view.journal.status !== 'running') {
        if (view.journal.status !== 'succeeded') throw new Error(`install ${view.journal.status}: ${view.journal.steps.filter((st) => st.error).map((st) => `${st.id}: ${st.error!.message}`).join('; ')}`);
        // When the first line was printed: the step's log file has every line (live, the first ones of
        // a flood are among those summarised).
        const logPath = view.journal.steps.find((st) => st.id === 'stack')?.logPath;
        const text = logPath ? await fs.readFile(logPath, 'utf8') : '';
        firstPrintedAt = Number(new RegExp(`flood 1/${lines} at=(\\d+)`).exec(text)?.[1]) || undefined;
        break;
      }
      if (Date.now() > deadline) throw new Error('install did not finish within 240 s');
      await new Promise((r) => setTimeout(r, 250));
    }
    if (firstPrintedAt === undefined || untilLast === undefined) throw new Error(`the flood's first line (in the log file) or last line (live) is missing: ${firstPrintedAt} ${untilLast}`);
    const lastShown = await drawnAt(page, untilLast, 0);
    const endToEndMs = lastShown - firstPrintedAt;
    const live = await longest(page, firstPrintedAt, lastShown);
    await profiler?.stop('live');
    await profiler?.start();

    // The whole log, on demand, in the same terminal.
    const clicked = Date.now();
    await terminal.getByTestId('show-whole-log').click();
    await terminal.getByTestId('whole-log-shown').waitFor({ timeout: 60_000 });
    const linesShown = Number((await terminal.getByTestId('terminal-lines').innerText()).replace(/[^\d]/g, ''));
    const loaded = await drawnAt(page, linesShown, clicked);
    const whole = await longest(page, clicked, loaded);
    await profiler?.stop('whole');
    await page.locator('[data-testid="terminal-stack-body"] .xterm-helper-textarea').focus();
    await page.keyboard.press('Control+Home');

    // How it looks: the top of the whole log (scrolled up), at two window sizes, light and dark.
    const screenshots: string[] = [];
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const [w, h] of [[1280, 720], [1024, 700]] as const) {
        await page.setViewportSize({ width: w, height: h });
        await terminal.scrollIntoViewIfNeeded();
        const file = path.join(SHOTS, `whole-log-${w}x${h}-${scheme}.png`);
        await page.screenshot({ path: file });
        screenshots.push(file);
      }
    }
    await context.close();
    return {
      lines, endToEndMs, linesPerSec: lines / (endToEndMs / 1000), shownLive, summarisedLive, ...live,
      wholeLog: { loadMs: loaded - clicked, longestTaskMs: whole.longestTaskMs, linesShown }, screenshots,
    };
  } finally {
    api.close();
    await browser.close();
    await sim.dispose();
    await fs.rm(dir, { recursive: true, force: true });
  }
}

// `npx tsx bench/log-flood.ts` runs this figure alone (after `npm run build`: the web host serves out/).
if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await logFlood(Number(process.env.BENCH_FLOOD_LINES ?? 200_000));
  console.log(`log flood: ${Math.round(r.linesPerSec).toLocaleString('en')} lines/s (${Math.round(r.endToEndMs)} ms); ${r.shownLive} shown live, ${r.summarisedLive} summarised`);
  console.log(`  longest task while it streams: ${Math.round(r.longestTaskMs)} ms (${r.longTasks} long tasks)`);
  console.log(`whole log: ${r.wholeLog.linesShown} lines in ${Math.round(r.wholeLog.loadMs)} ms; longest task ${Math.round(r.wholeLog.longestTaskMs)} ms`);
  console.log(`screenshots: ${r.screenshots.join(' ')}`);
}
