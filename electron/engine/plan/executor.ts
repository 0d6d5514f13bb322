// The executor (docs/architecture.md §4): runs every step whose needs are met, in parallel where the DAG allows
// (local work bounded, downloads not), records each step in the journal and reports progress. `up` calls detect first, so a finished
// step costs a quick check, not a re-install; on resume, steps the journal already finished are skipped
// without even that. `down` walks the DAG backwards calling each step's undo.
import type { JournalDoc, JournalStep, PlanProgress, StepState, TeardownOptions } from '../../../shared/api/engine.js';
import { isFinished } from '../../../shared/step-states.js';
import { ApiException } from '../../../shared/result.js';
import type { Journal } from './journal.js';
import type { Step, StepContext } from './step.js';

export interface StepHandle {
  ctx: StepContext;
  logPath: string;
}

export interface ExecuteOptions {
  runId: string;
  kind: 'up' | 'down';
  steps: Step[];
  /** Only written: the runs service wraps the journal to mark its run lock finishing before the final write. */
  journal: Pick<Journal, 'write'>;
  /** The settings snapshot stored in the journal (no secrets). */
  settings: Record<string, unknown>;
  signal: AbortSignal;
  /** Creates the step's context, bound to its log and progress reporting. */
  open(step: Step, report: (fraction: number, message?: string) => void): StepHandle;
  onProgress(progress: PlanProgress): void;
  /** This process's start time (the run lock read it), written beside its pid so the journal names this process. */
  pidStartTime?: string | null;
  /** Steps finished by the run being resumed: skipped without detect. */
  alreadyDone?: Set<string>;
  /** Journal of the run being resumed (its step records are kept). */
  resumeFrom?: JournalDoc;
  teardown?: TeardownOptions;
  /** Written to the journal: this install recreates the cluster (PlanContext.recreateCluster), so a resume does too. */
  recreateCluster?: true;
  /** How many `cpu` steps may run at once (default 2); `network` steps take no slot (plan/step.ts StepLoad). */
  concurrency?: number;
  now?: () => Date;
  /** Removes secrets from what the journal keeps of an error (its details may hold argv or output). */
  redact?: <T>(value: T) => T;
}

export interface ExecuteResult {
  status: 'succeeded' | 'failed' | 'cancelled';
  journal: JournalDoc;
  /** The first failure, as the typed error to surface. */
  error?: ApiException;
  /**
   * The step of that first failure. Steps running beside it still finish and may fail too, and the journal lists
   * them in plan order, so "the first failed step in the journal" can be a later failure.
   */
  failedStep?: string;
}

const isCancel = (e: unknown, signal: AbortSignal): boolean =>
  signal.aborted || (e instanceof ApiException && e.code === 'CANCELLED');

const toApiException = (e: unknown): ApiException =>
  e instanceof ApiException ? e : new ApiException('INTERNAL', e instanceof Error ? e.message : String(e));

/** Rejects a plan whose needs name unknown steps or form a cycle. */
export function checkDag(steps: Pick<Step, 'id' | 'needs'>[]): void {
  const ids = new Set(steps.map((s) => s.id));
  if (ids.size !== steps.length) throw new ApiException('INTERNAL', 'Two steps share an id.');
  for (const s of steps) {
    for (const n of s.needs) if (!ids.has(n)) throw new ApiException('INTERNAL', `Step ${s.id} needs unknown step ${n}.`);
  }
  const state = new Map<string, 'visiting' | 'done'>();
  const byId = new Map(steps.map((s) => [s.id, s]));
  const visit = (id: string, trail: string[]) => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') throw new ApiException('INTERNAL', `The plan has a cycle: ${[...trail, id].join(' → ')}.`);
    state.set(id, 'visiting');
    for (const n of byId.get(id)?.needs ?? []) visit(n, [...trail, id]);
    state.set(id, 'done');
  };
  for (const s of steps) visit(s.id, []);
}

