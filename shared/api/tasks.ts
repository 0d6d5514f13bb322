// Long operations are tasks with ids (docs/architecture.md §3): start returns the id, progress comes as events,
// `task.cancel` stops it.
import { z } from 'zod';
import { ToolName } from '../tool-name.js';

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
export const FinalTaskState = z.enum(['succeeded', 'failed', 'cancelled']);
export type FinalTaskState = z.infer<typeof FinalTaskState>;

/** A run's outcome as its executor reports it (electron/engine/plan/executor.ts ExecuteResult). */
const RunResult = { runId: z.string(), status: FinalTaskState, failedStep: z.string().optional() };

/**
 * What a task ended with, by kind — only what the engine knows when it ends: a run's status and the step that
 * failed; the tools a prerequisite install put in place (and whether the final check found every required tool
 * fine); a chat reply's replica (when attribution knew it), tokens and finish reason; an experiment's counts.
 * The content (the reply's text, the experiment's tables) stays on chat.done / experiment.done.
 */
export const TaskResult = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('plan'), ...RunResult }),
  z.object({ kind: z.literal('teardown'), ...RunResult }),
  z.object({ kind: z.literal('prereqs'), installed: z.array(ToolName), ok: z.boolean().optional() }),
  z.object({
    kind: z.literal('chat'),
    replica: z.string().optional(),
    completionTokens: z.number().int().nonnegative().optional(),
    finishReason: z.string().optional(),
    stopped: z.boolean(),
  }),
  z.object({
    kind: z.literal('experiment'),
    /** Absent when the experiment failed before it had any. */
    summary: z.object({ replicas: z.number().int(), requests: z.number().int(), failed: z.number().int(), unattributed: z.number().int() }).optional(),
  }),
]);
export type TaskResult = z.infer<typeof TaskResult>;

const TaskMeta = {
  taskId: TaskId,
  kind: TaskKind,
  /** What a person calls the task ("Install llm-d (llm-d-0.9-optimized-baseline)"), set when it is registered. */
  title: z.string().min(1).max(200),
  runId: z.string().optional(),
  /** 0..1 when known. */
  fraction: z.number().min(0).max(1).optional(),
  message: z.string().optional(),
};

/**
 * One lifecycle for every task: `running` events (the first one is the start, sent when the task is
 * registered), then exactly one final state carrying the typed result of the task's kind. A running event
 * has no result; a final one always has one, of its own kind.
 */
export const TaskProgress = z.discriminatedUnion('state', [
  z.object({ ...TaskMeta, state: z.literal('running') }).strict(),
  z.object({ ...TaskMeta, state: FinalTaskState, result: TaskResult }).strict(),
]).refine((p) => !('result' in p) || p.result.kind === p.kind, { message: 'a final event carries the result of its own kind', path: ['result', 'kind'] });
export type TaskProgress = z.infer<typeof TaskProgress>;
export type FinalTaskProgress = Extract<TaskProgress, { result: TaskResult }>;

export const taskMethods = {
  'task.cancel': { request: TaskRef, response: z.object({ cancelled: z.boolean() }) },
} as const;

export const taskEvents = {
  'task.progress': TaskProgress,
} as const;
