// The engine's one task tracker: every long operation (a run, a prerequisite install, a chat reply)
// registers its AbortController here, so `task.cancel`, a CLI's Ctrl-C and engine shutdown stop it alike.
import { ApiException } from '../../shared/result.js';

export class TaskRegistry {
  private readonly tasks = new Map<string, AbortController>();
  private next = 0;

  /** Starts tracking a task; returns its id and the signal to honour. Call `done(id)` when it ends. */
  start(prefix = 'task'): { taskId: string; signal: AbortSignal } {
    const taskId = `${prefix}-${Date.now().toString(36)}-${(this.next++).toString(36)}`;
    const controller = new AbortController();
    this.tasks.set(taskId, controller);
    return { taskId, signal: controller.signal };
  }

  done(taskId: string): void {
    this.tasks.delete(taskId);
  }

  cancel(taskId: string, reason = 'Cancelled by the user.'): boolean {
    const controller = this.tasks.get(taskId);
    if (!controller) return false;
    controller.abort(new ApiException('CANCELLED', reason));
    this.tasks.delete(taskId);
    return true;
  }

  cancelAll(reason?: string): void {
    for (const id of [...this.tasks.keys()]) this.cancel(id, reason);
  }
}
