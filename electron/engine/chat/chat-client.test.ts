// The chat client against a real HTTP server on 127.0.0.1 speaking vLLM's streaming format.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiException } from '../../../shared/result.js';
import { listModels, streamChat } from './chat-client.js';

type Mode = 'ok' | 'slow' | 'midError' | 'cut' | '503' | 'ctx' | 'noPods';
let mode: Mode = 'ok';
let lastBody: Record<string, unknown> = {};
let lastRequestId: string | undefined;
const frame = (o: unknown) => `data: ${JSON.stringify(o)}\n\n`;
const server = http.createServer((req, res) => {
  if (req.url === '/v1/models' && mode === 'noPods') {
    // The EPP's answer to a request without a body when its pool has no Ready endpoint (shared/epp-answers.ts).
    res.writeHead(500, { 'content-type': 'text/plain' }).end('inference error: Internal - no pods available in datastore');
    return;
  }
  if (req.url === '/v1/models') {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ object: 'list', data: [{ id: 'HuggingFaceTB/SmolLM2-360M-Instruct', object: 'model' }] }));
    return;
  }
  let raw = '';
  req.on('data', (c: Buffer) => (raw += c));
  req.on('end', async () => {
    lastBody = JSON.parse(raw) as Record<string, unknown>;
    lastRequestId = req.headers['x-request-id'] as string | undefined;
    if (mode === '503') { res.writeHead(503); res.end('no healthy upstream'); return; }
    if (mode === 'ctx') {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'error', message: "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens.", type: 'BadRequestError', code: 400 }));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'x-inference-pod': 'decode-a' });
    const words = ['Hello', ' there', ',', ' friend'];
    for (const [i, w] of words.entries()) {
      res.write(frame({ id: 'chatcmpl-envoy-1', object: 'chat.completion.chunk', choices: [{ index: 0, delta: i === 0 ? { role: 'assistant', content: w } : { content: w }, finish_reason: null }] }));
      await new Promise((r) => setTimeout(r, mode === 'slow' ? 40 : 2));
      if (mode === 'midError' && i === 1) { res.end(frame({ object: 'error', message: 'replica crashed', code: 500 }) + 'data: [DONE]\n\n'); return; }
      if (mode === 'cut' && i === 1) { res.destroy(); return; }
    }
    res.write(frame({ id: 'x', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }));
    res.write(frame({ id: 'x', choices: [], usage: { prompt_tokens: 7, completion_tokens: 4, total_tokens: 11 } }));
    res.end('data: [DONE]\n\n');
  });
});
let base = '';
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const ask = (extra: Partial<Parameters<typeof streamChat>[0]> = {}) =>
  streamChat({ baseUrl: base, model: 'm', messages: [{ role: 'user', content: 'hi' }], ...extra });

describe('chat client', () => {
  it('reads the model id from /v1/models', async () => {
    expect(await listModels(base)).toEqual(['HuggingFaceTB/SmolLM2-360M-Instruct']);
  });

  it('streams deltas, reports usage, TTFT, tokens/s and response headers, and sends the parameters', async () => {
    mode = 'ok';
    const deltas: string[] = [];
    const r = await ask({ onDelta: (d) => deltas.push(d), params: { temperature: 0.2, maxTokens: 20, topP: 0.9 }, requestId: 'req-1' });
    expect(deltas.join('')).toBe('Hello there, friend');
    expect(r).toMatchObject({ content: 'Hello there, friend', finishReason: 'stop', usage: { promptTokens: 7, completionTokens: 4, totalTokens: 11 }, stopped: false });
    expect(r.ttftMs).toBeGreaterThanOrEqual(0);
    expect(r.tokensPerSecond).toBeGreaterThan(0);
    expect(r.headers['x-inference-pod']).toBe('decode-a');
    expect(r.responseId).toBe('chatcmpl-envoy-1');
    expect(lastBody).toMatchObject({ stream: true, stream_options: { include_usage: true }, temperature: 0.2, max_tokens: 20, top_p: 0.9 });
    expect(lastRequestId).toBe('req-1');
  });

  it('keeps the partial reply and marks it stopped when aborted', async () => {
    mode = 'slow';
    const ac = new AbortController();
    let got = '';
    const r = await ask({ signal: ac.signal, onDelta: (d) => { got += d; if (got.length >= 5) ac.abort(); } });
    expect(r.stopped).toBe(true);
    expect(r.content).toBe('Hello');
    expect(r.error).toBeUndefined();
  });

  it('keeps the partial reply and reports a mid-stream error frame', async () => {
    mode = 'midError';
    const r = await ask();
    expect(r.content).toBe('Hello there');
    expect(r.error).toBe('replica crashed');
  });

  it('reports a replica that went away mid-stream', async () => {
    mode = 'cut';
    const r = await ask();
    expect(r.content).toBe('Hello there');
    expect(r.error).toMatch(/replica/);
  });

  it('explains 503 as a model that is still loading', async () => {
    mode = '503';
    await expect(ask()).rejects.toMatchObject({ code: 'NETWORK', message: 'No replica is ready to answer yet.' });
  });

  it('explains the EPP’s 500 for /v1/models without a Ready endpoint as no replica ready, not a gateway fault', async () => {
    mode = 'noPods';
    await expect(listModels(base)).rejects.toMatchObject({ code: 'NETWORK', message: 'No replica is ready to answer yet.', details: { status: 500 } });
    mode = 'ok';
  });

  it('passes the server’s context-length message through', async () => {
    mode = 'ctx';
    const e = await ask().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiException);
    expect((e as ApiException).message).toContain('maximum context length is 4096');
  });

  it('says the gateway is unreachable when nothing listens', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    await expect(listModels(`http://127.0.0.1:${port}`)).rejects.toMatchObject({ code: 'NETWORK', message: expect.stringContaining('Cannot reach the gateway') });
  });
});
