// The Cluster page's methods through the engine's dispatcher, against the simulated API server.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PODS, PROFILE, podObject, runningStatus, startHarness, type Harness } from '../../../sim/apiserver/test-harness.js';
import { createEngine, type Engine } from '../api.js';
import { HF_TOKEN, MemorySecretStore } from '../secrets/secret-store.js';
import type { Settings } from '../../../shared/api/settings.js';
import { loadRelease } from '../stack/releases.js';
import { MAX_LOG_STREAMS } from './cluster.js';

const TOKEN = 'hf_plantedPodLogToken1234';

let h: Harness;
let engine: Engine;
const seen: Array<{ topic: string; payload: unknown }> = [];

beforeAll(async () => {
  h = await startHarness();
  const dataDir = path.join(h.dir, 'home');
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(path.join(dataDir, 'settings.json'), JSON.stringify({ profile: PROFILE, namespace: 'llm-d-cpu-inference', monitoring: false }));
  h.store.create({ group: '', version: 'v1', resource: 'nodes' }, {
    apiVersion: 'v1', kind: 'Node', metadata: { name: PROFILE }, status: { conditions: [{ type: 'Ready', status: 'True' }] },
  });
  h.store.create({ group: '', version: 'v1', resource: 'namespaces' }, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'llm-d-cpu-inference' } });
  const secrets = new MemorySecretStore();
  await secrets.set(HF_TOKEN, TOKEN);
  engine = createEngine({ dataDir, transport: 'web', rehearsal: true, secrets, env: { ...process.env, KUBECONFIG: h.kubeconfig } });
  engine.events.subscribe((topic, payload) => seen.push({ topic, payload }));
});
afterAll(async () => {
  await engine.dispose();
  await h.close();
});

const call = async (method: string, payload: unknown = {}) => {
  const res = (await engine.dispatcher.dispatch(method, payload)) as { ok: boolean; value?: unknown; error?: { message: string } };
  if (!res.ok) throw new Error(res.error?.message);
  return res.value as Record<string, unknown>;
};

describe('cluster handlers', () => {
  it('snapshot lists pods with kubectl-style READY and pushes pods.changed on every change', async () => {
    h.store.create(PODS, { ...podObject('decode-1', { 'llm-d.ai/inferenceServing': 'true' }, ['vllm'], 'llm-d-cpu-inference'), status: runningStatus(['vllm'], false) });
    const snap = await call('cluster.snapshot') as { reachable: boolean; pods: Array<{ name: string; readyText: string }> };
    expect(snap.reachable).toBe(true);
    expect(snap.pods.map((p) => `${p.name} ${p.readyText}`)).toEqual(['decode-1 0/1']);
    h.store.updateStatus(PODS, 'llm-d-cpu-inference', 'decode-1', runningStatus(['vllm'], true));
    await expect.poll(() => seen.filter((e) => e.topic === 'pods.changed').map((e) => (e.payload as { pods: Array<{ readyText: string }> }).pods[0]?.readyText)).toContain('1/1');
  });

  it('streams a container log as pod.log events and stops on request', async () => {
    h.appendLog('llm-d-cpu-inference', 'decode-1', 'vllm', ['INFO started', 'INFO Uvicorn running']);
    const { streamId } = await call('pod.logs.start', { namespace: 'llm-d-cpu-inference', pod: 'decode-1', container: 'vllm' }) as { streamId: string };
    const lines = () => seen.filter((e) => e.topic === 'pod.log' && (e.payload as { streamId: string }).streamId === streamId).flatMap((e) => (e.payload as { lines: string[] }).lines);
    await expect.poll(lines).toEqual(expect.arrayContaining(['INFO started', 'INFO Uvicorn running']));
    expect(await call('pod.logs.stop', { streamId })).toEqual({ stopped: true });
    expect(seen.some((e) => e.topic === 'pod.log' && (e.payload as { streamId: string; ended?: boolean }).streamId === streamId && (e.payload as { ended?: boolean }).ended)).toBe(true);
  });

  it('pod log lines pass the redactor: the HF token a container prints never reaches a pod.log event', async () => {
    h.appendLog('llm-d-cpu-inference', 'decode-1', 'vllm', [`HF_TOKEN=${TOKEN}`, `GET https://huggingface.co/x?token=${TOKEN} 401`]);
    const { streamId } = await call('pod.logs.start', { namespace: 'llm-d-cpu-inference', pod: 'decode-1', container: 'vllm' }) as { streamId: string };
    const lines = () => seen.filter((e) => e.topic === 'pod.log' && (e.payload as { streamId: string }).streamId === streamId).flatMap((e) => (e.payload as { lines: string[] }).lines);
    await expect.poll(lines).toEqual(expect.arrayContaining(['HF_TOKEN=***', 'GET https://huggingface.co/x?token=*** 401']));
    expect(JSON.stringify(seen)).not.toContain(TOKEN);
    await call('pod.logs.stop', { streamId });
  });

  it(`at most ${MAX_LOG_STREAMS} log streams are open at once, even when asked for together; stopping one frees a place`, async () => {
    const start = () => engine.dispatcher.dispatch('pod.logs.start', { namespace: 'llm-d-cpu-inference', pod: 'decode-1', container: 'vllm' }) as Promise<{ ok: boolean; value?: { streamId: string }; error?: { code: string } }>;
    const results = await Promise.all(Array.from({ length: MAX_LOG_STREAMS + 4 }, start));
    const opened = results.filter((r) => r.ok).map((r) => r.value!.streamId);
    expect(opened).toHaveLength(MAX_LOG_STREAMS);
    expect(results.filter((r) => !r.ok).map((r) => r.error?.code)).toEqual(Array(4).fill('CONFLICT'));
    await call('pod.logs.stop', { streamId: opened[0] });
    await expect.poll(async () => (await start()).ok).toBe(true);
    for (const id of opened) await call('pod.logs.stop', { streamId: id });
  });

  it('a log stream of an unknown container ends with the API server\'s message', async () => {
    const { streamId } = await call('pod.logs.start', { namespace: 'llm-d-cpu-inference', pod: 'decode-1', container: 'nope' }) as { streamId: string };
    await expect.poll(() => seen.find((e) => e.topic === 'pod.log' && (e.payload as { streamId: string }).streamId === streamId && (e.payload as { ended?: boolean }).ended)?.payload)
      .toMatchObject({ error: expect.stringContaining('container nope is not valid') });
  });

  it('a settings save re-aims the watch: turning monitoring on shows the monitoring namespace\'s pods', async () => {
    await call('cluster.snapshot');
    const { settings } = await call('settings.get') as { settings: Settings };
    const monitoringNs = loadRelease(settings.release).monitoringNamespace;
    h.store.create({ group: '', version: 'v1', resource: 'namespaces' }, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: monitoringNs } });
    h.store.create(PODS, { ...podObject('prometheus-0', { app: 'prometheus' }, ['prometheus'], monitoringNs), status: runningStatus(['prometheus'], true) });
    await call('settings.save', { settings: { ...settings, monitoring: true } });
    const snap = await call('cluster.snapshot') as { namespaces: string[]; pods: Array<{ name: string }> };
    expect(snap.namespaces).toContain(monitoringNs);
    expect(snap.pods.map((p) => p.name)).toContain('prometheus-0');
  });

  it('access.status is empty before any forward; closing an unknown forward says so', async () => {
    expect(await call('access.status')).toEqual({ forwards: [] });
    expect(await call('access.close', { name: 'grafana' })).toEqual({ closed: false });
  });
});
