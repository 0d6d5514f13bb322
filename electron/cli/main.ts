// The engine from a terminal (DESIGN.md §9; parity with the guide's deploy.sh): the same Installer the app
// uses, so a script and the desktop app do exactly the same thing.
//   npm run cli -- check | plan | up | down | status [flags]
// Exit codes: 0 success, 1 failure, 2 usage error.
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline/promises';
import { parseArgs } from 'node:util';
import type { EventPayload, Topic } from '../../shared/contract.js';
import { HostFacts, type HostReport } from '../../shared/api/host.js';
import { MODEL_IDS } from '../../shared/api/settings.js';
import { DEFAULT_RELEASE_ID } from '../../shared/stack.js';
import { reportLines } from '../engine/images/preflight.js';
import { installedRelease } from '../engine/steps/stack.js';
import { ApiException } from '../../shared/result.js';
import { createHostService } from '../engine/host/service.js';
import { Installer, SimpleTasks, type HostProvider, type StartedRun } from '../engine/installer.js';
import { appPaths, defaultDataDir } from '../engine/paths.js';
import { FileSecretStore } from '../engine/secrets/secret-store.js';
import { settingsFit } from '../../shared/fit.js';
import { checkVerdict } from '../engine/host/check-verdict.js';
import { rehearsalReason } from '../engine/steps/rehearsal.js';
import { accessStatus } from '../engine/forward/access.js';
import { formatDoctorReport } from '../engine/doctor/format.js';
import { bundleCommand } from '../engine/bundle/cli.js';
import { tokenCommand } from './token.js';

export const USAGE = `Usage: npm run cli -- <command> [flags]

Commands:
  check     host facts, fit verdict, prerequisites and whether each image of the stack can be pulled
  plan      the stack release, its images and every command and manifest the install would run (nothing is executed)
  up        run the plan (resumes an interrupted run unless --fresh)
  down      tear down (with --stop-cluster, --delete-cluster, --stop-machine)
  status    where each step stands (detect only) and the last run's journal
  doctor    look for what is wrong (pods, events, logs, the last run, the host) and say how to fix it;
            with --fix RULE:FIX apply a fix that changes settings, then run the install again
  bundle    write a support bundle (.tar.gz: logs, journal, settings, doctor, host, the cluster's pods, events
            and container logs — secrets redacted, a MANIFEST first); --out FILE to choose where
  token     set | clear | status: the HF token for gated models (set reads it from stdin only, hidden when typed)

Flags:
  --driver docker|podman   container driver (default: podman when installed, else docker)
  --gpu                    pass the NVIDIA GPU to minikube (Linux only)
  --release ID             the stack release (see resources/releases; default ${DEFAULT_RELEASE_ID})
  --model ID               ${MODEL_IDS.join(' | ')}
  --replicas N             decode replicas (1-8)
  --mirror URL             download base (https://, http:// or file://)
  --yes                    do not ask; required for up/down without a terminal
  --json                   print one JSON document instead of human output
  --fresh                  (up) start a new run even if the last one was interrupted
  --take-over              (up, down) take the run lock from a process that is alive but cannot be shown to be
                           the installer that took it (a reused pid); a lock of a dead process is taken anyway
  --out FILE               (bundle) where to write the archive (default: <app data>/support/)
  --fix RULE:FIX           (doctor) apply one of the fixes the doctor offers (e.g. oom-killed:one-replica)
  --stop-cluster, --delete-cluster, --stop-machine   (down) what to take down besides the stack

Environment: LLMD_INSTALLER_HOME relocates the app data dir; LLMD_HOST_FACTS=<file.json> replaces host
detection with recorded facts (rehearsal and tests); LLMD_REGISTRY_MIRROR=<url> asks every registry through
one mirror (containerd-style ?ns=<registry>), e.g. the simulated registry.`;

const COMMANDS = ['check', 'plan', 'up', 'down', 'status', 'doctor', 'bundle'] as const;
type Command = (typeof COMMANDS)[number];

