import { describe, expect, it } from 'vitest';
import type { JournalDoc, JournalView, PlanProgress, StepProgress } from '../../shared/api/engine.js';
import { countText, isFinished, runView, stepStateText, type RunState } from './run-view.js';

const plan = [{ id: 'host-check' }, { id: 'minikube-start' }, { id: 'stack' }, { id: 'smoke-test' }];
const steps = (...states: Array<[string, StepProgress['state']]>): StepProgress[] => states.map(([id, state]) => ({ id, state }));
const progress = (runId: string, list: StepProgress[]): PlanProgress => ({ runId, steps: list, fraction: 0 });
const journal = (runId: string, kind: 'up' | 'down', status: JournalDoc['status'], over: Partial<JournalView> = {}, list: StepProgress[] = []): JournalView => ({
  journal: { version: 1, runId, kind, status, pid: 1, startedAt: '2026-01-01T00:00:00Z', settings: {}, steps: list },
  resumable: false, interrupted: false, ...over,
});
const up = (runId = 'up-1') => ({ taskId: `plan-${runId}`, runId, kind: 'up' as const });
const down = (runId = 'down-1') => ({ taskId: `teardown-${runId}`, runId, kind: 'down' as const });

describe('isFinished', () => {
  it('is true for done and skipped steps only', () => {
    expect((['pending', 'running', 'done', 'failed', 'skipped', 'cancelled'] as const).filter(isFinished)).toEqual(['done', 'skipped']);
  });
});

describe('runView for the Install page', () => {
  it('idle before anything ran: the plan’s steps, pending, nothing finished', () => {
    const v = runView({ planSteps: plan }, 'up');
    expect(v).toMatchObject({ phase: 'idle', ran: false, finished: 0, resumable: false });
    expect(v.steps.map((s) => [s.id, s.state])).toEqual(plan.map((p) => [p.id, 'pending']));
  });

  it('running: the live progress of the active run, counting done and skipped', () => {
    const live = steps(['host-check', 'skipped'], ['minikube-start', 'done'], ['stack', 'running'], ['smoke-test', 'pending']);
    const v = runView({ planSteps: plan, active: up(), progress: progress('up-1', live) }, 'up');
    expect(v).toMatchObject({ phase: 'running', ran: true, finished: 2 });
    expect(countText(v)).toBe('2 of 4 steps finished');
  });

  it('running before the first event: the plan’s steps, not the previous run’s progress', () => {
    const old = steps(['host-check', 'done'], ['minikube-start', 'done'], ['stack', 'done'], ['smoke-test', 'done']);
    const v = runView({ planSteps: plan, active: up('up-2'), progress: progress('up-1', old) }, 'up');
    expect(v.phase).toBe('running');
    expect(v.finished).toBe(0);
  });

  it('failed: the failed step, retryable when the journal can resume', () => {
    const list = steps(['host-check', 'done'], ['minikube-start', 'failed'], ['stack', 'pending'], ['smoke-test', 'pending']);
    const s: RunState = { planSteps: plan, progress: progress('up-1', list), journal: journal('up-1', 'up', 'failed', { resumable: true }), outcome: { runId: 'up-1', kind: 'up', state: 'failed' } };
    expect(runView(s, 'up')).toMatchObject({ phase: 'failed', failedStep: { id: 'minikube-start' }, resumable: true });
  });

  it('failed with no failed step: the engine’s message', () => {
    const s: RunState = { progress: progress('up-1', []), outcome: { runId: 'up-1', kind: 'up', state: 'failed', message: 'The plan could not be built.' } };
    expect(runView(s, 'up')).toMatchObject({ phase: 'failed', failureMessage: 'The plan could not be built.' });
  });

  it('failed at two steps side by side: the one the result says failed first', () => {
    const list = steps(['host-check', 'done'], ['monitoring', 'failed'], ['image-prepull', 'failed']);
    const s: RunState = { progress: progress('up-1', list), outcome: { runId: 'up-1', kind: 'up', state: 'failed', failedStep: 'image-prepull' } };
    expect(runView(s, 'up')).toMatchObject({ phase: 'failed', failedStep: { id: 'image-prepull' } });
  });

  it('failed with none of its progress seen: the step its result names', () => {
    const s: RunState = { outcome: { runId: 'up-1', kind: 'up', state: 'failed', message: 'helmfile sync failed', failedStep: 'stack' } };
    expect(runView(s, 'up')).toMatchObject({ phase: 'failed', failedStep: { id: 'stack', state: 'failed', message: 'helmfile sync failed' } });
  });

  it('interrupted: the app stopped mid-run and the journal can resume it', () => {
    const list = steps(['host-check', 'done'], ['minikube-start', 'running']);
    const s: RunState = { progress: progress('up-1', list), journal: journal('up-1', 'up', 'running', { interrupted: true, resumable: true }) };
    expect(runView(s, 'up')).toMatchObject({ phase: 'interrupted', resumable: true, finished: 1 });
  });

  it('cancelled: from this session’s outcome, and from the journal after a reload', () => {
    const list = steps(['host-check', 'done'], ['minikube-start', 'cancelled']);
    expect(runView({ progress: progress('up-1', list), outcome: { runId: 'up-1', kind: 'up', state: 'cancelled' } }, 'up').phase).toBe('cancelled');
    const reloaded = runView({ progress: progress('up-1', list), journal: journal('up-1', 'up', 'cancelled', { resumable: true }) }, 'up');
    expect(reloaded).toMatchObject({ phase: 'cancelled', resumable: true });
  });

  it('succeeded: from the outcome, or from the journal of the run on show', () => {
    const list = steps(['host-check', 'skipped'], ['minikube-start', 'done']);
    expect(runView({ progress: progress('up-1', list), outcome: { runId: 'up-1', kind: 'up', state: 'succeeded' } }, 'up')).toMatchObject({ phase: 'succeeded', finished: 2 });
    expect(runView({ progress: progress('up-1', list), journal: journal('up-1', 'up', 'succeeded') }, 'up').phase).toBe('succeeded');
  });

  it('after a teardown: idle again, and says the last run was a teardown', () => {
    const list = steps(['stack', 'done']);
    const v = runView({ planSteps: plan, progress: progress('down-1', list), journal: journal('down-1', 'down', 'succeeded'), outcome: { runId: 'down-1', kind: 'down', state: 'succeeded' } }, 'up');
    expect(v).toMatchObject({ phase: 'idle', ran: false, other: { kind: 'down', running: false } });
    expect(v.steps.every((s) => s.state === 'pending')).toBe(true);
  });
});