export async function execute(opts: ExecuteOptions): Promise<ExecuteResult> {
  checkDag(opts.steps);
  const now = opts.now ?? (() => new Date());
  const limit = Math.max(1, opts.concurrency ?? 2);
  const steps = opts.steps;
  // For teardown the edges flip: a step is undone after every step that needs it.
  const waitsFor = new Map<string, string[]>(
    steps.map((s) => [s.id, opts.kind === 'up' ? s.needs : steps.filter((o) => o.needs.includes(s.id)).map((o) => o.id)]),
  );

  const previous = new Map((opts.resumeFrom?.steps ?? []).map((s) => [s.id, s]));
  // A teardown has nothing to do for a step without undo: it is skipped from the first progress event,
  // so the UI can show the teardown's own steps at once instead of the whole install plan.
  const nothingToUndo = (s: Step): boolean => opts.kind === 'down' && !s.undo;
  const records = new Map<string, JournalStep>(
    steps.map((s) => {
      const prev = previous.get(s.id);
      if (prev && opts.alreadyDone?.has(s.id)) return [s.id, { ...prev }];
      return [s.id, nothingToUndo(s) ? { id: s.id, state: 'skipped' as StepState, outcome: 'already-done' as const } : { id: s.id, state: 'pending' as StepState }];
    }),
  );
  const fractions = new Map<string, number>();
  const messages = new Map<string, string>();

  const journal: JournalDoc = {
    version: 1,
    runId: opts.runId,
    kind: opts.kind,
    status: 'running',
    pid: process.pid,
    ...(opts.pidStartTime !== undefined ? { pidStartTime: opts.pidStartTime } : {}),
    startedAt: opts.resumeFrom?.startedAt ?? now().toISOString(),
    settings: opts.settings,
    ...(opts.recreateCluster ? { recreateCluster: true as const } : {}),
    steps: [],
  };
  const snapshot = (): JournalDoc => ({ ...journal, steps: steps.map((s) => ({ ...records.get(s.id)! })) });
  const persist = () => opts.journal.write(snapshot());

  const emit = () => {
    const list = steps.map((s) => {
      const r = records.get(s.id)!;
      const fraction = isFinished(r.state) ? 1 : r.state === 'running' ? (fractions.get(s.id) ?? 0) : undefined;
      const message = messages.get(s.id) ?? r.error?.message;
      return {
        id: s.id,
        state: r.state,
        ...(r.startedAt ? { startedAt: r.startedAt } : {}),
        ...(r.endedAt ? { endedAt: r.endedAt } : {}),
        ...(message ? { message } : {}),
        ...(fraction !== undefined ? { fraction } : {}),
      };
    });
    const total = list.reduce((sum, s) => sum + (s.fraction ?? 0), 0);
    opts.onProgress({ runId: opts.runId, steps: list, fraction: steps.length ? Math.min(1, total / steps.length) : 1 });
  };

  let firstError: ApiException | undefined;
  let failedStep: string | undefined;
  let stopping = false;
  const running = new Map<string, Promise<void>>();

  const finish = (id: string, state: StepState, outcome: JournalStep['outcome'], error?: ApiException) => {
    const r = records.get(id)!;
    const ended = now();
    r.state = state;
    r.outcome = outcome;
    r.endedAt = ended.toISOString();
    if (r.startedAt) r.durationMs = Math.max(0, ended.getTime() - Date.parse(r.startedAt));
    const redact = opts.redact ?? (<T>(v: T) => v);
    if (error) r.error = redact({ code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}), ...(error.details !== undefined ? { details: error.details } : {}) });
    else delete r.error;
    persist();
    emit();
  };

  const runOne = async (step: Step): Promise<void> => {
    const r = records.get(step.id)!;
    r.state = 'running';
    r.startedAt = now().toISOString();
    delete r.endedAt;
    delete r.outcome;
    delete r.error;
    const handle = opts.open(step, (fraction, message) => {
      fractions.set(step.id, Math.max(0, Math.min(1, fraction)));
      if (message) messages.set(step.id, message);
      emit();
    });
    r.logPath = handle.logPath;
    persist();
    emit();
    const ctx = handle.ctx;
    try {
      if (opts.kind === 'down') {
        if (!step.undo) return finish(step.id, 'skipped', 'already-done');
        ctx.log(`Undoing: ${step.title}`);
        await step.undo(ctx, opts.teardown ?? { stopCluster: false, deleteCluster: false, stopMachine: false });
        return finish(step.id, 'done', 'done');
      }
      const detection = await step.detect(ctx);
      if (detection.state === 'done') {
        ctx.log(`Already done${detection.detail ? `: ${detection.detail}` : '.'}`);
        return finish(step.id, 'skipped', 'already-done');
      }
      if (detection.state === 'blocked') {
        ctx.log(`Blocked: ${detection.reason}`);
        const error = new ApiException('CONFLICT', `${step.title}: ${detection.reason}`, detection.hint);
        if (!firstError) [firstError, failedStep] = [error, step.id];
        stopping = true;
        return finish(step.id, 'failed', 'blocked', error);
      }
      if (detection.reason) ctx.log(`To do: ${detection.reason}`);
      await step.run(ctx);
      if (opts.signal.aborted) throw new ApiException('CANCELLED', 'Cancelled by the user.');
      ctx.log('Done.');
      finish(step.id, 'done', 'done');
    } catch (e) {
      if (isCancel(e, opts.signal)) {
        ctx.log('Cancelled.');
        stopping = true;
        return finish(step.id, 'cancelled', 'cancelled', new ApiException('CANCELLED', 'Cancelled by the user.'));
      }
      const error = toApiException(e);
      ctx.log(`Failed: ${error.message}`);
      if (error.hint) ctx.log(`What to do: ${error.hint}`);
      if (!firstError) [firstError, failedStep] = [error, step.id];
      stopping = true;
      finish(step.id, 'failed', 'failed', error);
    }
  };

  persist();
  emit();

  const byId = new Map(steps.map((s) => [s.id, s]));
  const settled = (id: string): boolean => {
    const s = records.get(id)!.state;
    if (s !== 'done' && s !== 'skipped') return false;
    // A step with nothing to undo is skipped from the start, yet the order still runs through it: what
    // it waits for must be undone before what waits for it (the DAG has no cycle, so this ends).
    const step = byId.get(id)!;
    return !nothingToUndo(step) || (waitsFor.get(id) ?? []).every(settled);
  };

  // Only local work is bounded: a step that mostly waits on downloads (the image pre-pull: minutes of
  // network for a multi-GB image) would otherwise hold a slot that monitoring or Istio — on the critical
  // path to the stack — is waiting for. Teardown undoes are all local work.
  const takesSlot = (step: Step): boolean => opts.kind === 'down' || (step.load ?? 'cpu') === 'cpu';
  const slotsInUse = (): number => steps.filter((s) => running.has(s.id) && takesSlot(s)).length;

  for (;;) {
    if (opts.signal.aborted) stopping = true;
    if (!stopping) {
      for (const step of steps) {
        const r = records.get(step.id)!;
        if (r.state !== 'pending' || running.has(step.id)) continue;
        if (!(waitsFor.get(step.id) ?? []).every(settled)) continue;
        if (takesSlot(step) && slotsInUse() >= limit) continue;
        const p = runOne(step).finally(() => running.delete(step.id));
        running.set(step.id, p);
      }
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }

  const all = steps.map((s) => records.get(s.id)!);
  const status: ExecuteResult['status'] = all.every((r) => isFinished(r.state))
    ? 'succeeded'
    : firstError ? 'failed' : 'cancelled';
  journal.status = status;
  journal.endedAt = now().toISOString();
  const final = snapshot();
  opts.journal.write(final);
  emit();
  return { status, journal: final, ...(firstError ? { error: firstError, ...(failedStep ? { failedStep } : {}) } : status === 'cancelled' ? { error: new ApiException('CANCELLED', 'Cancelled by the user.') } : {}) };
}
