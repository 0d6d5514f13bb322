// A run's task takes the client's correlation id (shared/api/tasks.ts ClientTaskId): every task.progress
// event names it with the task's kind and run id, and an id already in use is refused before the run
// lock is taken, so nothing is left held. The registry refuses a second task of one id.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventPayload, Topic } from '../../shared/contract.js';
import type { Step } from './plan/step.js';
import { RUN_LOCK_NAME } from './runs.js';
import { testServices } from './services.testkit.js';
import { TaskRegistry } from './task-registry.js';

const dirs: string[] = [];
const tmp = () => { const d = fs.mkdtempSync(path.join(os.tmpdir(), 'task-ids-')); dirs.push(d); return d; };
afterEach(() => { for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true }); });

const step = (run: () => Promise<void>): Step => ({ id: 'only', title: 'Only', needs: [], describe: () => ({ commands: [] }), detect: async () => ({ state: 'todo' }), run });

describe('task ids from the client', () => {
  it('a run uses the client id, and its every task.progress names it with kind and run id', async () => {
    const events: Array<EventPayload<'task.progress'>> = [];
    const { runs } = testServices({ home: tmp(), steps: [step(async () => {})], onEvent: (t: Topic, p: unknown) => { if (t === 'task.progress') events.push(p as EventPayload<'task.progress'>); } });
    const started = await runs.startUp('fresh', {}, { taskId: 'ui-run-0123456789' });
    expect(started.taskId).toBe('ui-run-0123456789');
    expect((await started.result).status).toBe('succeeded');
    expect(events.length).toBeGreaterThan(1);
    for (const e of events) expect(e).toMatchObject({ taskId: 'ui-run-0123456789', kind: 'plan', runId: started.runId });
    expect(events.at(-1)?.state).toBe('succeeded');

    const down = await runs.startTeardown({ stopCluster: false, deleteCluster: false, stopMachine: false }, {}, { taskId: 'ui-run-teardown-1' });
    await down.result;
    expect(events.at(-1)).toMatchObject({ taskId: 'ui-run-teardown-1', kind: 'teardown', runId: down.runId });
  });

  it('an id in use is refused with CONFLICT before the run lock is taken; the next start runs', async () => {
    const home = tmp();
    const { runs, ctx } = testServices({ home, steps: [step(async () => {})] });
    ctx.tasks.start('chat', { id: 'shared-id-0001', title: 'Chat' });
    await expect(runs.startUp('fresh', {}, { taskId: 'shared-id-0001' })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('shared-id-0001') });
    expect(fs.existsSync(path.join(ctx.paths.runDir, RUN_LOCK_NAME))).toBe(false);
    expect((await (await runs.startUp('fresh', {}, { taskId: 'fresh-id-0002' })).result).status).toBe('succeeded');
  });

  it('the registry takes a client id once at a time, and picks one of its kind otherwise', () => {
    const tasks = new TaskRegistry();
    const a = tasks.start('chat', { id: 'client-id-1', title: 'Chat' });
    expect(a.taskId).toBe('client-id-1');
    expect(tasks.kindOf('client-id-1')).toBe('chat');
    expect(() => tasks.start('plan', { id: 'client-id-1', title: 'Install' })).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    tasks.done('client-id-1');
    expect(tasks.start('plan', { id: 'client-id-1', title: 'Install' }).taskId).toBe('client-id-1');
    expect(tasks.start('prereqs', { title: 'Install helm' }).taskId).toMatch(/^prereqs-/);
  });
});
