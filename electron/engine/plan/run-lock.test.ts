import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireRunLock, processStartTime, type RunLockOwner } from './run-lock.js';

const dirs: string[] = [];
const tmp = () => { const d = fs.mkdtempSync(path.join(os.tmpdir(), 'lock-')); dirs.push(d); return d; };
afterEach(() => { for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true }); });

const DEAD_PID = 2 ** 22 + 12345;
const writeLock = (file: string, owner: RunLockOwner) => { fs.mkdirSync(path.dirname(file), { recursive: true }); fs.writeFileSync(file, JSON.stringify(owner)); };
const read = (file: string): RunLockOwner => JSON.parse(fs.readFileSync(file, 'utf8')) as RunLockOwner;

describe('run lock', () => {
  it('is created exclusively with pid, start time and run id, and released', async () => {
    const file = path.join(tmp(), 'run', 'run.lock');
    const lock = await acquireRunLock(file, 'run-1');
    expect(read(file)).toEqual({ pid: process.pid, startTime: (await processStartTime(process.pid)) ?? null, runId: 'run-1' });
    await expect(acquireRunLock(file, 'run-2')).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining(String(process.pid)) });
    lock.release();
    expect(fs.existsSync(file)).toBe(false);
    (await acquireRunLock(file, 'run-3')).release();
  });

  it('a claim meeting a lock whose owner is finishing (its journal already says the run ended) waits for it, then wins', async () => {
    const file = path.join(tmp(), 'run.lock');
    const first = await acquireRunLock(file, 'ending');
    first.markFinishing();
    expect(read(file)).toMatchObject({ pid: process.pid, runId: 'ending', finishing: true });
    let seen: () => void = () => {};
    const met = new Promise<void>((r) => { seen = r; });
    // `alive` is asked once the claim has found the lock held: only then is the owner let go, so the claim surely met it.
    const second = acquireRunLock(file, 'next', { alive: () => { seen(); return true; } });
    await met;
    first.release();
    const lock = await second;
    expect(read(file)).toMatchObject({ pid: process.pid, runId: 'next' });
    lock.release();
  });

  it('an owner that marked its lock finishing but never lets go is still refused after the wait', async () => {
    const file = path.join(tmp(), 'run.lock');
    const first = await acquireRunLock(file, 'hung');
    first.markFinishing();
    await expect(acquireRunLock(file, 'next', { finishingWaitMs: 30 })).rejects.toMatchObject({ code: 'CONFLICT' });
    first.release();
    expect(fs.existsSync(file)).toBe(false);
  });

  it('of two claimants exactly one wins', async () => {
    const file = path.join(tmp(), 'run.lock');
    const outcomes = await Promise.allSettled([acquireRunLock(file, 'a'), acquireRunLock(file, 'b')]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === 'rejected')).toHaveLength(1);
  });

  it('takes over the lock of a dead pid', async () => {
    const file = path.join(tmp(), 'run.lock');
    writeLock(file, { pid: DEAD_PID, startTime: '1', runId: 'old' });
    const lock = await acquireRunLock(file, 'new');
    expect(read(file)).toMatchObject({ pid: process.pid, runId: 'new' });
    lock.release();
  });

  it('detects a reused pid by its start time and takes the lock over', async () => {
    const file = path.join(tmp(), 'run.lock');
    // This process is alive, but it did not start at this time: the pid was given to someone else.
    writeLock(file, { pid: process.pid, startTime: 'not-my-start-time', runId: 'old' });
    const lock = await acquireRunLock(file, 'new', { startTimeOf: async () => 'my-start-time' });
    expect(read(file)).toMatchObject({ runId: 'new', startTime: 'my-start-time' });
    lock.release();
  });

  it('refuses an alive owner whose start time cannot be read, naming pid and file, unless taken over', async () => {
    const file = path.join(tmp(), 'run.lock');
    writeLock(file, { pid: process.ppid, startTime: null, runId: 'old' });
    const err = await acquireRunLock(file, 'new', { startTimeOf: async () => undefined }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining(`${process.ppid}`), details: { pid: process.ppid, lockFile: file } });
    expect(String((err as Error).message)).toContain(file);
    const lock = await acquireRunLock(file, 'new', { startTimeOf: async () => undefined, takeOver: true });
    expect(read(file)).toMatchObject({ runId: 'new' });
    lock.release();
  });

  it('release leaves a lock that is no longer ours alone', async () => {
    const file = path.join(tmp(), 'run.lock');
    const lock = await acquireRunLock(file, 'mine');
    writeLock(file, { pid: DEAD_PID, startTime: null, runId: 'theirs' });
    lock.release();
    expect(read(file).runId).toBe('theirs');
  });

  it.runIf(process.platform === 'linux')('reads a start time from /proc that stays the same for one process', async () => {
    const t = await processStartTime(process.pid);
    expect(t).toMatch(/^\d+$/);
    expect(await processStartTime(process.pid)).toBe(t);
    expect(await processStartTime(DEAD_PID)).toBeUndefined();
  });
});
