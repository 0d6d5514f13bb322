// The runs service: one install (`up`) or teardown (`down`) at a time. It owns the in-engine claim (two
// requests arriving together cannot both start), the cross-process run lock, the journal and the task
// of each run, and releases all of them on every path a run can end by.
import { groupsFileFor, stopOrphanedGroups } from './process/process-groups.js';
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { JournalDoc, JournalView, TeardownOptions } from '../../shared/api/engine.js';
import { Settings } from '../../shared/api/settings.js';
import { isFinished } from '../../shared/step-states.js';
import { ApiException } from '../../shared/result.js';
import type { EngineContext } from './context.js';
import type { PlanService, ServiceContext } from './plan-service.js';
import { execute, type ExecuteResult } from './plan/executor.js';
import { Journal } from './plan/journal.js';
import { acquireRunLock, type RunLock } from './plan/run-lock.js';
import type { PlanContext, Step } from './plan/step.js';
import type { SettingsOverrides } from './settings/service.js';
import type { TaskHandle } from './task-registry.js';
import { taskTitles } from './task-titles.js';

/** The cross-process run lock in the app data run folder (run-lock.ts). */
export const RUN_LOCK_NAME = 'run.lock';

/** Lines of a step's log file shown when the in-memory replay buffer is gone (engine restarted). */
const REPLAY_FROM_FILE_LINES = 5000;

export interface StartOptions {
  /** Take over a run lock whose owner is alive but cannot be verified (CLI `up --take-over`). */
  takeOver?: boolean;
  /** The client's correlation id for the run's task (shared/api/tasks.ts ClientTaskId). */
  taskId?: string | undefined;
  /**
   * A fresh install that deletes the cluster first when its size differs from the settings' (a recreating
   * doctor fix, PlanContext.recreateCluster); the journal keeps it, so resuming that run recreates too.
   */
  recreateCluster?: boolean;
}

export interface StartedRun {
  taskId: string;
  runId: string;
  result: Promise<ExecuteResult>;
}

export type RunsContext = ServiceContext & Pick<EngineContext, 'tasks' | 'events' | 'logs'>;

const newRunId = (prefix: 'run' | 'down') => `${prefix}-${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 6)}`;

export class RunsService {
  readonly journal: Journal;
  /**
   * The run this engine is running, or claiming: set synchronously before any await (taskId empty until
   * the task exists), so two requests arriving together cannot both pass the check.
   */
  private active: { runId: string; taskId: string; finishing?: Promise<void> } | undefined;

  constructor(private readonly ctx: RunsContext, private readonly plans: PlanService, private readonly opts: { concurrency?: number } = {}) {
    this.journal = new Journal(ctx.paths.journalFile, ctx.paths.logsDir);
  }

  journalView(): Promise<JournalView> {
    return this.journal.view(this.active !== undefined);
  }

  /**
   * The replay buffer of a step; after an engine restart the buffer is empty, so the journal's log file
   * for that step is read instead (its lines carry a timestamp prefix, which the terminal does not show).
   */
  replayLogs(stepId: string): { stepId: string; seq: number; lines: string[]; runId?: string } {
    const live = this.ctx.logs.replay(stepId);
    if (live.lines.length > 0) return live;
    const journal = this.journal.read();
    const logPath = journal?.steps.find((s) => s.id === stepId)?.logPath;
    if (!logPath || !journal) return live;
    try {
      const lines = fs.readFileSync(logPath, 'utf8').split('\n').filter(Boolean).slice(-REPLAY_FROM_FILE_LINES)
        .map((l) => l.replace(/^\d{4}-\d\d-\d\dT[\d:.]+Z /, ''));
      return { stepId, seq: live.seq, lines, runId: journal.runId };
    } catch {
      return live;
    }
  }

  /**
   * Checks that no run is going in this engine and claims the slot in the same synchronous turn (no await
   * between the two), so of two concurrent starts exactly one proceeds. The returned release must run on
   * every path that does not reach a started run; withClaim does that.
   */
  private claimStart(runId: string): () => void {
    if (this.active) throw new ApiException('CONFLICT', `A run is already in progress (${this.active.runId}).`, 'Wait for it to finish or cancel it.');
    const claim = { runId, taskId: '' };
    this.active = claim;
    return () => { if (this.active === claim) this.active = undefined; };
  }

  /**
   * Claims the run slot, then prepares the run; a preparation that throws gives the slot back. A run whose journal
   * already says it ended (finishing) is waited for first: whoever read "finished" must be able to start the next.
   * Otherwise nothing is awaited before the claim, so the check-and-claim stays in one synchronous turn.
   */
  private async withClaim(runId: string, prepare: () => Promise<StartedRun>): Promise<StartedRun> {
    const finishing = this.active?.finishing;
    if (finishing) await finishing;
    const release = this.claimStart(runId);
    try {
      return await prepare();
    } catch (e) {
      release();
      throw e;
    }
  }

