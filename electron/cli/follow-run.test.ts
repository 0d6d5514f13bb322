import { describe, expect, it } from 'vitest';
import type { JournalDoc } from '../../shared/api/engine.js';
import { EventBus } from '../engine/events.js';
import { ClientTaskId } from '../../shared/api/tasks.js';
import { failedStepOf, newCliTaskId, runError, watchRun } from './follow-run.js';

describe('following a run on the event bus', () => {
  it('catches a final event that arrives before the start call returned (a short run)', async () => {
    const events = new EventBus();
    const watch = watchRun(events, 't-1', undefined);
    events.emit('task.progress', { taskId: 't-1', kind: 'plan', title: 'Install', state: 'running', fraction: 0.5 });
    events.emit('task.progress', { taskId: 't-1', kind: 'plan', title: 'Install', state: 'failed', fraction: 1, message: 'boom', result: { kind: 'plan', runId: 'r', status: 'failed' } });
    await expect(watch.outcome).resolves.toEqual({ status: 'failed', message: 'boom', runId: 'r' });
    watch.stop();
  });

  it('waits for the final event of its own task only, and prints step lines and state changes once', async () => {
    const events = new EventBus();
    const lines: string[] = [];
    const watch = watchRun(events, 'mine', (l) => lines.push(l));
    const { outcome } = watch;
    events.emit('task.progress', { taskId: 'other', kind: 'plan', title: 'Install', state: 'succeeded', result: { kind: 'plan', runId: 'r', status: 'succeeded' } });
    events.emit('step.log', { stepId: 'stack', seq: 1, lines: ['helm upgrade'] });
    const progress = { runId: 'r', fraction: 0.5, steps: [{ id: 'stack', state: 'running' as const }] };
    events.emit('plan.progress', progress);
    events.emit('plan.progress', progress);
    events.emit('task.progress', { taskId: 'mine', kind: 'plan', title: 'Install', state: 'succeeded', result: { kind: 'plan', runId: 'r', status: 'succeeded' } });
    await expect(outcome).resolves.toEqual({ status: 'succeeded', runId: 'r' });
    expect(lines).toEqual(['[stack] helm upgrade', '▶ stack: running']);
    watch.stop();
    events.emit('step.log', { stepId: 'stack', seq: 2, lines: ['after stop'] });
    expect(lines).toHaveLength(2);
  });

  it('makes ids the engine accepts as a client task id, a new one each time', () => {
    const a = newCliTaskId();
    expect(ClientTaskId.safeParse(a).success).toBe(true);
    expect(newCliTaskId()).not.toBe(a);
  });

  it('reports the failed step’s own error, else the final message', () => {
    const journal = { steps: [{ id: 'ready', state: 'failed', error: { code: 'TIMEOUT', message: 'Ready 1/2', hint: 'wait' } }] } as unknown as JournalDoc;
    expect(runError({ status: 'failed', message: 'Ready 1/2' }, journal)).toEqual({ code: 'TIMEOUT', message: 'Ready 1/2', hint: 'wait' });
    expect(runError({ status: 'cancelled' }, null)).toEqual({ code: 'CANCELLED', message: 'Cancelled by the user.' });
    expect(runError({ status: 'succeeded' }, null)).toBeUndefined();
  });

  it('names the step the run’s result says failed first, though the journal lists another failed step before it', async () => {
    const events = new EventBus();
    const watch = watchRun(events, 't-2', undefined);
    events.emit('task.progress', { taskId: 't-2', kind: 'plan', title: 'Install', state: 'failed', message: 'pull failed', result: { kind: 'plan', runId: 'r', status: 'failed', failedStep: 'image-prepull' } });
    const outcome = await watch.outcome;
    watch.stop();
    const journal = { steps: [
      { id: 'monitoring', state: 'failed', error: { code: 'TOOL_FAILED', message: 'helm: context canceled' } },
      { id: 'image-prepull', state: 'failed', error: { code: 'NETWORK', message: 'pull failed' } },
    ] } as unknown as JournalDoc;
    expect(failedStepOf(outcome, journal)?.id).toBe('image-prepull');
    expect(runError(outcome, journal)).toEqual({ code: 'NETWORK', message: 'pull failed' });
  });
});
