// The engine's one task tracker: every long operation (a run, a prerequisite install, a chat reply)
// registers its AbortController here, so `task.cancel`, a CLI's Ctrl-C and engine shutdown stop it alike.
// A task's id is the client's correlation id when it sent one (shared/api/tasks.ts ClientTaskId).
import type { TaskKind } from '../../shared/api/tasks.js';
import { ApiException } from '../../shared/result.js';

export interface TaskStartOptions {
  /** The client's correlation id; refused with CONFLICT while a task of that id is running. */
  id?: string | undefined;
}

export class TaskRegistry {
  private readonly tasks = new Map<string, { controller: AbortController; kind: TaskKind }>();
  private next = 0;

  /** Starts tracking a task; returns its id and the signal to honour. Call `done(id)` when it ends. */
  start(kind: TaskKind, opts: TaskStartOptions = {}): { taskId: string; signal: AbortSignal } {
    const taskId = opts.id ?? `${kind}-${Date.now().toString(36)}-${(this.next++).toString(36)}`;
    this.assertFree(taskId);
    const controller = new AbortController();
    this.tasks.set(taskId, { controller, kind });
    return { taskId, signal: controller.signal };
  }

  /** Refuses an id in use, so a start can check before it takes anything (a lock) it would have to give back. */
  assertFree(taskId: string | undefined): void {
    if (taskId !== undefined && this.tasks.has(taskId)) throw new ApiException('CONFLICT', `A task with the id ${taskId} is already running.`, 'Send a new id with each request.');
  }

  /** The kind of a running task (undefined once it ended). */
  kindOf(taskId: string): TaskKind | undefined {
    return this.tasks.get(taskId)?.kind;
  }

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
