// The Playground store against a fake engine behind the real Api client (so every payload is checked
// against the contract): streaming, stop keeping the partial reply, events that outrun the reply (the
// store sends its own task id, so they are matched as they come), regenerate, errors,
// and the experiment's progress and result.
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeEngine as fakeEngineBase, ok, type Handler } from './fake-engine.testkit.js';
import { attachPlaygroundEvents, usePlayground, type PlaygroundState } from './playground.js';

let detach: (() => void) | undefined;

/** The shared fake engine, with the Playground's events attached as stores/wire.ts does at start-up. */
function fakeEngine(handlers: Record<string, Handler>) {
  const e = fakeEngineBase(handlers);
  detach?.();
  detach = attachPlaygroundEvents(e.api);
  return e;
}
const reply = (over: Record<string, unknown> = {}) => ({
  requestId: 'r1', model: 'm1', content: 'Hello there', durationMs: 120, stopped: false, ttftMs: 40, tokensPerSecond: 25,
  usage: { promptTokens: 9, completionTokens: 3, totalTokens: 12 }, attribution: { known: true, pod: 'decode-a', source: 'header' }, ...over,
});
const initial: Partial<PlaygroundState> = {
  gateway: { status: 'idle', models: [] }, model: undefined, systemPrompt: '', turns: [], active: undefined,
  params: { temperature: 0.7, maxTokens: 256, topP: 1 },
  experiment: { status: 'idle', settings: { requests: 8, concurrency: 2, maxTokens: 16 }, done: 0, total: 0 },
};
const s = () => usePlayground.getState();
/** The task id the store sent with its last `method` call (the engine adopts it). */
const sentId = (e: ReturnType<typeof fakeEngine>, method = 'chat.send'): string => e.calls.filter((c) => c.method === method).at(-1)!.payload.taskId as string;
const echo = (p: Record<string, unknown>) => ok({ taskId: p.taskId, requestId: 'r' });
const lastTurn = () => s().turns.at(-1)!;

beforeEach(() => usePlayground.setState(initial));

