// The cross-process run lock: one file in the app data run folder, created exclusively, naming the process
// that holds it ({pid, startTime, runId}). Reading the journal and writing it later let two `up` processes
// both start; an exclusive create cannot. A lock left by a process that died is taken over; the start time
// tells a dead owner from an unrelated process that was later given the same pid.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ApiException } from '../../../shared/result.js';
import { pidAlive, processStartTime } from '../process/process-identity.js';

// Kept here for the modules that import it from the lock; it lives with the other process-identity helpers.
export { processStartTime };

export const RunLockOwner = z.object({
  pid: z.number().int(),
  /** The owner's process start time as the OS reports it; null when it could not be read. */
  startTime: z.string().nullable(),
  runId: z.string(),
  /**
   * Set by the owner just before its journal says the run ended (markFinishing): from then on the owner only closes its
   * logs and lets go, so a claimant that read "finished" waits for it instead of being refused.
   */
  finishing: z.boolean().optional(),
});
export type RunLockOwner = z.infer<typeof RunLockOwner>;

export interface RunLock {
  file: string;
  owner: RunLockOwner;
  /** Removes the lock if it is still ours; safe to call more than once. */
  release(): void;
  /** Marks the lock as about to be released (the run is ending); call before the journal's final write. */
  markFinishing(): void;
}

export interface RunLockOptions {
  /** Take over a lock whose owner is alive but cannot be proved to be the process that wrote it. */
  takeOver?: boolean;
  /** Test seams. */
  startTimeOf?: (pid: number) => Promise<string | undefined>;
  alive?: (pid: number) => boolean;
  /** How long to wait for an owner that marked its lock finishing (default FINISHING_WAIT_MS). */
  finishingWaitMs?: number;
}

/**
 * An owner that marked its lock finishing has written its journal's end and only closes its step logs before letting
 * go (milliseconds); a loaded machine can stretch that, and an owner that hangs there still gets refused after this.
 */
export const FINISHING_WAIT_MS = 10_000;
const FINISHING_POLL_MS = 10;

/** Until the lock no longer names `held` (released, or replaced), or the wait runs out. */
async function waitForRelease(file: string, held: RunLockOwner, waitMs: number): Promise<boolean> {
  const deadline = Date.now() + waitMs;
  while (same(readOwner(file), held)) {
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, FINISHING_POLL_MS));
  }
  return true;
}

function readOwner(file: string): RunLockOwner | undefined {
  try {
    const parsed = RunLockOwner.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

const same = (a: RunLockOwner | undefined, b: RunLockOwner | undefined) =>
  !!a && !!b && a.pid === b.pid && a.startTime === b.startTime && a.runId === b.runId;

/** Creates the lock file with its whole content at once: written to a temp file, then hard-linked (fails if present). */
function createExclusive(file: string, owner: RunLockOwner): boolean {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(owner)}\n`, { mode: 0o600, flag: 'wx' });
  try {
    fs.linkSync(tmp, file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

export async function acquireRunLock(file: string, runId: string, opts: RunLockOptions = {}): Promise<RunLock> {
  const startTimeOf = opts.startTimeOf ?? ((pid: number) => processStartTime(pid));
  const alive = opts.alive ?? pidAlive;
  const owner: RunLockOwner = { pid: process.pid, startTime: (await startTimeOf(process.pid)) ?? null, runId };
  // A few rounds: a takeover can lose to another claimant, which then holds a fresh lock and wins.
  for (let round = 0; round < 3; round++) {
    if (createExclusive(file, owner)) return heldLock(file, owner);
    const held = readOwner(file);
    if (held && alive(held.pid)) {
      const now = await startTimeOf(held.pid);
      const verifiable = now !== undefined && held.startTime !== null;
      if (verifiable && now === held.startTime) {
        // Its journal may already say "finished": a claim made right then waits the owner out rather than fail.
        if (held.finishing && await waitForRelease(file, held, opts.finishingWaitMs ?? FINISHING_WAIT_MS)) continue;
        throw new ApiException('CONFLICT', `A run is already in progress in another installer process (pid ${held.pid}): ${held.runId}; its lock is ${file}.`,
          'Close the other window or wait for it to finish.', { pid: held.pid, lockFile: file });
      }
      if (!verifiable && !opts.takeOver) {
        throw new ApiException('CONFLICT', `Process ${held.pid} holds the run lock ${file} and it cannot be told whether that is an installer still running ${held.runId}.`,
          'If no other installer is running, run the same command again with `--take-over` (`npm run cli -- up --take-over`, or `down --take-over`).', { pid: held.pid, lockFile: file });
      }
    }
    // Stale (dead owner, pid reused, unreadable) or taken over on request: move it aside, and only if what
    // was moved is the lock judged above (another claimant may have replaced it meanwhile) drop it.
    const aside = `${file}.stale.${process.pid}.${round}`;
    try {
      fs.renameSync(file, aside);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw e;
    }
    const moved = readOwner(aside);
    if (held && !same(moved, held)) {
      try { fs.linkSync(aside, file); } catch { /* someone holds a newer lock already; it stays theirs */ }
    }
    fs.rmSync(aside, { force: true });
  }
  const last = readOwner(file);
  throw new ApiException('CONFLICT', `A run is already in progress: another installer process${last ? ` (pid ${last.pid})` : ''} took the run lock ${file} first.`, 'Wait for it to finish.',
    { ...(last ? { pid: last.pid } : {}), lockFile: file });
}

function heldLock(file: string, owner: RunLockOwner): RunLock {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    if (same(readOwner(file), owner)) fs.rmSync(file, { force: true });
  };
  const markFinishing = () => {
    if (released || !same(readOwner(file), owner)) return;
    // Replaced whole (temp file + rename), so a reader sees the old content or the new, never half.
    const tmp = `${file}.${process.pid}.finishing.tmp`;
    try {
      fs.writeFileSync(tmp, `${JSON.stringify({ ...owner, finishing: true })}\n`, { mode: 0o600 });
      fs.renameSync(tmp, file);
    } catch {
      // Only a courtesy to the next claimant (it would be refused, as before, instead of waiting): never fail the run.
      fs.rmSync(tmp, { force: true });
    }
  };
  // Exit paths that skip the caller's finally (process.exit, an uncaught exception) still drop the lock.
  process.on('exit', release);
  return { file, owner, release, markFinishing };
}
