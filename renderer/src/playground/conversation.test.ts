import { describe, expect, it } from 'vitest';
import { messagesFor, toJson, toMarkdown, type Turn } from './conversation.js';
import { classifyError } from './errors.js';

const turns: Turn[] = [
  { id: 'u1', role: 'user', content: 'Write a loop' },
  {
    id: 'a1', role: 'assistant', model: 'm1', status: 'done', content: '```js\nfor (;;) {}\n```',
    reply: { requestId: 'r', model: 'm1', content: '```js\nfor (;;) {}\n```', durationMs: 300, stopped: false, ttftMs: 41.6, tokensPerSecond: 22.25, usage: { promptTokens: 10, completionTokens: 7, totalTokens: 17 }, attribution: { known: true, pod: 'decode-b', source: 'epp-log' } },
  },
  { id: 'u2', role: 'user', content: 'Longer?' },
  { id: 'a2', role: 'assistant', model: 'm1', status: 'stopped', content: 'Sure, here', reply: { requestId: 'r2', model: 'm1', content: 'Sure, here', durationMs: 50, stopped: true, attribution: { known: false, reason: 'The EPP is not logging routing decisions.' } } },
  { id: 'u3', role: 'user', content: 'Hello?' },
  { id: 'a3', role: 'assistant', model: 'm1', status: 'failed', content: '', error: classifyError({ code: 'NETWORK', message: 'Cannot reach the gateway at http://127.0.0.1:8000.' }) },
];

describe('conversation', () => {
  it('sends the system prompt, the turns and partial replies, but not empty failed ones', () => {
    expect(messagesFor(' Be terse ', turns)).toEqual([
      { role: 'system', content: 'Be terse' },
      { role: 'user', content: 'Write a loop' },
      { role: 'assistant', content: '```js\nfor (;;) {}\n```' },
      { role: 'user', content: 'Longer?' },
      { role: 'assistant', content: 'Sure, here' },
      { role: 'user', content: 'Hello?' },
    ]);
    expect(messagesFor('  ', turns.slice(0, 1))).toEqual([{ role: 'user', content: 'Write a loop' }]);
  });

  it('exports Markdown with each reply’s figures, the replica or why it is unknown, and stops and errors', () => {
    const md = toMarkdown({ model: 'm1', systemPrompt: 'Be terse', params: { temperature: 0.2, maxTokens: 64, topP: 0.9 }, turns, exportedAt: new Date('2025-01-02T03:04:05Z') });
    expect(md).toContain('- Exported: 2025-01-02T03:04:05.000Z');
    expect(md).toContain('temperature 0.2, max tokens 64, top_p 0.9');
    expect(md).toContain('## System prompt\n\nBe terse');
    expect(md).toContain('## Assistant (m1)\n\n```js\nfor (;;) {}\n```');
    expect(md).toContain('> Time to first token: 42 ms');
    expect(md).toContain('> Tokens/s: 22.3');
    expect(md).toContain('> Tokens: 10 prompt, 7 completion');
    expect(md).toContain('> Replica: decode-b (from the EPP log)');
    expect(md).toContain('> Stopped by you: the reply above is partial.');
    expect(md).toContain('> Replica: unknown — The EPP is not logging routing decisions.');
    expect(md).toContain('> Cannot reach the gateway: Cannot reach the gateway at http://127.0.0.1:8000.');
  });

  it('exports JSON that parses back with every turn and figure', () => {
    const parsed = JSON.parse(toJson({ systemPrompt: '', params: {}, turns, exportedAt: new Date(0) })) as { model: null; messages: Array<Record<string, unknown>> };
    expect(parsed.model).toBeNull();
    expect(parsed.messages).toHaveLength(6);
    expect(parsed.messages[1]).toMatchObject({ role: 'assistant', status: 'done', reply: { usage: { completionTokens: 7 }, attribution: { pod: 'decode-b' } } });
    expect(parsed.messages[5]).toMatchObject({ status: 'failed', error: { kind: 'gateway-down' } });
  });
});

describe('classifyError', () => {
  it.each([
    [{ code: 'NETWORK', message: 'Cannot reach the gateway at http://127.0.0.1:8000 (UND_ERR_SOCKET).' }, 'gateway-down'],
    [{ code: 'INTERNAL', message: 'The port-forward for svc did not start.' }, 'gateway-down'],
    [{ code: 'NETWORK', message: 'No replica is ready to answer yet.' }, 'model-loading'],
    [{ code: 'BAD_REQUEST', message: "This model's maximum context length is 2048 tokens." }, 'context-length'],
    [{ code: 'NETWORK', message: 'Could not reach the engine: socket closed' }, 'other'],
    [{ code: 'NOT_FOUND', message: 'model x does not exist' }, 'other'],
  ] as const)('%o is %s', (e, kind) => {
    expect(classifyError(e).kind).toBe(kind);
  });
});
