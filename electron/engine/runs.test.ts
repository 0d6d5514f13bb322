import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventPayload, Topic } from '../../shared/contract.js';
import { ApiException } from '../../shared/result.js';
import { appPaths } from './paths.js';
import { MemorySecretStore } from './secrets/secret-store.js';
import type { Step } from './plan/step.js';
import type { RunsService, StartedRun } from './runs.js';
import { testServices } from './services.testkit.js';

const dirs: string[] = [];
const tmp = () => { const d = fs.mkdtempSync(path.join(os.tmpdir(), 'inst-')); dirs.push(d); return d; };
afterEach(() => { for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true }); });

/** A secret store whose reads take a while, like the OS keychain: the window the race needs. */
class SlowSecrets extends MemorySecretStore {
  override async get(name: string): Promise<string | undefined> {
    await new Promise((r) => setTimeout(r, 30));
    return super.get(name);
  }
}

const step = (run: () => Promise<void>): Step => ({ id: 'only', title: 'Only', needs: [], describe: () => ({ commands: [] }), detect: async () => ({ state: 'todo' }), run });

function makeRuns(steps: Step[], onEvent: (runs: RunsService, topic: Topic, payload: unknown) => void = () => {}, home?: string): RunsService {
  const ref: { runs?: RunsService } = {};
  const { runs } = testServices({
    home: home ?? tmp(), steps, secrets: new SlowSecrets(),
    onEvent: (topic, payload) => { if (ref.runs) onEvent(ref.runs, topic, payload); },
  });
  ref.runs = runs;
  return runs;
}

