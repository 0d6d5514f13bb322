// The engine from a terminal (docs/architecture.md §9; parity with the guide's deploy.sh): a third transport over the
// same engine the app runs (createEngine + the typed dispatcher, progress from its event bus), so a script
// and the desktop app do exactly the same thing.
//   npm run cli -- check | plan | up | down | status [flags]
// Exit codes: 0 success, 1 failure, 2 usage error.
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline/promises';
import { parseArgs } from 'node:util';
import type { EventPayload, MethodName, Req, Res } from '../../shared/contract.js';
import { MODEL_IDS } from '../../shared/api/settings.js';
import { DEFAULT_RELEASE_ID } from '../../shared/stack.js';
import { ApiException } from '../../shared/result.js';
import { createEngine, isRehearsal, type Engine } from '../engine/api.js';
import { bundleSummary } from '../engine/bundle/cli.js';
import { formatDoctorReport } from '../engine/doctor/format.js';
import { reportLines } from '../engine/images/preflight.js';
import { defaultDataDir } from '../engine/paths.js';
import { installedRelease } from '../engine/steps/stack.js';
import { failedStepOf, newCliTaskId, runError, watchRun } from './follow-run.js';
import { tokenCommand } from './token.js';
import { checkVerdict } from '../engine/host/check-verdict.js';
import { rehearsalReason } from '../engine/steps/rehearsal.js';

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
  --fix RULE:FIX           (doctor) apply one of the fixes the doctor offers (e.g. oom-killed:one-replica);
                           one that recreates the cluster deletes it first: --yes (or answering y) agrees to that
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
  const engine = openEngine(env);
  try {
    return await runCommand(command, values, overrides, { engine, io, json });
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(e.message);
      return 2;
    }
    return fail(e, io, json);
  } finally {
    await engine.dispose();
  }
}

/** The same engine the app runs (createEngine), over this terminal's data dir; it reads LLMD_HOST_FACTS itself (host/recorded.ts). */
function openEngine(env: NodeJS.ProcessEnv): Engine {
  return createEngine({ dataDir: defaultDataDir(env), transport: 'cli', rehearsal: isRehearsal(env), env });
}

function fail(e: unknown, io: CliIo, json: boolean): number {
  const ex = e instanceof ApiException ? e : new ApiException('INTERNAL', e instanceof Error ? e.message : String(e));
  if (json) io.out(JSON.stringify({ ok: false, error: { code: ex.code, message: ex.message, ...(ex.hint ? { hint: ex.hint } : {}) } }, null, 2));
  else io.err(`Error (${ex.code}): ${ex.message}${ex.hint ? `\nWhat to do: ${ex.hint}` : ''}`);
  return ex.code === 'BAD_REQUEST' ? 2 : 1;
}

interface CommandContext {
  engine: Engine;
  io: CliIo;
  json: boolean;
}

type Values = ReturnType<typeof parse>['values'];

