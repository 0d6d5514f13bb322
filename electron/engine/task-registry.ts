// The engine's one task tracker: every long operation (a run, a prerequisite install, a chat reply, an
// experiment) registers here with its metadata, so `task.cancel`, a CLI's Ctrl-C and engine shutdown stop it
// alike, and every kind has the same lifecycle on task.progress (shared/api/tasks.ts TaskProgress): the start
// event when it is registered, `running` progress, then exactly one final event with its typed result. The
// registry sends them, so no caller can forget the start or send a second end.
// A task's id is the client's correlation id when it sent one (shared/api/tasks.ts ClientTaskId).
import type { FinalTaskState, TaskKind, TaskProgress, TaskResult } from '../../shared/api/tasks.js';
import { ApiException } from '../../shared/result.js';

export interface TaskStartOptions {
  /** The client's correlation id; refused with CONFLICT while a task of that id is running. */
  id?: string | undefined;
  /** What a person calls the task (task-titles.ts), carried on every event. */
  title: string;
  /** The run a plan or teardown task runs. */
  runId?: string | undefined;
}

/** The result of the task's own kind, without the `kind` the task already has. */
export type ResultOf<K extends TaskKind> = Omit<Extract<TaskResult, { kind: K }>, 'kind'>;

export interface TaskHandle<K extends TaskKind> {
  taskId: string;
  signal: AbortSignal;
  /** A `running` event; ignored once the task has ended. */
  progress(fraction?: number, message?: string): void;
  /**
   * The one final event, and the task leaves the registry. A second call is ignored: the first end is the
   * one every listener acted on.
   */
  finish(state: FinalTaskState, result: ResultOf<K>, message?: string): void;
}

/** Where the registry's events go: the engine bus as `task.progress`, redacted (context.ts). */
export type TaskReporter = (event: TaskProgress) => void;

export class TaskRegistry {
  private readonly tasks = new Map<string, { controller: AbortController; kind: TaskKind }>();
  private next = 0;

  constructor(private readonly report: TaskReporter = () => {}) {}

  /** Registers a task and sends its start event; returns its handle. End it with `finish` (or `done`). */
  start<K extends TaskKind>(kind: K, opts: TaskStartOptions): TaskHandle<K> {
    const taskId = opts.id ?? `${kind}-${Date.now().toString(36)}-${(this.next++).toString(36)}`;
    this.assertFree(taskId);
    const controller = new AbortController();
    this.tasks.set(taskId, { controller, kind });
    const meta = { taskId, kind, title: opts.title, ...(opts.runId !== undefined ? { runId: opts.runId } : {}) };
    let ended = false;
    const running = (fraction?: number, message?: string) =>
      this.report({ ...meta, state: 'running', ...(fraction !== undefined ? { fraction } : {}), ...(message ? { message } : {}) });
    running();
    return {
      taskId,
      signal: controller.signal,
      progress: (fraction, message) => {
        if (!ended) running(fraction, message);
      },
      finish: (state, result, message) => {
        if (ended) return;
        ended = true;
        this.done(taskId);
        // The cast only puts back the `kind` taken off ResultOf<K>: `{ kind: K } & ResultOf<K>` is that variant.
        this.report({ ...meta, state, fraction: 1, result: { kind, ...result } as TaskResult, ...(message ? { message } : {}) });
      },
    };
  }

  /** Refuses an id in use, so a start can check before it takes anything (a lock) it would have to give back. */
  assertFree(taskId: string | undefined): void {
    if (taskId !== undefined && this.tasks.has(taskId)) throw new ApiException('CONFLICT', `A task with the id ${taskId} is already running.`, 'Send a new id with each request.');
  }

  /** The kind of a running task (undefined once it ended). */
  kindOf(taskId: string): TaskKind | undefined {
    return this.tasks.get(taskId)?.kind;
  }

  /** Stops tracking a task without an event (its `finish` sends the final one). */
  done(taskId: string): void {
    this.tasks.delete(taskId);
  }

  cancel(taskId: string, reason = 'Cancelled by the user.'): boolean {
    const task = this.tasks.get(taskId);
    if (!task) return false;
    task.controller.abort(new ApiException('CANCELLED', reason));
    this.tasks.delete(taskId);
    return true;
  }

  cancelAll(reason?: string): void {
    for (const id of [...this.tasks.keys()]) this.cancel(id, reason);
  }
}