class UsageError extends Error {}

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  isTTY: boolean;
  ask(question: string): Promise<string>;
}

const stdio: CliIo = {
  out: (t) => process.stdout.write(`${t}\n`),
  err: (t) => process.stderr.write(`${t}\n`),
  isTTY: Boolean(process.stdin.isTTY && process.stdout.isTTY),
  ask: async (q) => {
    const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
    try {
      return await rl.question(q);
    } finally {
      rl.close();
    }
  },
};

function parse(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      driver: { type: 'string' }, gpu: { type: 'boolean' }, model: { type: 'string' }, release: { type: 'string' }, replicas: { type: 'string' },
      mirror: { type: 'string' }, yes: { type: 'boolean', short: 'y' }, json: { type: 'boolean' }, fresh: { type: 'boolean' }, 'take-over': { type: 'boolean' }, fix: { type: 'string' }, out: { type: 'string' },
      'stop-cluster': { type: 'boolean' }, 'delete-cluster': { type: 'boolean' }, 'stop-machine': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const command = positionals[0];
  if (values.help) return { command: undefined, values, overrides: {} };
  if (!command || !(COMMANDS as readonly string[]).includes(command)) throw new UsageError(command ? `Unknown command "${command}".` : 'No command given.');
  if (positionals.length > 1) throw new UsageError(`Unexpected argument "${positionals[1]}".`);
  const overrides: Record<string, unknown> = {};
  if (values.driver !== undefined) {
    if (values.driver !== 'docker' && values.driver !== 'podman') throw new UsageError('--driver must be docker or podman.');
    overrides.driver = values.driver;
  }
  if (values.gpu) overrides.gpu = true;
  if (values.model !== undefined) overrides.model = values.model;
  if (values.release !== undefined) overrides.release = values.release;
  if (values.replicas !== undefined) {
    if (!/^\d+$/.test(values.replicas)) throw new UsageError('--replicas must be a whole number.');
    overrides.replicas = Number(values.replicas);
  }
  if (values.mirror !== undefined) overrides.mirror = values.mirror;
  const downOnly = (['stop-cluster', 'delete-cluster', 'stop-machine'] as const).filter((f) => values[f]);
  if (downOnly.length && command !== 'down') throw new UsageError(`--${downOnly[0]} only applies to down.`);
  if (values.fresh && command !== 'up') throw new UsageError('--fresh only applies to up.');
  if (values['take-over'] && command !== 'up' && command !== 'down') throw new UsageError('--take-over only applies to up and down.');
  if (values.out !== undefined && command !== 'bundle') throw new UsageError('--out only applies to bundle.');
  if (values.fix !== undefined && command !== 'doctor') throw new UsageError('--fix only applies to doctor.');
  if (values.fix !== undefined && !/^[a-z0-9-]+:[a-z0-9-]+$/.test(values.fix)) throw new UsageError('--fix takes RULE:FIX, as `doctor` lists them.');
  return { command: command as Command, values, overrides };
}

function recordedPlatform(file: string): { platform: string; arch: string } | undefined {
  try {
    const f = HostFacts.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
    return f.os === 'other' || f.arch === 'other' ? undefined : { platform: f.os, arch: f.arch };
  } catch {
    return undefined; // the host check reports the broken file with its own error
  }
}

/** Recorded host facts instead of detection (rehearsal, tests): the same fit logic runs on them. */
function hostFromFile(file: string, installer: () => Installer): HostProvider {
  return {
    async check() {
      const facts = HostFacts.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
      const i = installer();
      const { plan } = i.planFor(i.effectiveSettings());
      const { needs, fit } = settingsFit(plan.settings, plan, facts);
      const report: HostReport = { facts, needs, fit, detectedAt: new Date().toISOString() };
      return report;
    },
  };
}