async function runCommand(command: Command, values: Values, overrides: Record<string, unknown>, { engine, io, json }: CommandContext): Promise<number> {
  /** A method of the contract through the dispatcher, as the app calls it; an error envelope is thrown as the ApiException it was. */
  const call = async <M extends MethodName>(method: M, req: Req<M>): Promise<Res<M>> => {
    const r = await engine.dispatcher.call(method, req);
    if (!r.ok) throw new ApiException(r.error.code, r.error.message, r.error.hint, r.error.details);
    return r.value;
  };
  const settingsService = engine.context.settings;
  /** status and check still answer on unreadable settings, and say so: the file, why, and where it will be kept. */
  const settingsWarning = (): string | undefined => {
    const message = settingsService.unreadableMessage();
    if (message && !json) io.err(`Warning: ${message} Showing the defaults; up and down refuse to act until it is fixed.`);
    return message;
  };

  const confirm = async (what: string): Promise<boolean> => {
    if (values.yes) return true;
    if (!io.isTTY) throw new UsageError(`Refusing to ${what} without --yes: no terminal to ask on.`);
    const answer = (await io.ask(`${what}? [y/N] `)).trim().toLowerCase();
    return answer === 'y' || answer === 'yes';
  };

  /** Starts a run through the dispatcher and follows it to its end: step lines and state changes (or one JSON document), then the outcome. */
  const follow = async (cmd: 'up' | 'down', start: (taskId: string) => Promise<{ taskId: string; runId: string }>): Promise<number> => {
    // The run's task id is ours, sent with the start: its events are recognised from the first one.
    const taskId = newCliTaskId();
    const watch = watchRun(engine.events, taskId, json ? undefined : (l) => io.out(l));
    let started: { taskId: string; runId: string } | undefined;
    const onSignal = () => { if (started) void call('task.cancel', { taskId }).catch(() => {}); };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      started = await start(taskId);
      const outcome = await watch.outcome;
      const { journal } = await call('journal.get', {});
      const error = runError(outcome, journal);
      if (json) {
        io.out(JSON.stringify({ ok: outcome.status === 'succeeded', status: outcome.status, runId: journal?.runId ?? started.runId, steps: journal?.steps ?? [],
          ...(error ? { error: { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) } } : {}) }, null, 2));
      } else if (outcome.status === 'succeeded') {
        io.out(`${cmd === 'up' ? 'Install' : 'Teardown'} finished (${journal?.runId ?? started.runId}).`);
      } else {
        const failed = failedStepOf(outcome, journal);
        io.err(`${cmd === 'up' ? 'Install' : 'Teardown'} ${outcome.status}${failed ? ` at step ${failed.id}` : ''}: ${error?.message ?? ''}`);
        if (error?.hint) io.err(`What to do: ${error.hint}`);
        if (failed?.logPath) io.err(`Log: ${failed.logPath}`);
        if (cmd === 'up') io.err('Run `npm run cli -- doctor` to see why and how to fix it, or `npm run cli -- up` again to resume from there.');
      }
      return outcome.status === 'succeeded' ? 0 : 1;
    } finally {
      watch.stop();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  };

  switch (command) {
    case 'plan': {
      const plan = await call('plan.describe', { settings: overrides });
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
      const settingsProblem = settingsWarning();
      // The fit verdict is for the settings these flags make (host.fit), not for the saved ones.
      const settings = settingsService.effective(overrides);
      const [detected, fit, prereqs, images] = await Promise.all([
        call('host.check', {}), call('host.fit', { settings }), call('prereqs.check', { settings: overrides }), call('images.check', { settings: overrides }),
      ]);
      const report = { ...detected, needs: fit.needs, fit: fit.fit };
      const verdict = checkVerdict({ fit: report.fit, prereqs, images, rehearsal: rehearsalReason(engine.context.toolEnv()) });
      const ok = verdict.ok;
      if (json) io.out(JSON.stringify({ ok, host: report, prerequisites: prereqs, images, ...(settingsProblem ? { settingsProblem } : {}) }, null, 2));
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
      const settingsProblem = settingsWarning();
      const settings = settingsService.effective(overrides);
      // Forwards first: a dead gateway forward is restarted (a forward.state event says so), so the
      // access step's detect sees it alive.
      const restarts: string[] = [];
      const stopListening = engine.events.subscribe((topic, payload) => {
        const p = payload as EventPayload<'forward.state'>;
        if (topic === 'forward.state' && p.message) restarts.push(p.message);
      });
      const access = await call('access.status', { settings: overrides }).finally(stopListening);
      const journal = await call('journal.get', {});
      const status = await call('plan.status', { settings: overrides });
      // Which stack release the stack step last deployed (its record), beside the one the settings choose.
      const installed = installedRelease(engine.context);
      if (json) io.out(JSON.stringify({ ...journal, steps: status.steps, ...access, release: settings.release, ...(installed ? { installedRelease: installed } : {}), ...(settingsProblem ? { settingsProblem } : {}) }, null, 2));
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
      const outFile = values.out === undefined ? undefined : path.resolve(values.out);
      let result;
      try {
        result = await call('bundle.create', { settings: overrides, ...(outFile ? { outFile } : {}) });
      } catch (e) {
        // Invalid flags are a usage error as everywhere; a bundle that cannot be written is this command's failure.
        if (e instanceof ApiException && e.code === 'BAD_REQUEST') throw e;
        const message = e instanceof Error ? e.message : String(e);
        const code = e instanceof ApiException ? e.code : 'INTERNAL';
        io.out(json ? JSON.stringify({ ok: false, error: { code, message } }, null, 2) : `Could not write the support bundle: ${message}`);
        return 1;
      }
      io.out(json ? JSON.stringify(result, null, 2) : bundleSummary(result));
      return 0;
    }
    case 'doctor': {
      if (values.fix === undefined) {
        const report = await call('doctor.run', { settings: overrides });
        if (json) io.out(JSON.stringify(report, null, 2));
        else io.out(formatDoctorReport(report));
        return report.results.some((r) => r.outcome === 'finding' && r.finding?.severity === 'error') ? 1 : 0;
      }
      settingsService.requireReadable('apply a doctor fix');
      const fixRef = values.fix;
      // Asked on a terminal with what the fix does, so one that deletes the cluster says so before anyone agrees
      // (--yes agrees to it too; without a terminal confirm refuses as for every action that changes the machine).
      const [ruleId, fixId] = fixRef.split(':');
      const offered = values.yes || !io.isTTY ? undefined
        : (await call('doctor.run', { settings: overrides })).results.find((r) => r.id === ruleId)?.finding?.fixes.find((f) => f.id === fixId);
      const recreates = offered?.kind === 'settings' && offered.recreatesCluster === true;
      if (offered?.kind === 'settings' && !json) io.out(offered.does);
      if (!(await confirm(recreates ? 'Delete the cluster and everything in it, then install again at the new size' : `Apply the fix ${fixRef} and run the install again`))) {
        io.err('Nothing was changed.');
        return 1;
      }
      const deleteCluster = values.yes === true || recreates;
      return follow('up', async (taskId) => {
        // doctor.fix runs the doctor once, applies the fix from that report and answers with it (its wording).
        const started = await call('doctor.fix', { fix: fixRef, settings: overrides, taskId, ...(deleteCluster ? { deleteCluster: true as const } : {}) });
        const { fix } = started;
        if (!json) io.out(`Applied ${fixRef}: ${fix.kind === 'settings' ? fix.does : fix.label}`);
        return started;
      });
    }
    case 'up':
    case 'down': {
      // Nothing that changes the machine acts on defaults guessed for an unreadable settings.json (issue #14).
      settingsService.requireReadable(command === 'up' ? 'install' : 'tear down');
      let mode: 'fresh' | 'resume' = 'fresh';
      const view = await call('journal.get', {});
      if (command === 'up' && view.resumable && !values.fresh && Object.keys(overrides).length === 0 && view.journal) {
        const finished = view.journal.steps.filter((s) => s.state === 'done' || s.state === 'skipped').map((s) => s.id);
        if (!json) io.out(`The last run (${view.journal.runId}) ${view.interrupted ? 'was interrupted' : `ended ${view.journal.status}`}; finished: ${finished.join(', ') || 'nothing'}.`);
        mode = values.yes || !io.isTTY ? 'resume' : ((await io.ask('Resume it? [Y/n] ')).trim().toLowerCase().startsWith('n') ? 'fresh' : 'resume');
      }
      if (!(await confirm(command === 'up' ? (mode === 'resume' ? 'Resume the install' : 'Install llm-d on this machine') : 'Tear down'))) {
        io.err('Nothing was changed.');
        return 1;
      }
      const takeOver = values['take-over'] ? { takeOver: true } : {};
      if (command === 'down') {
        const teardown = { stopCluster: !!values['stop-cluster'], deleteCluster: !!values['delete-cluster'], stopMachine: !!values['stop-machine'] };
        return follow('down', (taskId) => call('plan.teardown', { ...teardown, settings: overrides, ...takeOver, taskId }));
      }
      return follow('up', (taskId) => (mode === 'resume' ? call('plan.resume', { ...takeOver, taskId }) : call('plan.run', { settings: overrides, ...takeOver, taskId })));
    }
  }
}

const isMain = process.argv[1] !== undefined && import.meta.url === new URL(`file://${fs.realpathSync(process.argv[1])}`).href;
if (isMain) {
  runCli(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e: unknown) => {
    process.stderr.write(`Unexpected error: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exitCode = 1;
  });
}