describe('Playground store', () => {
  it('connects: lists the models and picks the first one the gateway serves', async () => {
    fakeEngine({ 'chat.models': () => ok({ models: ['m1', 'm2'], gatewayUrl: 'http://127.0.0.1:8000' }) });
    await s().connect();
    expect(s().gateway).toEqual({ status: 'ready', models: ['m1', 'm2'], url: 'http://127.0.0.1:8000' });
    expect(s().model).toBe('m1');
  });

  it('says the gateway is unreachable, with the engine’s reason, when chat.models fails', async () => {
    fakeEngine({ 'chat.models': () => ({ ok: false, error: { code: 'INTERNAL', message: 'The port-forward for infra-cpu-inference-inference-gateway-istio did not start.', hint: 'Check that the cluster is running and try again.' } }) });
    await s().connect();
    expect(s().gateway.status).toBe('unreachable');
    expect(s().gateway.error).toMatchObject({ kind: 'gateway-down', hint: 'Check that the cluster is running and try again.' });
  });

  it('streams deltas into the reply, then takes the engine’s final reply with its figures', async () => {
    const e = fakeEngine({ 'chat.models': () => ok({ models: ['m1'], gatewayUrl: 'u' }), 'chat.send': echo });
    await s().connect();
    s().setSystemPrompt('Be brief.');
    expect(await s().send('  Hi  ')).toBe(true);
    expect(e.calls.at(-1)).toMatchObject({ method: 'chat.send', payload: { model: 'm1', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }], params: { temperature: 0.7, maxTokens: 256, topP: 1 } } });
    const t1 = sentId(e);
    expect(t1).toMatch(/^ui-chat-/);
    e.emit('chat.delta', { taskId: t1, text: 'Hel' });
    e.emit('chat.delta', { taskId: t1, text: 'lo' });
    expect(lastTurn()).toMatchObject({ role: 'assistant', status: 'streaming', content: 'Hello' });
    expect(s().active).toEqual({ turnId: lastTurn().id, taskId: t1, started: true });
    e.emit('chat.done', { taskId: t1, reply: reply() });
    expect(lastTurn()).toMatchObject({ status: 'done', content: 'Hello there', reply: { ttftMs: 40 } });
    expect(s().active).toBeUndefined();
  });

  it('keeps events that arrive before chat.send answers', async () => {
    const e: ReturnType<typeof fakeEngine> = fakeEngine({
      'chat.models': () => ok({ models: ['m1'], gatewayUrl: 'u' }),
      'chat.send': (p) => {
        e.emit('chat.delta', { taskId: p.taskId, text: 'Fast' });
        e.emit('chat.done', { taskId: p.taskId, reply: reply({ content: 'Fast' }) });
        return echo(p);
      },
    });
    await s().connect();
    await s().send('Hi');
    expect(lastTurn()).toMatchObject({ status: 'done', content: 'Fast' });
    expect(s().active).toBeUndefined();
  });

  it('Stop cancels the task and the partial reply stays, marked stopped', async () => {
    const e = fakeEngine({ 'chat.models': () => ok({ models: ['m1'], gatewayUrl: 'u' }), 'chat.send': echo, 'task.cancel': () => ok({ cancelled: true }) });
    await s().connect();
    await s().send('Tell me a long story');
    const t2 = sentId(e);
    e.emit('chat.delta', { taskId: t2, text: 'Once upon' });
    await s().stop();
    expect(e.calls.at(-1)).toEqual({ method: 'task.cancel', payload: { taskId: t2 } });
    e.emit('chat.done', { taskId: t2, reply: reply({ content: 'Once upon', stopped: true }) });
    expect(lastTurn()).toMatchObject({ status: 'stopped', content: 'Once upon' });
    // The partial reply is part of the history the model sees next.
    await s().send('Go on');
    expect(e.calls.filter((c) => c.method === 'chat.send').at(-1)?.payload.messages).toEqual([
      { role: 'user', content: 'Tell me a long story' }, { role: 'assistant', content: 'Once upon' }, { role: 'user', content: 'Go on' },
    ]);
  });

  it('Regenerate replaces the last reply with a new one for the same question', async () => {
    const e = fakeEngine({ 'chat.models': () => ok({ models: ['m1'], gatewayUrl: 'u' }), 'chat.send': echo });
    await s().connect();
    await s().send('Q');
    const first = sentId(e);
    e.emit('chat.done', { taskId: first, reply: reply({ content: 'A1' }) });
    expect(await s().regenerate()).toBe(true);
    expect(s().turns.map((t) => [t.role, t.content])).toEqual([['user', 'Q'], ['assistant', '']]);
    expect(sentId(e)).not.toBe(first); // a new id for each reply
    e.emit('chat.done', { taskId: sentId(e), reply: reply({ content: 'A2' }) });
    expect(s().turns.map((t) => t.content)).toEqual(['Q', 'A2']);
    expect(e.calls.filter((c) => c.method === 'chat.send').map((c) => c.payload.messages)).toEqual([[{ role: 'user', content: 'Q' }], [{ role: 'user', content: 'Q' }]]);
  });

  it('marks the gateway unreachable when a send cannot reach it, and shows the server’s context-length message as is', async () => {
    let fail: { code: string; message: string; hint?: string } = { code: 'NETWORK', message: 'Cannot reach the gateway at http://127.0.0.1:8000 (ECONNREFUSED).', hint: 'The port-forward may have stopped.' };
    fakeEngine({ 'chat.models': () => ok({ models: ['m1'], gatewayUrl: 'u' }), 'chat.send': () => ({ ok: false, error: fail }) });
    await s().connect();
    await s().send('Hi');
    expect(lastTurn()).toMatchObject({ status: 'failed', error: { kind: 'gateway-down', message: fail.message } });
    expect(s().gateway.status).toBe('unreachable');
    fail = { code: 'BAD_REQUEST', message: "This model's maximum context length is 2048 tokens. However, you requested 4000 tokens.", hint: 'Start a new conversation or lower max tokens.' };
    await s().send('Again');
    expect(lastTurn()).toMatchObject({ status: 'failed', error: { kind: 'context-length', message: fail.message } });
  });

  it('says the model is still loading on a 503, and keeps a mid-stream failure’s partial text', async () => {
    const e = fakeEngine({
      'chat.models': () => ok({ models: ['m1'], gatewayUrl: 'u' }),
      'chat.send': echo,
    });
    await s().connect();
    await s().send('Hi');
    e.emit('chat.done', { taskId: sentId(e), error: { code: 'NETWORK', message: 'No replica is ready to answer yet.', hint: 'The model is still loading' } });
    expect(lastTurn()).toMatchObject({ status: 'failed', error: { kind: 'model-loading' } });
    await s().send('Hi again');
    e.emit('chat.delta', { taskId: sentId(e), text: 'Par' });
    e.emit('chat.done', { taskId: sentId(e), reply: reply({ content: 'Par', error: 'The stream broke off: terminated (the replica may have gone away).' }) });
    expect(lastTurn()).toMatchObject({ status: 'failed', content: 'Par', error: { kind: 'mid-stream', message: expect.stringContaining('broke off') } });
  });

  it('runs the experiment: progress, then the result', async () => {
    const e = fakeEngine({ 'chat.models': () => ok({ models: ['m1'], gatewayUrl: 'u' }), 'experiment.run': (p) => ok({ taskId: p.taskId }) });
    await s().connect();
    s().setExperimentSettings({ requests: 4, concurrency: 2 });
    expect(await s().runExperiment()).toBe(true);
    const x1 = sentId(e, 'experiment.run');
    expect(e.calls.at(-1)).toEqual({ method: 'experiment.run', payload: { requests: 4, concurrency: 2, maxTokens: 16, model: 'm1', taskId: x1 } });
    e.emit('experiment.progress', { taskId: x1, done: 3, total: 8 });
    expect(s().experiment).toMatchObject({ status: 'running', done: 3, total: 8 });
    const arm = (a: string) => ({ arm: a, total: 4, failed: 0, unattributed: 0, concentration: 1, replicas: [{ replica: 'decode-a', count: 4, share: 1, latency: { count: 4, min: 1, p50: 2, p90: 3, max: 3, mean: 2 } }] });
    e.emit('experiment.done', { taskId: x1, result: { taskId: x1, replicas: 2, shared: arm('shared-prefix'), distinct: arm('distinct'), reading: ['Shared-prefix requests stayed together'], errors: [] } });
    expect(s().experiment).toMatchObject({ status: 'done', done: 8, result: { reading: ['Shared-prefix requests stayed together'] } });
  });
});