describe('runView for the Teardown page', () => {
  it('shows only the steps the teardown undoes, in the order it undoes them, with its own count and words', () => {
    const list = steps(['host-check', 'skipped'], ['minikube-start', 'done'], ['stack', 'done'], ['smoke-test', 'skipped']);
    const v = runView({ planSteps: plan, progress: progress('down-1', list), outcome: { runId: 'down-1', kind: 'down', state: 'succeeded' } }, 'down');
    expect(v.phase).toBe('succeeded');
    expect(v.steps.map((s) => s.id)).toEqual(['stack', 'minikube-start']);
    expect(countText(v)).toBe('2 of 2 steps undone');
    expect(stepStateText('down', 'done')).toBe('Undone');
    expect(stepStateText('up', 'skipped')).toBe('Already done');
  });

  it('running: no install step shows while waiting for the first event', () => {
    const installRun = steps(['host-check', 'done'], ['stack', 'done']);
    const v = runView({ planSteps: plan, active: down(), progress: progress('up-1', installRun) }, 'down');
    expect(v).toMatchObject({ phase: 'running', steps: [], finished: 0 });
  });

  it('idle when the latest run is an install, and says so', () => {
    expect(runView({ planSteps: plan, active: up() }, 'down')).toMatchObject({ phase: 'idle', steps: [], other: { kind: 'up', running: true } });
  });

  it('an interrupted teardown is the Teardown page’s to resume, not the Install page’s', () => {
    const s: RunState = { progress: progress('down-1', steps(['stack', 'running'])), journal: journal('down-1', 'down', 'running', { interrupted: true, resumable: true }) };
    expect(runView(s, 'down').phase).toBe('interrupted');
    expect(runView(s, 'up').phase).toBe('idle');
  });
});
