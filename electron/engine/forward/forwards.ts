// Starts, finds, restarts and stops the detached forwarder processes (gateway 8000, Prometheus 9090,
// Grafana 3000). `status` reports their URLs and restarts a dead one; `down` stops them all.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiException } from '../../../shared/result.js';
import { pidAlive } from '../plan/journal.js';
import { choosePort, type ForwardTarget } from './forward-server.js';
import { forwardsDir, readForwardState, stateFileFor, type ForwardState } from './forward-state.js';
import { recordForwarder, recordsDirFor, stopPid, stopRecordedForwarders } from './forwarder-records.js';

export interface ForwardSpec extends ForwardTarget {
  /** gateway | prometheus | grafana */
  name: string;
  context: string;
  preferredPort: number;
}

/** How to start `node <forwarder> args…` detached; returns the pid. */
export type ForwarderLauncher = (args: string[], env: NodeJS.ProcessEnv) => number | Promise<number>;

/** Finds the forwarder entry: the bundled JS next to a build, else the TS source through tsx. */
export function forwarderCommand(): { node: string; prefix: string[] } {
  const override = process.env.LLMD_FORWARDER_SCRIPT;
  if (override) return { node: process.execPath, prefix: [override] };
  const here = path.dirname(fileURLToPath(import.meta.url));
  const bundled = [path.join(here, 'forwarder.js'), path.join(here, '..', 'forwarder', 'forwarder.js')].find((p) => fs.existsSync(p));
  if (bundled) return { node: process.execPath, prefix: [bundled] };
  const source = path.join(here, 'forwarder-main.ts');
  if (fs.existsSync(source)) {
    // Development and tests: run the TypeScript entry with the project's tsx loader.
    let dir = here;
    while (!fs.existsSync(path.join(dir, 'node_modules', 'tsx')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
    const loader = path.join(dir, 'node_modules', 'tsx', 'dist', 'esm', 'index.mjs');
    return { node: process.execPath, prefix: ['--import', `file://${loader}`, source] };
  }
  throw new ApiException('INTERNAL', 'The port-forward helper is missing from this build.');
}

let defaultLauncher: ForwarderLauncher | undefined;

/**
 * The host process decides how forwarders start: plain Node (CLI, web host) spawns a detached `node`;
 * the packaged desktop app cannot (the RunAsNode fuse is off, so its binary will not run scripts) and
 * sets a launcher over Electron's utilityProcess instead.
 */
export function setForwarderLauncher(launcher: ForwarderLauncher | undefined): void {
  defaultLauncher = launcher;
}

export const nodeLauncher: ForwarderLauncher = (args, env) => {
  const { node, prefix } = forwarderCommand();
  const child = spawn(node, [...prefix, ...args], { detached: true, stdio: 'ignore', env });
  child.unref();
  if (!child.pid) throw new ApiException('INTERNAL', 'Could not start the port-forward helper process.');
  return child.pid;
};

const portAnswers = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const s = net.connect({ port, host: '127.0.0.1' });
    const done = (ok: boolean) => { s.destroy(); resolve(ok); };
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
    s.setTimeout(1000, () => done(false));
  });

export interface ForwardStatus extends ForwardState {
  alive: boolean;
}

export async function forwardStatus(runDir: string, name: string): Promise<ForwardStatus | undefined> {
  const st = readForwardState(stateFileFor(runDir, name));
  if (!st) return undefined;
  return { ...st, alive: pidAlive(st.pid) && (await portAnswers(st.port)) };
}

export async function listForwards(runDir: string): Promise<ForwardStatus[]> {
  let names: string[];
  try {
    names = fs.readdirSync(forwardsDir(runDir)).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5));
  } catch {
    return [];
  }
  const all = await Promise.all(names.map((n) => forwardStatus(runDir, n)));
  return all.filter((s): s is ForwardStatus => s !== undefined);
}

export interface EnsureForwardOptions { runDir: string; env: NodeJS.ProcessEnv; launcher?: ForwarderLauncher; startTimeoutMs?: number }

/**
 * Opens in flight, per run dir and name: concurrent callers share one, so one forwarder is started per name
 * whoever asks (each caller starting its own left all but the last running, unknown to the state file).
 */
