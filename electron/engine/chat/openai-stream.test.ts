import { describe, expect, it } from 'vitest';
import { createStreamDecoder, interpretFrame, type StreamEvent } from './openai-stream.js';

const chunk = (content: string, extra: Record<string, unknown> = {}) =>
  `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', model: 'm', choices: [{ index: 0, delta: { content }, finish_reason: null }], ...extra })}\n\n`;

const collect = (parts: Array<string | Uint8Array>, end = true): StreamEvent[] => {
  const events: StreamEvent[] = [];
  const d = createStreamDecoder((e) => events.push(e));
  for (const p of parts) d.push(p);
  if (end) d.end();
  return events;
};
const text = (events: StreamEvent[]) => events.filter((e) => e.type === 'delta').map((e) => (e as { content: string }).content).join('');

describe('OpenAI stream decoding', () => {
  const body = chunk('Hel') + chunk('lo, wörld') +
    `data: ${JSON.stringify({ id: 'c1', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n` +
    `data: ${JSON.stringify({ id: 'c1', choices: [], usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 } })}\n\n` +
    'data: [DONE]\n\n';

  it('yields deltas, the finish reason, the usage chunk with empty choices, and done', () => {
    const events = collect([body]);
    expect(text(events)).toBe('Hello, wörld');
    expect(events).toContainEqual({ type: 'finish', index: 0, reason: 'stop' });
    expect(events).toContainEqual({ type: 'usage', usage: { promptTokens: 5, completionTokens: 3, totalTokens: 8 } });
    expect(events.at(-1)).toEqual({ type: 'done' });
    expect(events.some((e) => e.type === 'error')).toBe(false);
  });

  it('gives the same result when the bytes are split at every position, even inside a UTF-8 character', () => {
    const bytes = new TextEncoder().encode(body);
    const whole = collect([bytes]);
    for (let cut = 1; cut < bytes.length; cut += 7) {
      expect(collect([bytes.slice(0, cut), bytes.slice(cut)])).toEqual(whole);
    }
    // and one byte at a time
    expect(collect(Array.from(bytes, (b) => Uint8Array.of(b)))).toEqual(whole);
  });

  it('accepts CRLF line ends and ignores keep-alive comments', () => {
    const events = collect([': ping\r\n\r\n' + chunk('a').replace(/\n/g, '\r\n') + 'data: [DONE]\r\n\r\n']);
    expect(text(events)).toBe('a');
    expect(events.at(-1)).toEqual({ type: 'done' });
  });

  it('surfaces a vLLM mid-stream error frame with its message and code', () => {
    const events = collect([chunk('partial') + `data: ${JSON.stringify({ object: 'error', message: 'replica failed', type: 'InternalServerError', code: 500 })}\n\n` + 'data: [DONE]\n\n']);
    expect(text(events)).toBe('partial');
    expect(events).toContainEqual({ type: 'error', message: 'replica failed', code: 500, errorType: 'InternalServerError' });
  });

  it('surfaces an OpenAI-style {"error":{…}} frame', () => {
    expect(interpretFrame(JSON.stringify({ error: { message: 'context length exceeded', code: 400, type: 'BadRequestError' } }))).toEqual([
      { type: 'error', message: 'context length exceeded', code: 400, errorType: 'BadRequestError' },
    ]);
  });

  it('reports a stream that ends without [DONE] (replica gone mid-stream)', () => {
    const events = collect([chunk('half')]);
    expect(text(events)).toBe('half');
    expect(events.at(-1)).toMatchObject({ type: 'error' });
  });

  it('reports a malformed frame instead of throwing', () => {
    const events = collect(['data: {not json\n\n', 'data: [DONE]\n\n']);
    expect(events[0]).toMatchObject({ type: 'error' });
  });

  it('reads completions-style text choices', () => {
    expect(interpretFrame(JSON.stringify({ choices: [{ index: 0, text: 'xyz', finish_reason: null }] }))).toContainEqual({ type: 'delta', index: 0, content: 'xyz' });
  });

  it('ignores frames after [DONE]', () => {
    const events = collect(['data: [DONE]\n\n' + chunk('late')]);
    expect(text(events)).toBe('');
  });
});
