// Long operations are tasks with ids (docs/architecture.md §3): start returns the id, progress comes as events,
// `task.cancel` stops it.
import { z } from 'zod';

export const TaskId = z.string().min(1).max(100);
export const TaskRef = z.object({ taskId: TaskId });

export const TaskState = z.enum(['running', 'succeeded', 'failed', 'cancelled']);

export const TaskProgress = z.object({
  taskId: TaskId,
  state: TaskState,
  /** 0..1 when known. */
  fraction: z.number().min(0).max(1).optional(),
  message: z.string().optional(),
});

export const taskMethods = {
  'task.cancel': { request: TaskRef, response: z.object({ cancelled: z.boolean() }) },
} as const;

export const taskEvents = {
  'task.progress': TaskProgress,
} as const;
