// Correlation ids the renderer sends with every request that starts a task (shared/api/tasks.ts
// ClientTaskId): the store knows the task's id before the engine answers, so events that outrun the
// reply (a chat's first tokens, a run that fails at once, a pod's first log lines) are matched as they
// come — no buffer for events of an unknown task.
export const newTaskId = (what: 'ui-run' | 'ui-prereqs' | 'ui-chat' | 'ui-experiment' | 'ui-log'): string => `${what}-${crypto.randomUUID()}`;
