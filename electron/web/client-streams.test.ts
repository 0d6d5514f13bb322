// A browser tab's pod log streams end when its socket closes, against the simulated API server.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { PODS, PROFILE, podObject, runningStatus, startHarness, type Harness } from '../../sim/apiserver/test-harness.js';
import { createEngine, type Engine } from '../engine/api.js';
import { startWebHost, type WebHost } from './server.js';
import { MAX_STREAMS_PER_CLIENT } from './client-streams.js';

const NS = 'llm-d-cpu-inference';
let h: Harness;
let engine: Engine;
let host: WebHost;
const ended = new Set<string>();

beforeAll(async () => {
  h = await startHarness();
  const dataDir = path.join(h.dir, 'home');
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(path.join(dataDir, 'settings.json'), JSON.stringify({ profile: PROFILE, namespace: NS, monitoring: false }));
  fs.writeFileSync(path.join(h.dir, 'index.html'), '<!doctype html><title>t</title>');
  h.store.create({ group: '', version: 'v1', resource: 'namespaces' }, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  h.store.create(PODS, { ...podObject('decode-1', { 'llm-d.ai/inferenceServing': 'true' }, ['vllm'], NS), status: runningStatus(['vllm'], true) });
  h.appendLog(NS, 'decode-1', 'vllm', ['INFO started']);
  engine = createEngine({ dataDir, transport: 'web', rehearsal: true, env: { ...process.env, KUBECONFIG: h.kubeconfig } });
  engine.events.subscribe((topic, payload) => {
    const p = payload as { streamId?: string; ended?: boolean };
    if (topic === 'pod.log' && p.ended && p.streamId) ended.add(p.streamId);
  });
  host = await startWebHost({ rendererDir: h.dir, engine });
});
afterAll(async () => {
  await host?.close();
  await engine?.dispose();
  await h.close();
});

function connect(): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api?token=${host.token}`, { origin: `http://127.0.0.1:${host.port}` });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** Sends one request and waits for its reply (events on the same socket are skipped). */
function call(ws: WebSocket, id: number, method: string, payload: unknown): Promise<{ ok: boolean; value?: { streamId: string }; error?: { code: string; message: string } }> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const m = JSON.parse(data.toString()) as { id?: number; result?: { ok: boolean; value?: { streamId: string }; error?: { code: string; message: string } } };
      if (m.id !== id || !m.result) return;
      ws.off('message', onMessage);
      resolve(m.result);
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ id, method, payload }));
  });
}

describe('pod log streams per client', () => {
  it('the streams a tab left open are stopped when its socket closes; another tab\'s stream keeps going', async () => {
    const [a, b] = [await connect(), await connect()];
    const req = { namespace: NS, pod: 'decode-1', container: 'vllm' };
    const ofA = await Promise.all([1, 2, 3].map(async (i) => (await call(a, i, 'pod.logs.start', req)).value!.streamId));
    const stoppedByHand = ofA[2]!;
    expect((await call(a, 4, 'pod.logs.stop', { streamId: stoppedByHand })).ok).toBe(true);
    const ofB = (await call(b, 1, 'pod.logs.start', req)).value!.streamId;
    a.close();
    await expect.poll(() => ofA.every((id) => ended.has(id))).toBe(true);
    expect(ended.has(ofB)).toBe(false);
    b.close();
    await expect.poll(() => ended.has(ofB)).toBe(true);
  });

  it(`one tab holds at most ${MAX_STREAMS_PER_CLIENT} streams, even asked for together, and the other tabs still get theirs`, async () => {
    const [a, b] = [await connect(), await connect()];
    const req = { namespace: NS, pod: 'decode-1', container: 'vllm', follow: true };
    // Sent together: the web host sees all of them before any start has answered.
    const asked = await Promise.all(Array.from({ length: MAX_STREAMS_PER_CLIENT + 2 }, (_, i) => call(a, i + 1, 'pod.logs.start', req)));
    const opened = asked.filter((r) => r.ok).map((r) => r.value!.streamId);
    expect(opened).toHaveLength(MAX_STREAMS_PER_CLIENT);
    expect(asked.filter((r) => !r.ok).map((r) => r.error?.code)).toEqual(['CONFLICT', 'CONFLICT']);
    expect(asked.find((r) => !r.ok)?.error?.message).toMatch(/This window already has/);
    // The engine's cap (16) leaves room that this tab may not take, but another tab may.
    expect((await call(b, 1, 'pod.logs.start', req)).ok).toBe(true);
    expect((await call(a, 100, 'pod.logs.stop', { streamId: opened[0]! })).ok).toBe(true);
    expect((await call(a, 101, 'pod.logs.start', req)).ok).toBe(true);
    a.close();
    b.close();
    await expect.poll(() => opened.slice(1).every((id) => ended.has(id))).toBe(true);
  });
});