const inFlight = new Map<string, Promise<ForwardState>>();

/** Returns a live forward for the spec, starting (or restarting) the forwarder when needed. */
export function ensureForward(spec: ForwardSpec, opts: EnsureForwardOptions): Promise<ForwardState> {
  const key = stateFileFor(path.resolve(opts.runDir), spec.name);
  const pending = inFlight.get(key);
  if (pending) return pending;
  const started = openForward(spec, opts).finally(() => inFlight.delete(key));
  inFlight.set(key, started);
  return started;
}

/**
 * How many times a forwarder is started when its port is taken between choosing it and listening on it
 * (another forwarder, or any program, can bind it in that moment): each new try chooses the port again.
 */
const PORT_RACE_ATTEMPTS = 3;

async function openForward(spec: ForwardSpec, opts: EnsureForwardOptions): Promise<ForwardState> {
  const existing = await forwardStatus(opts.runDir, spec.name);
  if (existing?.alive && existing.context === spec.context && existing.namespace === spec.namespace && existing.service === spec.service && existing.servicePort === spec.servicePort) {
    return existing;
  }
  if (existing) await stopForward(opts.runDir, spec.name);
  const stateFile = stateFileFor(opts.runDir, spec.name);
  const logFile = path.join(forwardsDir(opts.runDir), `${spec.name}.log`);
  fs.mkdirSync(path.dirname(stateFile), { recursive: true });
  const launcher = opts.launcher ?? defaultLauncher ?? nodeLauncher;
  let logTail = '';
  for (let attempt = 1; attempt <= PORT_RACE_ATTEMPTS; attempt++) {
    const port = await choosePort(spec.preferredPort);
    const pid = await launcher([
      '--name', spec.name, '--context', spec.context, '--namespace', spec.namespace, '--service', spec.service,
      '--service-port', String(spec.servicePort), '--local-port', String(port), '--state-file', stateFile,
      '--log-file', logFile, '--record-dir', recordsDirFor(opts.runDir),
    ], opts.env);
    // Recorded before anything else can go wrong here: teardown finds it even if this process dies now.
    await recordForwarder(recordsDirFor(opts.runDir), pid, spec.name);
    const deadline = Date.now() + (opts.startTimeoutMs ?? 15_000);
    // Wait for the child to record itself (it writes the state file once it listens).
    while (Date.now() < deadline) {
      const st = readForwardState(stateFile);
      if (st?.pid === pid) return st;
      if (!pidAlive(pid)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    try { process.kill(pid, 'SIGTERM'); } catch { /* already gone */ }
    logTail = (() => { try { return fs.readFileSync(logFile, 'utf8').trim().split('\n').slice(-3).join(' | '); } catch { return ''; } })();
    // Lost the port to someone else after choosePort found it free: choose again, rather than fail the step.
    if (!(new RegExp(`EADDRINUSE.*:${port}\\b`).test(logTail))) break;
  }
  // The helper exists and ran, so what stopped it is the cluster (no context, unreachable, no Ready pod):
  // an expected condition, not a bug — KUBE, with the helper's own reason from its log.
  throw new ApiException('KUBE', `The port-forward for ${spec.service} did not start.${logTail ? ` ${logTail}` : ''}`, 'Check that the cluster is running and try again.');
}

export async function stopForward(runDir: string, name: string): Promise<boolean> {
  const file = stateFileFor(runDir, name);
  const st = readForwardState(file);
  fs.rmSync(file, { force: true });
  if (!st || !pidAlive(st.pid)) return false;
  await stopPid(st.pid);
  return true;
}

/**
 * Stops every forwarder of this run dir: those the state files name, then every other one whose own
 * record says we started it (forwarder-records.ts) — a forwarder whose state file was lost still listens.
 */
export async function stopAllForwards(runDir: string): Promise<string[]> {
  const all = await listForwards(runDir);
  for (const f of all) await stopForward(runDir, f.name);
  const unnamed = (await stopRecordedForwarders(recordsDirFor(runDir))).filter((r) => r.outcome === 'stopped').map((r) => r.name);
  return [...new Set([...all.map((f) => f.name), ...unnamed])];
}
