import { describe, expect, it } from 'vitest';
import { serve } from './test-servers.js';
import { Gateway, type GatewayEndpoint } from './gateway.js';
import { pick } from './picker.js';
import { Replica, type ReplicaOptions } from './replica.js';

const SIM_IMAGE = 'ghcr.io/llm-d/llm-d-inference-sim:v0.6.1';
const VLLM_IMAGE = 'quay.io/petecheslock/llm-d-cpu:v0.4.0-arm64';
/** vllm:request_success_total summed over finished_reason, and vllm:num_requests_running, from /metrics text. */
const counters = (text: string) => {
  const sum = (name: string) => [...text.matchAll(new RegExp(`^${name}\\{[^}]*\\} (\\S+)$`, 'gm'))].reduce((a, m) => a + Number(m[1]), 0);
  return { success: sum('vllm:request_success_total'), running: sum('vllm:num_requests_running') };
};
const metricsOf = async (port: number) => counters(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text());


const opts = (o: Partial<ReplicaOptions> = {}): ReplicaOptions => ({
  model: 'TinyLlama/TinyLlama-1.1B-Chat-v1.0', podName: 'decode-a', namespace: 'ns', mode: 'echo',
  timeToFirstTokenMs: 5, interTokenLatencyMs: 1, maxModelLen: 2048, ...o,
});
const chat = (port: number, body: unknown) => fetch(`http://127.0.0.1:${port}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const sseFrames = (text: string) => text.split('\n\n').filter(Boolean).map((f) => f.replace(/^data: /, ''));

describe('simulated vLLM replica', () => {
  it('lists its model and echoes a chat reply with usage and, as llm-d-inference-sim, the pod header', async () => {
    const port = await serve(new Replica(opts({ image: SIM_IMAGE })).handle);
    const models = await (await fetch(`http://127.0.0.1:${port}/v1/models`)).json() as { data: Array<{ id: string }> };
    expect(models.data[0]?.id).toBe('TinyLlama/TinyLlama-1.1B-Chat-v1.0');
    const res = await chat(port, { model: 'TinyLlama/TinyLlama-1.1B-Chat-v1.0', messages: [{ role: 'user', content: 'Say hello in one sentence.' }] });
    expect(res.headers.get('x-inference-pod')).toBe('decode-a');
    const json = await res.json() as { choices: Array<{ message: { content: string } }>; usage: { completion_tokens: number } };
    expect(json.choices[0]?.message.content).toBe('Say hello in one sentence.');
    expect(json.usage.completion_tokens).toBe(5);
  });

  it('streams chunks, a usage chunk with empty choices, then [DONE]', async () => {
    const port = await serve(new Replica(opts()).handle);
    const res = await chat(port, { messages: [{ role: 'user', content: 'one two three' }], stream: true, stream_options: { include_usage: true } });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const frames = sseFrames(await res.text());
    expect(frames.at(-1)).toBe('[DONE]');
    const usage = JSON.parse(frames.at(-2) ?? '{}') as { choices: unknown[]; usage: { total_tokens: number } };
    expect(usage.choices).toEqual([]);
    expect(usage.usage.total_tokens).toBe(6);
    const text = frames.slice(0, -2).map((f) => (JSON.parse(f) as { choices: Array<{ delta: { content?: string } }> }).choices[0]?.delta.content ?? '').join('');
    expect(text).toBe('one two three');
  });

  it('names no pod in its headers when the image is vLLM, as real vLLM does not', async () => {
    for (const image of [VLLM_IMAGE, 'public.ecr.aws/q9t5s3a7/vllm-cpu-release-repo:v0.9.3', undefined]) {
      const port = await serve(new Replica(opts(image ? { image } : {})).handle);
      const res = await chat(port, { messages: [{ role: 'user', content: 'hi' }], stream: true });
      await res.text();
      expect(res.headers.get('x-inference-pod')).toBeNull();
      expect(res.headers.get('x-inference-namespace')).toBeNull();
    }
  });

  it('as vLLM, names each completion after the X-Request-Id it received (every streamed chunk too), else a random id', async () => {
    const port = await serve(new Replica(opts({ image: VLLM_IMAGE })).handle);
    const post = (path: string, body: unknown, id?: string) => fetch(`http://127.0.0.1:${port}${path}`, {
      method: 'POST', headers: { 'content-type': 'application/json', ...(id ? { 'x-request-id': id } : {}) }, body: JSON.stringify(body),
    });
    const frames = sseFrames(await (await post('/v1/chat/completions', { messages: [{ role: 'user', content: 'one two' }], stream: true, stream_options: { include_usage: true } }, 'envoy-id-1')).text());
    const ids = new Set(frames.slice(0, -1).map((f) => (JSON.parse(f) as { id: string }).id));
    expect([...ids]).toEqual(['chatcmpl-envoy-id-1']);
    expect(await (await post('/v1/completions', { prompt: 'one' }, 'envoy-id-2')).json()).toMatchObject({ id: 'cmpl-envoy-id-2' });
    expect(((await (await post('/v1/chat/completions', { messages: [{ role: 'user', content: 'hi' }] })).json()) as { id: string }).id).toMatch(/^chatcmpl-[0-9a-f]{32}$/);
    // llm-d-inference-sim's naming is not modelled on the header (not checked upstream).
    const simPort = await serve(new Replica(opts({ image: SIM_IMAGE })).handle);
    const simReply = await fetch(`http://127.0.0.1:${simPort}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'envoy-id-3' }, body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }] }) });
    expect(((await simReply.json()) as { id: string }).id).not.toContain('envoy-id-3');
  });

  it('sends an error frame mid-stream when the fault fires, and does not count it as a success', async () => {
    const port = await serve(new Replica(opts({ streamError: () => 1 })).handle);
    const frames = sseFrames(await (await chat(port, { messages: [{ role: 'user', content: 'a b c d' }], stream: true })).text());
    expect(frames.at(-1)).toBe('[DONE]');
    expect(JSON.parse(frames.at(-2) ?? '{}')).toMatchObject({ error: { code: 500 } });
    expect(await metricsOf(port)).toEqual({ success: 0, running: 0 });
  });

  it('counts a finished request before the reply ends, so a client that read it all sees it in /metrics', async () => {
    const port = await serve(new Replica(opts({ image: VLLM_IMAGE })).handle);
    expect(await metricsOf(port)).toEqual({ success: 0, running: 0 });
    await (await chat(port, { messages: [{ role: 'user', content: 'one two three' }], stream: true, max_tokens: 2 })).text();
    expect(await metricsOf(port)).toEqual({ success: 1, running: 0 });
    await (await chat(port, { messages: [{ role: 'user', content: 'one' }] })).json();
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(text).toContain('vllm:request_success_total{model_name="TinyLlama/TinyLlama-1.1B-Chat-v1.0",finished_reason="length"} 1');
    expect(text).toContain('vllm:request_success_total{model_name="TinyLlama/TinyLlama-1.1B-Chat-v1.0",finished_reason="stop"} 1');
  });

  it("refuses a prompt longer than max-model-len with vLLM's message", async () => {
    const port = await serve(new Replica(opts({ maxModelLen: 10 })).handle);
    const res = await chat(port, { messages: [{ role: 'user', content: 'a b c d e f' }], max_tokens: 8 });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/maximum context length is 10 tokens\. However, you requested 14 tokens \(6 in the messages, 8 in the completion\)/);
  });

  it('exposes the vllm: metrics the EPP and the app read', async () => {
    const port = await serve(new Replica(opts({ mode: 'random' })).handle);
    await chat(port, { messages: [{ role: 'user', content: 'hi' }] });
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    for (const name of ['vllm:num_requests_running', 'vllm:num_requests_waiting', 'vllm:kv_cache_usage_perc', 'vllm:time_to_first_token_seconds_bucket'])
      expect(text).toContain(`${name}{`);
    expect(text).toMatch(/vllm:request_success_total\{model_name="TinyLlama\/TinyLlama-1.1B-Chat-v1.0",finished_reason="(stop|length)"\} 1/);
  });
});

describe('endpoint picker and gateway', () => {
  it('prefers the prefix owner unless its queue is much longer', () => {
    const a = { name: 'a', ip: '10.244.0.5', queue: 0, kvCacheUsage: 0 };
    const b = { name: 'b', ip: '10.244.0.6', queue: 0, kvCacheUsage: 0 };
    expect(pick([a, b], 'b')?.name).toBe('b');
    expect(pick([a, { ...b, queue: 4, kvCacheUsage: 0.8 }], 'b')?.name).toBe('a');
  });

  it('routes a prompt to the same replica again and logs Request handled at v>=3', async () => {
    const eps: GatewayEndpoint[] = [];
    for (const name of ['pod-a', 'pod-b']) {
      const localPort = await serve(new Replica(opts({ podName: name, image: SIM_IMAGE })).handle);
      eps.push({ name, ip: name === 'pod-a' ? '10.244.0.5' : '10.244.0.6', queue: 0, kvCacheUsage: 0, localPort, targetPort: 8000 });
    }
    const log: string[] = [];
    const gw = new Gateway({ endpoints: () => eps, route: () => 'ok', eppVerbosity: () => 3, eppLog: (l) => log.push(l), prefixChars: 32 });
    const port = await serve(gw.handle);
    const pods = new Set<string | null>();
    for (let i = 0; i < 3; i++) pods.add((await chat(port, { model: 'TinyLlama/TinyLlama-1.1B-Chat-v1.0', messages: [{ role: 'user', content: 'the same long shared prefix every time' }] })).headers.get('x-inference-pod'));
    expect(pods.size).toBe(1);
    expect(log).toHaveLength(3);
    expect(JSON.parse(log[0] ?? '{}')).toMatchObject({ level: 'Level(-3)', caller: 'requestcontrol/director.go:266', msg: 'Request handled', targetModel: 'TinyLlama/TinyLlama-1.1B-Chat-v1.0' });
    expect(JSON.parse(log[0] ?? '{}').endpoint).toMatch(/^10\.244\.0\.[56]:8000$/);
  });

  it('rewrites the client x-request-id by default, for the EPP line and upstream alike, and keeps it when configured', async () => {
    const seen: Array<string | undefined> = [];
    const replica = new Replica(opts({ image: VLLM_IMAGE }));
    const localPort = await serve((req, res) => { seen.push(req.headers['x-request-id'] as string | undefined); replica.handle(req, res); });
    const eps: GatewayEndpoint[] = [{ name: 'pod-a', ip: '10.244.0.5', queue: 0, kvCacheUsage: 0, localPort, targetPort: 8000 }];
    const log: string[] = [];
    const deps = { endpoints: () => eps, route: () => 'ok' as const, eppVerbosity: () => 3, eppLog: (l: string) => log.push(l), prefixChars: 32 };
    // Without a setting the gateway behaves as Istio does; `keep` is the configured exception.
    const ports = { rewrite: await serve(new Gateway(deps).handle), keep: await serve(new Gateway({ ...deps, requestId: () => 'keep' }).handle) };
    let port = ports.rewrite;
    const send = (id?: string) => fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
      method: 'POST', headers: { 'content-type': 'application/json', ...(id ? { 'x-request-id': id } : {}) }, body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }] }),
    }).then((r) => r.json());
    const loggedId = (i: number) => (JSON.parse(log[i] ?? '{}') as { 'x-request-id'?: string })['x-request-id'];

    // vLLM names its reply after the id it received: the one the EPP logged, whatever the client sent.
    expect(await send('app-1')).toMatchObject({ id: `chatcmpl-${loggedId(0)}` });
    expect(loggedId(0)).toMatch(/^[0-9a-f-]{36}$/);
    expect(loggedId(0)).not.toBe('app-1');
    expect(seen[0]).toBe(loggedId(0));

    port = ports.keep;
    await send('app-2');
    expect(loggedId(1)).toBe('app-2');
    expect(seen[1]).toBe('app-2');
    await send();
    expect(loggedId(2)).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen[2]).toBe(loggedId(2));
  });

  it('logs nothing at the chart default v=1, answers like the GAIE EPP without a Ready endpoint and like Envoy when it cannot route', async () => {
    const log: string[] = [];
    let route: 'ok' | 'none' | 'unresolved' = 'ok';
    const gw = new Gateway({ endpoints: () => [], route: () => route, eppVerbosity: () => 1, eppLog: (l) => log.push(l), prefixChars: 32 });
    const port = await serve(gw.handle);
    const res = await fetch(`http://127.0.0.1:${port}/v1/models`);
    expect(res.status).toBe(500);
    expect(await res.text()).toBe('inference gateway: Internal - no pods available in datastore');
    const chat = await fetch(`http://127.0.0.1:${port}/v1/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'm', prompt: 'hi' }) });
    expect([chat.status, chat.headers.get('server'), await chat.text()]).toEqual([503, 'istio-envoy', 'inference gateway: ServiceUnavailable - failed to find candidate pods for serving the request']);
    route = 'unresolved';
    expect((await fetch(`http://127.0.0.1:${port}/v1/models`)).status).toBe(500);
    route = 'none';
    expect((await fetch(`http://127.0.0.1:${port}/v1/models`)).status).toBe(404);
    expect(log).toEqual([]);
  });
});