describe('runs service: one run at a time', () => {
  it('of two starts arriving together exactly one runs; the other gets CONFLICT', async () => {
    const runs = makeRuns([step(async () => {})]);
    const outcomes = await Promise.allSettled([runs.startUp('fresh'), runs.startUp('fresh')]);
    const started = outcomes.filter((o): o is PromiseFulfilledResult<StartedRun> => o.status === 'fulfilled');
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(started).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(refused[0]?.reason).toBeInstanceOf(ApiException);
    expect((refused[0]?.reason as ApiException).code).toBe('CONFLICT');
    // This engine's claim refused it: the run lock would too, but would call this engine "another installer process".
    expect((refused[0]?.reason as ApiException).message).not.toMatch(/another installer process/);
    expect((await started[0]!.value.result).status).toBe('succeeded');
  });

  it('a start that fails before running releases its claim', async () => {
    const runs = makeRuns([step(async () => {})]);
    await expect(runs.startUp('fresh', { replicas: 99 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(runs.startUp('resume')).rejects.toMatchObject({ message: expect.stringContaining('no unfinished run') });
    expect((await (await runs.startUp('fresh')).result).status).toBe('succeeded');
  });

  it('a run that recreates the cluster says so in its journal, and resuming it recreates too; a plain run does not', async () => {
    const seen: boolean[] = [];
    let attempts = 0;
    const recording: Step = { ...step(async () => {}), run: async () => {}, detect: async (ctx) => {
      seen.push(ctx.recreateCluster === true);
      attempts += 1;
      if (attempts === 1) throw new Error('boom');
      return { state: 'todo' };
    } };
    const runs = makeRuns([recording]);
    const first = await (await runs.startUp('fresh', {}, { recreateCluster: true })).result;
    expect(first.status).toBe('failed');
    expect(first.journal.recreateCluster).toBe(true);
    expect(runs.journal.read()?.recreateCluster).toBe(true);
    expect((await (await runs.startUp('resume')).result).status).toBe('succeeded');
    const plain = await (await runs.startUp('fresh')).result;
    expect(plain.journal).not.toHaveProperty('recreateCluster');
    expect(seen).toEqual([true, true, false]);
  });

  it('a listener that resumes on the final "failed" event is not told a run is in progress', async () => {
    let attempts = 0;
    let resumed: Promise<StartedRun> | undefined;
    const runs = makeRuns([step(async () => { attempts += 1; if (attempts === 1) throw new Error('boom'); })], (inst, topic, payload) => {
      if (topic === 'task.progress' && (payload as EventPayload<'task.progress'>).state === 'failed') resumed = inst.startUp('resume');
    });
    expect((await (await runs.startUp('fresh')).result).status).toBe('failed');
    expect(resumed).toBeDefined();
    const second = await resumed!;
    expect((await second.result).status).toBe('succeeded');
  });

  it('a second engine on the same data dir (another process) is kept out by the run lock, released when the run ends', async () => {
    const home = tmp();
    let finish: () => void = () => {};
    const first = makeRuns([step(() => new Promise<void>((r) => { finish = r; }))], () => {}, home);
    const second = makeRuns([step(async () => { throw new Error('boom'); })], () => {}, home);
    const lockFile = path.join(appPaths(home).runDir, 'run.lock');
    const running = await first.startUp('fresh');
    expect(fs.existsSync(lockFile)).toBe(true);
    await expect(second.startUp('fresh')).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining(lockFile) });
    finish();
    expect((await running.result).status).toBe('succeeded');
    expect(fs.existsSync(lockFile)).toBe(false);
    // A failed run releases it too.
    expect((await (await second.startUp('fresh')).result).status).toBe('failed');
    expect(fs.existsSync(lockFile)).toBe(false);
  });

  it('a start made the moment the journal says the run ended is not refused, and the lock then says the owner is finishing', async () => {
    const home = tmp();
    const lockFile = path.join(appPaths(home).runDir, 'run.lock');
    const journalFile = appPaths(home).journalFile;
    let next: Promise<StartedRun> | undefined;
    let lockAtEnd: unknown;
    const runs = makeRuns([step(async () => {})], (inst, topic) => {
      // plan.progress goes out right after each journal write, in the same turn: the first time the file says the run
      // ended is the moment a client polling journal.get (or another process reading the file) sees "finished".
      if (topic !== 'plan.progress' || next) return;
      const journal = JSON.parse(fs.readFileSync(journalFile, 'utf8')) as { status: string };
      if (journal.status === 'running') return;
      lockAtEnd = fs.existsSync(lockFile) ? JSON.parse(fs.readFileSync(lockFile, 'utf8')) : null;
      next = inst.startUp('fresh');
    }, home);
    expect((await (await runs.startUp('fresh')).result).status).toBe('succeeded');
    // Another process reading the lock then is told to wait for its release (run-lock.test.ts), not refused.
    expect(lockAtEnd).toMatchObject({ pid: process.pid, finishing: true });
    expect(next).toBeDefined();
    expect((await (await next!).result).status).toBe('succeeded');
    expect(fs.existsSync(lockFile)).toBe(false);
  });

  it('a teardown that fails before running gives the slot back too (withClaim)', async () => {
    const runs = makeRuns([step(async () => {})]);
    await expect(runs.startTeardown({ stopCluster: false, deleteCluster: false, stopMachine: false }, { cpus: 1 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect((await (await runs.startUp('fresh')).result).status).toBe('succeeded');
  });

  it('a run that throws outside any step still sends its final "failed" event and frees the slot and the lock', async () => {
    const home = tmp();
    // The logs folder cannot be made: opening the first step's log throws inside the run itself.
    fs.writeFileSync(path.join(home, 'logs'), 'not a folder');
    const progress: Array<EventPayload<'task.progress'>> = [];
    const runs = makeRuns([step(async () => {})], (_runs, topic, payload) => { if (topic === 'task.progress') progress.push(payload as EventPayload<'task.progress'>); }, home);
    const started = await runs.startUp('fresh');
    await expect(started.result).rejects.toThrow(/ENOTDIR/);
    expect(progress.at(-1)).toMatchObject({ taskId: started.taskId, state: 'failed', message: expect.stringContaining('ENOTDIR') });
    expect(fs.existsSync(path.join(appPaths(home).runDir, 'run.lock'))).toBe(false);
    fs.rmSync(path.join(home, 'logs'));
    expect((await (await runs.startUp('fresh')).result).status).toBe('succeeded');
  });
});

describe('runs service: a teardown after an install', () => {
  const teardown = { stopCluster: false, deleteCluster: false, stopMachine: false };
  const installAndUndo = (ran: string[], failInstall: boolean): Step => ({
    id: 'only', title: 'Only', needs: [], describe: () => ({ commands: [] }), detect: async () => ({ state: 'todo' }),
    run: async (c) => { ran.push('run'); c.log('install line'); if (failInstall) throw new Error('boom'); },
    undo: async (c) => { ran.push('undo'); c.log('teardown line'); },
  });

  it("the teardown's step log holds only the teardown's lines", async () => {
    const ran: string[] = [];
    const runs = makeRuns([installAndUndo(ran, false)]);
    await (await runs.startUp('fresh')).result;
    expect(runs.replayLogs('only').lines).toContain('install line');
    const down = await runs.startTeardown(teardown);
    await down.result;
    const replay = runs.replayLogs('only');
    expect(replay.lines).toContain('teardown line');
    expect(replay.lines).not.toContain('install line');
    expect(replay.runId).toBe(down.runId);
  });

  it('after a successful teardown, resume says there is no install to resume and runs nothing', async () => {
    const ran: string[] = [];
    const runs = makeRuns([installAndUndo(ran, true)]);
    await (await runs.startUp('fresh')).result;
    expect((await runs.journalView()).resumable).toBe(true);
    expect((await (await runs.startTeardown(teardown)).result).status).toBe('succeeded');
    await expect(runs.startUp('resume')).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('The last run was a teardown') });
    expect(ran).toEqual(['run', 'undo']);
  });
});
