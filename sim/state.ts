// Everything the simulated world remembers lives under one folder (env LLMD_SIM_STATE), so separate
// processes (a `minikube` call, a `helmfile` call, the cluster process) share one world.
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Fault, Scenario } from './scenario.js';

export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.LLMD_SIM_STATE || join(tmpdir(), 'llmd-sim-state');
  mkdirSync(dir, { recursive: true });
  return dir;
}

export const clusterDir = (state: string, profile: string): string => join(state, 'clusters', profile);

export function readJson<T>(file: string, fallback: T): T {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return fallback;
  }
}

/** Atomic write (temp file + rename) so a reader in another process never sees half a file. */
export function writeJson(file: string, value: unknown): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, JSON.stringify(value, null, 2));
  renameSync(tmp, file);
}

const sleepSync = (ms: number): void => { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms); };

/**
 * Read-modify-write of a JSON file that several processes change (the `minikube image pull` processes and
 * the cluster's kubelet all add to a node's images.json): under a lock (a directory made beside it, which
 * mkdir creates for one process only), so no process's addition is lost to another's write — a real node's
 * image store never forgets a pulled image. A lock older than `staleMs` belongs to a process that died
 * holding it and is taken over.
 */
export function updateJson<T>(file: string, fallback: T, change: (current: T) => T, staleMs = 5000): T {
  mkdirSync(dirname(file), { recursive: true });
  const lock = `${file}.lock`;
  for (let waited = 0; ; waited += 2) {
    try {
      mkdirSync(lock);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      try { if (Date.now() - statSync(lock).mtimeMs > staleMs) rmSync(lock, { recursive: true, force: true }); } catch { /* released meanwhile */ }
      if (waited > 30_000) throw new Error(`${lock}: held for more than 30 s`, { cause: e });
      sleepSync(2);
    }
  }
  try {
    const next = change(readJson(file, fallback));
    writeJson(file, next);
    return next;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export function removePath(path: string): void {
  rmSync(path, { recursive: true, force: true });
}

/** A stable key for a fault entry: its index in the scenario plus its kind. */
const faultKey = (scenario: Scenario, fault: Fault): string => `${scenario.faults.indexOf(fault)}:${fault.kind}`;

/**
 * Whether a fault may fire now, counting the firing when it does. A fault with `times: n` fires n times
 * then clears, so a Retry after a failure can succeed; the count is kept in the state folder because each
 * tool call is a separate process.
 */
export function consumeFault(state: string, scenario: Scenario, fault: Fault): boolean {
  const times = 'times' in fault ? fault.times : undefined;
  const file = join(state, 'fault-firings.json');
  const counts = readJson<Record<string, number>>(file, {});
  const key = faultKey(scenario, fault);
  const fired = counts[key] ?? 0;
  if (times !== undefined && fired >= times) return false;
  counts[key] = fired + 1;
  writeJson(file, counts);
  return true;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
