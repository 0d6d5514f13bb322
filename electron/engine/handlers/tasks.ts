// task.* (shared/api/tasks.ts): cancelling any long operation by its task id.
import type { taskMethods } from '../../../shared/api/tasks.js';
import { ApiException } from '../../../shared/result.js';
import type { EngineContext } from '../context.js';
import type { Handlers } from '../dispatch.js';

export function createTaskHandlers(ctx: Pick<EngineContext, 'tasks'>): Pick<Handlers, keyof typeof taskMethods> {
  return {
    'task.cancel': ({ taskId }) => {
      if (!ctx.tasks.cancel(taskId)) throw new ApiException('NOT_FOUND', `No running task ${taskId}.`);
      return { cancelled: true };
    },
  };
}
