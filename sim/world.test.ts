// The simulated world end to end, as docs/architecture.md §6 promises it: `minikube start -p llm-d-cpu`, the
// guide's installs, `kubectl wait` for 2 Ready decode pods, a streamed chat through a port-forward of the
// gateway, EPP routing lines, helm's release list, stop/start keeping objects, delete leaving nothing.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { installStack, makeWorld, pidAlive, portForward, type World } from './testkit.js';
import { readJson } from './state.js';

let w: World;
const NS = 'llm-d-cpu-inference';

beforeAll(async () => {
  w = makeWorld();
  await installStack(w, { eppVerbosity: 3 });
}, 180_000);
afterAll(async () => { await w?.cleanup(); });

const podsJson = async (selector: string) => JSON.parse((await w.kubectl(['get', 'pods', '-n', NS, '-l', selector, '-o', 'json'])).stdout) as { items: Array<{ metadata: { name: string }; status: { podIP: string; containerStatuses: Array<{ ready: boolean }>; initContainerStatuses?: Array<{ ready: boolean; name: string }> } }> };

describe('the simulated world, end to end', () => {
  it('minikube start writes a kubeconfig the real kubectl uses', async () => {
    const kc = parse(readFileSync(String(w.env.KUBECONFIG), 'utf8')) as { 'current-context': string; clusters: Array<{ name: string; cluster: { server: string } }> };
    expect(kc['current-context']).toBe('llm-d-cpu');
    expect(kc.clusters[0]?.cluster.server).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const nodes = await w.kubectl(['get', 'nodes', '-o', 'name']);
    expect(nodes.stdout.trim()).toBe('node/llm-d-cpu');
  });

  it('helmfile sync of the stack yields 2 decode pods that kubectl wait sees Ready 2/2', async () => {
    const r = await w.kubectl(['wait', '--for=condition=Ready', 'pod', '-l', 'llm-d.ai/inferenceServing=true', '-n', NS, '--timeout=90s']);
    expect(r.exitCode, r.stderr).toBe(0);
    const pods = await podsJson('llm-d.ai/inferenceServing=true');
    expect(pods.items).toHaveLength(2);
    for (const p of pods.items) {
      expect(p.metadata.name).toMatch(/^ms-cpu-inference-llm-d-modelservice-decode-[a-z0-9]+-[a-z0-9]{5}$/);
      expect(p.status.initContainerStatuses?.[0]).toMatchObject({ name: 'routing-proxy', ready: true });
      expect(p.status.containerStatuses.every((c) => c.ready)).toBe(true);
    }
    expect((await w.kubectl(['wait', '--for=condition=Ready', 'pod', '-l', 'inferencepool=gaie-cpu-inference-epp', '-n', NS, '--timeout=60s'])).exitCode).toBe(0);
    expect((await w.kubectl(['wait', '--for=condition=Ready', 'pod', '-l', 'app=istiod', '-n', 'istio-system', '--timeout=60s'])).exitCode).toBe(0);
  }, 120_000);

  it('streams a chat through a port-forward of the gateway and logs the EPP decision', async () => {
    await w.kubectl(['wait', '--for=condition=Ready', 'pod', '-l', 'app.kubernetes.io/component=inference-gateway', '-n', NS, '--timeout=60s']);
    const gw = (await podsJson('app.kubernetes.io/component=inference-gateway')).items[0];
    expect(gw?.metadata.name).toMatch(/^infra-cpu-inference-inference-gateway-istio-/);
    const { port, server } = await portForward(w, NS, gw?.metadata.name ?? '', 80);
    try {
      const models = await (await fetch(`http://127.0.0.1:${port}/v1/models`)).json() as { data: Array<{ id: string }> };
      const model = models.data[0]?.id;
      expect(model).toBe('TinyLlama/TinyLlama-1.1B-Chat-v1.0');
      const res = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model, messages: [{ role: 'user', content: 'Say hello in one sentence.' }], stream: true, stream_options: { include_usage: true }, max_tokens: 20 }),
      });
      expect(res.status).toBe(200);
      const frames = (await res.text()).split('\n\n').filter(Boolean);
      expect(frames.at(-1)).toBe('data: [DONE]');
      const tokens = frames.slice(1, -2).map((f) => (JSON.parse(f.slice(6)) as { choices: Array<{ delta: { content?: string } }> }).choices[0]?.delta.content ?? '');
      expect(tokens.join('').length).toBeGreaterThan(0);
      // Real vLLM sends no x-inference-pod header (only llm-d-inference-sim does); the guide runs vLLM.
      expect(res.headers.get('x-inference-pod')).toBeNull();
      const decode = (await podsJson('llm-d.ai/inferenceServing=true')).items;
      const epp = (await podsJson('inferencepool=gaie-cpu-inference-epp')).items[0]?.metadata.name ?? '';
      const logs = (await w.kubectl(['logs', '-n', NS, epp, '-c', 'epp'])).stdout.split('\n').filter((l) => l.includes('"Request handled"'));
      const last = JSON.parse(logs.at(-1) ?? '{}') as { endpoint: string; targetModel: string };
      expect(last.targetModel).toBe(model);
      // The EPP names the endpoint it chose: one of the decode pods, on the routing proxy's port.
      expect(decode.map((p) => `${p.status.podIP}:8000`)).toContain(last.endpoint);
    } finally {
      server.close();
    }
  }, 60_000);

  it('helm list -o json shows the releases as helm records them', async () => {
    const list = JSON.parse((await w.run('helm', ['list', '-A', '-o', 'json'])).stdout) as Array<{ name: string; status: string; chart: string }>;
    expect(list.map((r) => r.name).sort()).toEqual(['gaie-cpu-inference', 'infra-cpu-inference', 'istio-base', 'istiod', 'llmd', 'ms-cpu-inference']);
    expect(list.find((r) => r.name === 'ms-cpu-inference')).toMatchObject({ status: 'deployed', chart: 'llm-d-modelservice-v0.3.8' });
    const secrets = await w.kubectl(['get', 'secrets', '-n', NS, '-l', 'owner=helm,name=ms-cpu-inference', '-o', 'name']);
    expect(secrets.stdout.trim()).toBe('secret/sh.helm.release.v1.ms-cpu-inference.v1');
  });

  it('minikube stop keeps the objects and start brings the pods back', async () => {
    const info = readJson<{ pid: number }>(join(String(w.env.LLMD_SIM_STATE), 'clusters', 'llm-d-cpu', 'server.json'), { pid: 0 });
    expect((await w.run('minikube', ['stop', '-p', 'llm-d-cpu'])).exitCode).toBe(0);
    expect(pidAlive(info.pid)).toBe(false);
    const status = await w.run('minikube', ['status', '-p', 'llm-d-cpu', '-o', 'json']);
    expect(status.exitCode).toBe(7);
    expect(JSON.parse(status.stdout)).toMatchObject({ Host: 'Stopped' });
    expect((await w.run('minikube', ['start', '-p', 'llm-d-cpu'])).exitCode).toBe(0);
    const deps = await w.kubectl(['get', 'deployments', '-n', NS, '-o', 'name']);
    expect(deps.stdout).toContain('deployment.apps/ms-cpu-inference-llm-d-modelservice-decode');
    expect((await w.kubectl(['wait', '--for=condition=Ready', 'pod', '-l', 'llm-d.ai/inferenceServing=true', '-n', NS, '--timeout=60s'])).exitCode).toBe(0);
  }, 90_000);

  it('minikube delete leaves no process, no state and no kubeconfig entry', async () => {
    const info = readJson<{ pid: number }>(join(String(w.env.LLMD_SIM_STATE), 'clusters', 'llm-d-cpu', 'server.json'), { pid: 0 });
    expect(info.pid).toBeGreaterThan(0);
    expect((await w.run('minikube', ['delete', '-p', 'llm-d-cpu'])).exitCode).toBe(0);
    expect(pidAlive(info.pid)).toBe(false);
    const kc = parse(readFileSync(String(w.env.KUBECONFIG), 'utf8')) as { contexts: unknown[]; 'current-context': string };
    expect(kc.contexts).toEqual([]);
    expect(JSON.parse((await w.run('minikube', ['profile', 'list', '-o', 'json'])).stdout)).toEqual({ invalid: [], valid: [] });
  }, 30_000);
});
