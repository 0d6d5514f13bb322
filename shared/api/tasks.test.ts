// The one task lifecycle as a contract (shared/api/tasks.ts TaskProgress): every event has its task's title,
// a running event carries no result, a final one always carries the result of its own kind.
import { describe, expect, it } from 'vitest';
import { TaskProgress } from './tasks.js';

const meta = { taskId: 'ui-run-00000001', kind: 'plan', title: 'Install llm-d (llm-d-0.9-optimized-baseline)', runId: 'run-1' } as const;
const planResult = { kind: 'plan', runId: 'run-1', status: 'failed', failedStep: 'stack' } as const;

describe('task.progress', () => {
  it('accepts a running event and a final one with its typed result', () => {
    expect(TaskProgress.safeParse({ ...meta, state: 'running', fraction: 0.5 }).success).toBe(true);
    expect(TaskProgress.parse({ ...meta, state: 'failed', fraction: 1, message: 'boom', result: planResult })).toMatchObject({ result: { failedStep: 'stack' } });
    expect(TaskProgress.safeParse({ taskId: 'ui-chat-00000001', kind: 'chat', title: 'Chat with SmolLM2-360M-Instruct', state: 'succeeded',
      result: { kind: 'chat', replica: 'decode-a', completionTokens: 12, finishReason: 'stop', stopped: false } }).success).toBe(true);
  });

  it('rejects a final event without a result', () => {
    expect(TaskProgress.safeParse({ ...meta, state: 'succeeded' }).success).toBe(false);
  });

  it('rejects a running event that carries a result', () => {
    expect(TaskProgress.safeParse({ ...meta, state: 'running', result: planResult }).success).toBe(false);
  });

  it('rejects a result of another kind than its task', () => {
    expect(TaskProgress.safeParse({ ...meta, state: 'succeeded', result: { kind: 'prereqs', installed: ['helm'] } }).success).toBe(false);
  });

  it('rejects an event without a title', () => {
    const { title: _t, ...untitled } = meta;
    expect(TaskProgress.safeParse({ ...untitled, state: 'running' }).success).toBe(false);
  });

  it('rejects a prerequisite result naming a tool the installer does not know', () => {
    expect(TaskProgress.safeParse({ taskId: 'ui-prereqs-0001', kind: 'prereqs', title: 'Install prerequisite: helm', state: 'succeeded', result: { kind: 'prereqs', installed: ['brew'] } }).success).toBe(false);
  });
});
