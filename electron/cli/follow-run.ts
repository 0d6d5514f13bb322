// Following a run started through the dispatcher: its step lines and state changes from the engine's
// event bus while it goes, then its outcome from the final task.progress event and the journal.
import { randomUUID } from 'node:crypto';
import type { JournalDoc, JournalStep } from '../../shared/api/engine.js';
import type { EventPayload, Topic } from '../../shared/contract.js';
import type { EventBus } from '../engine/events.js';

export interface RunOutcome {
  status: 'succeeded' | 'failed' | 'cancelled';
  /** The final event's message (the first failure, redacted). */
  message?: string;
  /** The run that ended and the step that failed, from the final event's result. */
  runId?: string;
  failedStep?: string;
}

type TaskProgress = EventPayload<'task.progress'>;
type FinalTaskProgress = Extract<TaskProgress, { result: unknown }>;
const isFinal = (p: TaskProgress): p is FinalTaskProgress => p.state !== 'running';

const outcomeOf = (p: FinalTaskProgress): RunOutcome => {
  const run = p.result.kind === 'plan' || p.result.kind === 'teardown' ? p.result : undefined;
  return { status: p.state, ...(p.message ? { message: p.message } : {}), ...(run ? { runId: run.runId } : {}), ...(run?.failedStep ? { failedStep: run.failedStep } : {}) };
};

/** A fresh correlation id for a run this CLI starts (shared/api/tasks.ts ClientTaskId). */
export const newCliTaskId = (): string => `cli-${randomUUID()}`;

/**
 * Follows the task `taskId` — an id the CLI chose and sends with the request that starts the run, so its
 * events are known as they come, even those of a short run that ends before the start call returns.
 * Listens before the run starts, prints progress unless `print` is undefined, and resolves `outcome`
 * when that task reports its final state.
 */
export function watchRun(events: EventBus, taskId: string, print: ((line: string) => void) | undefined) {
  let settle: (o: RunOutcome) => void = () => {};
  const outcome = new Promise<RunOutcome>((resolve) => (settle = resolve));
  const seen = new Map<string, string>();
  const unsubscribe = events.subscribe((topic: Topic, payload: unknown) => {
    if (topic === 'task.progress') {
      const p = payload as TaskProgress;
      if (p.taskId === taskId && isFinal(p)) settle(outcomeOf(p));
    } else if (print && topic === 'step.log') {
      const p = payload as EventPayload<'step.log'>;
      for (const l of p.lines) print(`[${p.stepId}] ${l}`);
    } else if (print && topic === 'plan.progress') {
      for (const s of (payload as EventPayload<'plan.progress'>).steps) {
        if (seen.get(s.id) === s.state) continue;
        seen.set(s.id, s.state);
        const mark = { running: '▶', done: '✔', skipped: '✔', failed: '✘', cancelled: '■', pending: '' }[s.state];
        if (mark) print(`${mark} ${s.id}: ${s.state === 'skipped' ? 'already done' : s.state}${s.message && s.state !== 'running' ? ` — ${s.message}` : ''}`);
      }
    }
  });
  return { outcome, stop: unsubscribe };
}

/** The error to report for a finished run: its failed step's (the one its result names), else the final event's message. */
/** The journal's record of the step the run's result names as failed (else the first failed one it lists). */
export const failedStepOf = (outcome: RunOutcome, journal: JournalDoc | null): JournalStep | undefined =>
  journal?.steps.find((s) => s.id === outcome.failedStep && s.state === 'failed') ?? journal?.steps.find((s) => s.state === 'failed');

export function runError(outcome: RunOutcome, journal: JournalDoc | null): JournalStep['error'] | undefined {
  const failed = failedStepOf(outcome, journal);
  if (failed?.error) return failed.error;
  if (outcome.status === 'succeeded') return undefined;
  return { code: outcome.status === 'cancelled' ? 'CANCELLED' : 'INTERNAL', message: outcome.message ?? (outcome.status === 'cancelled' ? 'Cancelled by the user.' : 'The run failed.') };
}