  /** Starts `up`: fresh (every step detects, finished ones cost a check) or resuming the journal's run. */
  startUp(mode: 'fresh' | 'resume', overrides: SettingsOverrides = {}, options: StartOptions = {}): Promise<StartedRun> {
    return this.withClaim('starting', async () => {
      if (mode === 'fresh') return this.start('up', newRunId('run'), this.ctx.settings.effective(overrides), options, options.recreateCluster ? { recreateCluster: true } : {});
      // The claim is ours, not a live run: the journal is judged as if no run were active.
      const previous = this.journal.read();
      // The journal holds the last run only: after a teardown there is no install left to continue, and saying
      // so beats the generic refusal (the install's steps would undo the teardown).
      if (previous?.kind === 'down') throw new ApiException('CONFLICT', `The last run was a teardown (${previous.runId}): there is nothing to resume.`, 'Start a new install instead.');
      if (!(await this.journal.view(false)).resumable || !previous) throw new ApiException('CONFLICT', 'There is no unfinished run to resume.', 'Start a new run instead.');
      const parsed = Settings.safeParse(previous.settings);
      if (!parsed.success) throw new ApiException('CONFLICT', 'The unfinished run used settings this version cannot read.', 'Start a new run instead.');
      const alreadyDone = new Set(previous.steps.filter((s) => isFinished(s.state)).map((s) => s.id));
      return this.start('up', previous.runId, parsed.data, options, { alreadyDone, resumeFrom: previous, ...(previous.recreateCluster ? { recreateCluster: true as const } : {}) });
    });
  }

  startTeardown(teardown: TeardownOptions, overrides: SettingsOverrides = {}, options: StartOptions = {}): Promise<StartedRun> {
    const runId = newRunId('down');
    return this.withClaim(runId, () => this.start('down', runId, this.ctx.settings.effective(overrides), options, { teardown }));
  }

  private async start(kind: 'up' | 'down', runId: string, settings: Settings, options: StartOptions,
    extra: { alreadyDone?: Set<string>; resumeFrom?: JournalDoc; teardown?: TeardownOptions; recreateCluster?: true }): Promise<StartedRun> {
    const taskKind = kind === 'up' ? 'plan' : 'teardown';
    // A taken id is refused before the lock is taken, so nothing has to be given back.
    this.ctx.tasks.assertFree(options.taskId);
    const lock = await acquireRunLock(path.join(this.ctx.paths.runDir, RUN_LOCK_NAME), runId, { ...(options.takeOver ? { takeOver: true } : {}) });
    let plan: PlanContext;
    let steps: Step[];
    try {
      // With the lock held, tools still running for a dead run (a `kill -9`ed CLI) are stopped before any step re-runs them.
      await stopOrphanedGroups(groupsFileFor(this.ctx.paths.runDir));
      await this.plans.loadSecrets();
      ({ plan, steps } = await this.plans.plan(settings, { recreateCluster: extra.recreateCluster === true }));
    } catch (e) {
      lock.release();
      throw e;
    }
    let task: TaskHandle<'plan' | 'teardown'>;
    try {
      const title = kind === 'up' ? taskTitles.install(settings.release, extra.resumeFrom !== undefined) : taskTitles.teardown(settings.profile);
      task = this.ctx.tasks.start(taskKind, { id: options.taskId, title, runId });
    } catch (e) {
      lock.release();
      throw e;
    }
    const { taskId, signal } = task;
    let finished = () => {};
    const active: { runId: string; taskId: string; finishing?: Promise<void> } = { runId, taskId };
    this.active = active;
    // The journal's final write is where "the run ended" becomes visible, in this engine and to other processes: the
    // lock is marked finishing first and this engine's claim waits on `finishing`, so "journal says finished" never
    // meets a refusal. (The lock cannot go before that write: a new run could start and the old write clobber its journal.)
    const journal = {
      write: (doc: JournalDoc) => {
        if (doc.status !== 'running' && !active.finishing) {
          lock.markFinishing();
          active.finishing = new Promise<void>((resolve) => { finished = () => resolve(); });
        }
        this.journal.write(doc);
      },
    };
    const { redactor, events, logs } = this.ctx;
    const result = (async () => {
      try {
        const res = await execute({
          runId, kind, steps, journal, signal, pidStartTime: lock.owner.startTime,
          settings: { ...settings },
          concurrency: this.opts.concurrency ?? 2,
          redact: (v) => redactor.redactDeep(v),
          ...extra,
          open: (step, report) => {
            const log = logs.open(runId, step.id);
            return { logPath: log.filePath, ctx: this.plans.stepContext(plan, runId, step, signal, (l) => log.write(l), report) };
          },
          onProgress: (p) => {
            events.emit('plan.progress', redactor.redactDeep(p));
            task.progress(p.fraction);
          },
        });
        // Inactive before the final event: a listener that resumes on "failed" must not meet its own run.
        await this.finishRun(taskId, lock, finished);
        task.finish(res.status, { runId, status: res.status, ...(res.failedStep ? { failedStep: res.failedStep } : {}) }, res.error?.message);
        return res;
      } catch (e) {
        await this.finishRun(taskId, lock, finished);
        // Whoever follows the run by its events (the UI, the CLI) must hear that it ended.
        task.finish('failed', { runId, status: 'failed' }, e instanceof Error ? e.message : String(e));
        throw e;
      }
    })();
    return { taskId, runId, result };
  }

  private async finishRun(taskId: string, lock: RunLock, finished: () => void): Promise<void> {
    try {
      await this.ctx.logs.close();
    } finally {
      lock.release();
      this.active = undefined;
      this.ctx.tasks.done(taskId);
      finished();
    }
  }
}
