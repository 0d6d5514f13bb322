// Long operations are tasks with ids (docs/architecture.md §3): start returns the id, progress comes as events,
// `task.cancel` stops it.
import { z } from 'zod';

export const TaskId = z.string().min(1).max(100);
export const TaskRef = z.object({ taskId: TaskId });

/**
 * A task id the client picks and sends with the request that starts the task (a correlation id): the
 * task's events can arrive before the start's reply, and a client that already knows the id matches
 * them as they come instead of buffering the unknown. Random and long enough not to collide; the engine
 * refuses one in use with CONFLICT. Without it the engine picks the id, as before.
 */
export const ClientTaskId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{7,63}$/, 'a task id is 8–64 letters, digits, - or _');

/** What a task is, so a listener tells an install from a chat reply without reading its id. */
export const TaskKind = z.enum(['plan', 'teardown', 'prereqs', 'chat', 'experiment']);
export type TaskKind = z.infer<typeof TaskKind>;

export const TaskState = z.enum(['running', 'succeeded', 'failed', 'cancelled']);

/**
 * One lifecycle for every task that reports through task.progress: `running` events (the first one is the
 * start), then exactly one final state. `kind` and, for runs, `runId` say what the task is.
 */
export const TaskProgress = z.object({
  taskId: TaskId,
  kind: TaskKind,
  runId: z.string().optional(),
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