export async function runCli(argv: string[], io: CliIo = stdio, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  if (argv[0] === 'token') return tokenCommand(argv.slice(1), { io, env });
  let parsed;
  try {
    parsed = parse(argv);
  } catch (e) {
    io.err(`${e instanceof Error ? e.message : String(e)}\n\n${USAGE}`);
    return 2;
  }
  const { command, values, overrides } = parsed;
  if (!command) {
    io.out(USAGE);
    return 0;
  }
  const json = values.json === true;
  const dataDir = defaultDataDir(env);
  const tasks = new SimpleTasks();
  const listeners: Array<<T extends Topic>(topic: T, payload: EventPayload<T>) => void> = [];
  // The file host reads the installer's settings lazily (only when a step asks), after it exists.
  const host: HostProvider = env.LLMD_HOST_FACTS ? hostFromFile(env.LLMD_HOST_FACTS, () => installer) : createHostService({ dataDir, env });
  // Recorded facts stand for the whole host: the plan is made for their OS and architecture too (an arm64
  // Mac's facts give the arm64 images), not for the machine the CLI happens to run on.
  const recorded = env.LLMD_HOST_FACTS ? recordedPlatform(env.LLMD_HOST_FACTS) : undefined;
  const installer = new Installer({
    paths: appPaths(dataDir), env, host, tasks, secrets: new FileSecretStore(dataDir), ...recorded,
    emit: (topic, payload) => { for (const l of listeners) l(topic, payload); },
  });

  const fail = (e: unknown): number => {
    const ex = e instanceof ApiException ? e : new ApiException('INTERNAL', e instanceof Error ? e.message : String(e));
    if (json) io.out(JSON.stringify({ ok: false, error: { code: ex.code, message: ex.message, ...(ex.hint ? { hint: ex.hint } : {}) } }, null, 2));
    else io.err(`Error (${ex.code}): ${ex.message}${ex.hint ? `\nWhat to do: ${ex.hint}` : ''}`);
    return ex.code === 'BAD_REQUEST' ? 2 : 1;
  };

  const confirm = async (what: string): Promise<boolean> => {
    if (values.yes) return true;
    if (!io.isTTY) throw new UsageError(`Refusing to ${what} without --yes: no terminal to ask on.`);
    const answer = (await io.ask(`${what}? [y/N] `)).trim().toLowerCase();
    return answer === 'y' || answer === 'yes';
  };

  /** Follows a started run to its end: step lines and state changes (or one JSON document), then the outcome. */
  const follow = async (cmd: 'up' | 'down', started: StartedRun): Promise<number> => {
    if (!json) {
      const seen = new Map<string, string>();
      listeners.push((topic, payload) => {
        if (topic === 'step.log') {
          const p = payload as EventPayload<'step.log'>;
          for (const l of p.lines) io.out(`[${p.stepId}] ${l}`);
        } else if (topic === 'plan.progress') {
          for (const s of (payload as EventPayload<'plan.progress'>).steps) {
            if (seen.get(s.id) === s.state) continue;
            seen.set(s.id, s.state);
            const mark = { running: '▶', done: '✔', skipped: '✔', failed: '✘', cancelled: '■', pending: '' }[s.state];
            if (mark) io.out(`${mark} ${s.id}: ${s.state === 'skipped' ? 'already done' : s.state}${s.message && s.state !== 'running' ? ` — ${s.message}` : ''}`);
          }
        }
      });
    }
    const onSignal = () => tasks.cancelAll();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    const res = await started.result.finally(() => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    });
    if (json) {
      io.out(JSON.stringify({ ok: res.status === 'succeeded', status: res.status, runId: res.journal.runId, steps: res.journal.steps,
        ...(res.error ? { error: { code: res.error.code, message: res.error.message, ...(res.error.hint ? { hint: res.error.hint } : {}) } } : {}) }, null, 2));
    } else if (res.status === 'succeeded') {
      io.out(`${cmd === 'up' ? 'Install' : 'Teardown'} finished (${res.journal.runId}).`);
    } else {
      const failed = res.journal.steps.find((s) => s.state === 'failed');
      io.err(`${cmd === 'up' ? 'Install' : 'Teardown'} ${res.status}${failed ? ` at step ${failed.id}` : ''}: ${res.error?.message ?? ''}`);
      if (res.error?.hint) io.err(`What to do: ${res.error.hint}`);
      if (failed?.logPath) io.err(`Log: ${failed.logPath}`);
      if (cmd === 'up') io.err('Run `npm run cli -- doctor` to see why and how to fix it, or `npm run cli -- up` again to resume from there.');
    }
    return res.status === 'succeeded' ? 0 : 1;
  };

  try {
    switch (command) {
      case 'plan': {
        const plan = await installer.describe(installer.effectiveSettings(overrides));
        if (json) io.out(JSON.stringify(plan, null, 2));
        else {
          io.out(`Stack release: ${plan.release.title} (${plan.release.id}, upstream ${plan.release.upstreamVersion}) for linux/${plan.arch}${plan.accelerator === 'nvidia' ? ' with NVIDIA GPUs' : ''}`);
          for (const i of plan.images) io.out(`  ${i.label}: ${i.ref}${i.overridden ? ` (your override; default ${i.defaultRef})` : ''}${i.vllmVersion ? ` — vLLM ${i.vllmVersion}` : ''}
    source: ${i.source}`);
          if (plan.dtype) io.out(`  Model server dtype: ${plan.dtype.value} — ${plan.dtype.reason}`);
          for (const s of plan.steps) {
            io.out(`■ ${s.title} [${s.id}]${s.needs.length ? ` (after ${s.needs.join(', ')})` : ''}`);
            for (const c of s.commands) io.out(`    $ ${c.join(' ')}`);
            for (const n of s.notes) io.out(`    · ${n}`);
            for (const m of s.manifests) io.out(`    manifest ${m.name}:\n${m.yaml.replace(/^/gm, '      ')}`);
          }
        }
        return 0;
      }
      case 'check': {
        const settings = installer.effectiveSettings(overrides);
        const [report, prereqs, images] = await Promise.all([host.check(), installer.prereqCheck(settings), installer.checkImages(settings)]);
        const verdict = checkVerdict({ fit: report.fit, prereqs, images, rehearsal: rehearsalReason(installer.toolEnv) });
        const ok = verdict.ok;
        if (json) io.out(JSON.stringify({ ok, host: report, prerequisites: prereqs, images }, null, 2));
        else {
          const f = report.facts;
          io.out(`Host: ${f.osName} ${f.osVersion} (${f.archLabel}), ${f.cpuCores} CPUs, ${Math.round(f.memoryBytes / 2 ** 30)} GiB, ${Math.round(f.diskFreeBytes / 1e9)} GB free`);
          io.out(verdict.fitLine);
          for (const a of report.fit.advice) io.out(`  advice: ${a}`);
          io.out(`Driver: ${prereqs.driver}`);
          for (const t of prereqs.tools) {
            io.out(`  ${t.ok ? '✔' : t.required ? '✘' : '·'} ${t.name.padEnd(9)} ${t.installed ? (t.version ?? '?') : 'missing'}${t.required ? '' : ' (optional)'}${t.problem ? ` — ${t.problem}` : ''}`);
          }
          io.out(`Images (${images.release.title}, linux/${images.arch}):`);
          for (const l of reportLines(images)) io.out(`  ${l}`);
          if (verdict.closing) io[verdict.closing.stream](verdict.closing.text);
        }
        return verdict.exitCode;
      }
      case 'status': {
        const settings = installer.effectiveSettings(overrides);
        // Forwards first: a dead gateway forward is restarted, so the access step's detect sees it alive.
        const restarts: string[] = [];
        const access = await accessStatus({ runDir: installer.paths.runDir, env: installer.toolEnv, settings, onRestart: (_i, m) => restarts.push(m) });
        const [journal, status] = [installer.journalView(), await installer.status(settings)];
        // Which stack release the stack step last deployed (its record), beside the one the settings choose.
        const installed = installedRelease(installer);
        if (json) io.out(JSON.stringify({ ...journal, steps: status.steps, ...access, release: settings.release, ...(installed ? { installedRelease: installed } : {}) }, null, 2));
        else {
          io.out(`Stack release: ${settings.release}${installed ? (installed === settings.release ? ' (installed)' : ` (installed: ${installed})`) : ' (not installed)'}`);
          for (const s of status.steps) io.out(`${s.state === 'done' ? '✔' : s.state === 'blocked' ? '✘' : '…'} ${s.title} — ${s.state}${s.reason ? `: ${s.reason}` : ''}`);
          if (journal.journal) io.out(`Last run ${journal.journal.runId}: ${journal.interrupted ? 'interrupted' : journal.journal.status}${journal.resumable ? ' (resumable with `up`)' : ''}`);
          for (const m of restarts) io.out(m);
          for (const f of access.forwards) io.out(`${f.name}: ${f.url}${f.alive ? '' : ' (not running)'} → svc/${f.service}:${f.servicePort} -n ${f.namespace}`);
          if (access.smokeTest) io.out(`Last smoke test (${access.smokeTest.at}): ${access.smokeTest.model} said "${access.smokeTest.reply}"`);
        }
        return 0;
      }
      case 'bundle': {
        const inputs = await installer.bundleInputs(installer.effectiveSettings(overrides));
        return bundleCommand({ ...inputs, out: values.out === undefined ? undefined : path.resolve(values.out), json, io });
      }
      case 'doctor': {
        const settings = installer.effectiveSettings(overrides);
        if (values.fix === undefined) {
          const report = await installer.doctor(settings);
          if (json) io.out(JSON.stringify(report, null, 2));
          else io.out(formatDoctorReport(report));
          return report.results.some((r) => r.outcome === 'finding' && r.finding?.severity === 'error') ? 1 : 0;
        }
        if (!(await confirm(`Apply the fix ${values.fix} and run the install again`))) {
          io.err('Nothing was changed.');
          return 1;
        }
        const { fix } = await installer.applyDoctorFix(values.fix, settings);
        if (!json) io.out(`Applied ${values.fix}: ${fix.kind === 'settings' ? fix.does : fix.label}`);
        return follow('up', await installer.startUp('fresh', overrides));
      }
      case 'up':
      case 'down': {
        let mode: 'fresh' | 'resume' = 'fresh';
        const view = installer.journalView();
        if (command === 'up' && view.resumable && !values.fresh && Object.keys(overrides).length === 0 && view.journal) {
          const finished = view.journal.steps.filter((s) => s.state === 'done' || s.state === 'skipped').map((s) => s.id);
          if (!json) io.out(`The last run (${view.journal.runId}) ${view.interrupted ? 'was interrupted' : `ended ${view.journal.status}`}; finished: ${finished.join(', ') || 'nothing'}.`);
          mode = values.yes || !io.isTTY ? 'resume' : ((await io.ask('Resume it? [Y/n] ')).trim().toLowerCase().startsWith('n') ? 'fresh' : 'resume');
        }
        if (!(await confirm(command === 'up' ? (mode === 'resume' ? 'Resume the install' : 'Install llm-d on this machine') : 'Tear down'))) {
          io.err('Nothing was changed.');
          return 1;
        }
        const startOptions = values['take-over'] ? { takeOver: true } : {};
        const started = command === 'up'
          ? await installer.startUp(mode, overrides, startOptions)
          : await installer.startTeardown({ stopCluster: !!values['stop-cluster'], deleteCluster: !!values['delete-cluster'], stopMachine: !!values['stop-machine'] }, overrides, startOptions);
        return follow(command, started);
      }
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(e.message);
      return 2;
    }
    return fail(e);
  }
}

const isMain = process.argv[1] !== undefined && import.meta.url === new URL(`file://${fs.realpathSync(process.argv[1])}`).href;
if (isMain) {
  runCli(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e: unknown) => {
    process.stderr.write(`Unexpected error: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exitCode = 1;
  });
}
