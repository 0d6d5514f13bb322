// What the Install and Teardown pages show about a run, as one pure function of the install store's
// state: which phase the run is in, which steps belong to it, how many are finished and what can be done
// next. The pages render this; they derive nothing themselves, so each rule lives once and is tested
// (run-view.test.ts) without a browser.
import type { JournalView, PlanProgress, StepProgress, StepState } from '../../shared/api/engine.js';
import { isFinished } from '../../shared/step-states.js';

export type RunKind = 'up' | 'down';

export interface ActiveRun {
  /** Chosen by the renderer and sent with the start (api/task-ids.ts), or adopted from a run started elsewhere. */
  taskId: string;
  /** Known once the engine answers the start, or from the run's first event. */
  runId?: string;
  kind: RunKind;
}

/** How a run of this session ended (task.progress), with the engine's message. */
export interface RunOutcome {
  runId: string;
  kind: RunKind;
  state: 'succeeded' | 'failed' | 'cancelled';
  message?: string;
  /** The step that failed, from the run's result (known even when no progress of the run was seen). */
  failedStep?: string;
}

export interface RunState {
  /** The plan's steps (install order), shown as pending before the first install. */
  planSteps?: ReadonlyArray<{ id: string }>;
  progress?: PlanProgress;
  journal?: JournalView;
  active?: ActiveRun;
  outcome?: RunOutcome;
}

// The pages' and the engine's one "finished" rule (shared/step-states.ts).
export { isFinished };

export type RunPhase = 'idle' | 'running' | 'failed' | 'interrupted' | 'cancelled' | 'succeeded';

export interface RunView {
  phase: RunPhase;
  /** The run kind this view is about (the page's). */
  kind: RunKind;
  /** Whether a run of this kind ever happened that the view can show (false: "Ready to start"). */
  ran: boolean;
  /** The steps of this run: for a teardown only those it undoes (the rest have nothing to undo). */
  steps: StepProgress[];
  finished: number;
  failedStep?: StepProgress;
  /** Why the run failed when no step carries it (e.g. the plan could not be built). */
  failureMessage?: string;
  /** The journal can carry the run on: Retry (failed), Resume (interrupted or cancelled). */
  resumable: boolean;
  /** The latest run is of the other kind (e.g. a teardown while the Install page is open). */
  other?: { kind: RunKind; running: boolean };
}

const kindOfLatest = (s: RunState): RunKind | undefined => s.active?.kind ?? s.outcome?.kind ?? s.journal?.journal?.kind ?? undefined;

/**
 * The run's steps as the page lists them. A teardown's skipped steps have nothing to undo (they are the
 * install's, not its own), and it undoes the plan from the end, so its list reads in that order.
 */
const ownSteps = (kind: RunKind, steps: readonly StepProgress[]): StepProgress[] =>
  kind === 'down' ? steps.filter((st) => st.state !== 'skipped').reverse() : [...steps];

export function runView(s: RunState, kind: RunKind): RunView {
  const latest = kindOfLatest(s);
  const idle = (other?: RunView['other']): RunView => ({
    phase: 'idle', kind, ran: false, finished: 0, resumable: false,
    steps: kind === 'up' ? (s.planSteps ?? []).map((st) => ({ id: st.id, state: 'pending' as const })) : [],
    ...(other ? { other } : {}),
  });
  if (latest === undefined) return idle();
  if (latest !== kind) return idle({ kind: latest, running: s.active !== undefined });

  // The run on show: the one running, else the one that just ended, else the journal's.
  const runId = s.active?.runId ?? s.outcome?.runId ?? s.journal?.journal?.runId;
  const progress = s.progress?.runId === runId ? s.progress : undefined;
  const steps = progress ? ownSteps(kind, progress.steps) : s.active ? idle().steps : [];
  const finished = steps.filter((st) => isFinished(st.state)).length;
  const base = { kind, ran: true, steps, finished, resumable: false };
  if (s.active) return { ...base, phase: 'running' };

  const journal = s.journal?.journal?.runId === runId ? s.journal : undefined;
  const resumable = journal?.resumable === true;
  const outcome = s.outcome?.runId === runId ? s.outcome : undefined;
  // The run's result names the step that failed first (a step beside it may fail after it), even when this window
  // saw none of the run's progress (it ended first).
  const failedStep = steps.find((st) => st.state === 'failed' && st.id === outcome?.failedStep)
    ?? steps.find((st) => st.state === 'failed')
    ?? (outcome?.state === 'failed' && outcome.failedStep ? { id: outcome.failedStep, state: 'failed' as const, ...(outcome.message ? { message: outcome.message } : {}) } : undefined);
  if (journal?.interrupted && resumable) return { ...base, phase: 'interrupted', resumable };
  if (failedStep) return { ...base, phase: 'failed', failedStep, resumable };
  if (outcome?.state === 'failed') return { ...base, phase: 'failed', resumable, ...(outcome.message ? { failureMessage: outcome.message } : {}) };
  const status = outcome?.state ?? journal?.journal?.status;
  if (status === 'cancelled') return { ...base, phase: 'cancelled', resumable };
  if (status === 'succeeded') return { ...base, phase: 'succeeded' };
  if (status === 'failed') return { ...base, phase: 'failed', resumable };
  // A journal still "running" whose process is alive elsewhere, or not read yet: nothing to conclude.
  return { ...base, phase: 'idle' };
}

const UP_TEXT: Record<StepState, string> = {
  pending: 'Pending', running: 'Running', done: 'Done', failed: 'Failed', skipped: 'Already done', cancelled: 'Cancelled',
};
const DOWN_TEXT: Record<StepState, string> = {
  pending: 'Waiting', running: 'Undoing', done: 'Undone', failed: 'Failed', skipped: 'Nothing to undo', cancelled: 'Cancelled',
};

/** A step's state in the words of the run: an install's "Already done" is a teardown's "Nothing to undo". */
export const stepStateText = (kind: RunKind, state: StepState): string => (kind === 'down' ? DOWN_TEXT : UP_TEXT)[state];

/** "3 of 5 steps finished" / "3 of 5 steps undone". */
export const countText = (v: Pick<RunView, 'kind' | 'finished' | 'steps'>): string =>
  `${v.finished} of ${v.steps.length} steps ${v.kind === 'down' ? 'undone' : 'finished'}`;
