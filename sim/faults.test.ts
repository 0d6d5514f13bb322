// Every cluster-side fault switched on from a scenario file and observed the way the app observes it:
// pod status and events through the real kubectl, the route's status, and answers through a
// port-forward of the gateway. One simulated cluster carries all of them (they touch different objects).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GUIDE, installStack, makeWorld, portForward, until, type World } from './testkit.js';

const NS = 'llm-d-cpu-inference';
const SCENARIO = `name: faults
timeScale: 0.01
faults:
  - { kind: imagePullBackOff, image: gateway-api-inference-extension-epp, times: 1 }
  - { kind: oomKilled, replica: 2, afterSeconds: 20, times: 1 }
  - { kind: routeLegacyGroup, times: 1 }
  - { kind: streamError, afterTokens: 2, times: 1 }
  - { kind: slowStartup, container: slowpoke, factor: 100 }
  - { kind: portForwardDrop, afterSeconds: 30, times: 1 }
  - { kind: containerCrash, container: crashy, pod: crashy-, onePod: true, exitCode: 1, log: ['level=ERROR msg="Fatal error" err="opening storage failed: {{now}}"'] }
`;

let w: World;
beforeAll(async () => {
  w = makeWorld(SCENARIO);
  await installStack(w, { eppVerbosity: 3 });
}, 180_000);
afterAll(async () => { await w?.cleanup(); });

interface Pod { metadata: { name: string }; status: { containerStatuses?: Array<{ name: string; restartCount: number; lastState: { terminated?: { reason: string } } }> } }
const getJson = async <T>(args: string[]): Promise<T> => JSON.parse((await w.kubectl([...args, '-o', 'json'])).stdout) as T;
const events = async (reason: string) => (await getJson<{ items: Array<{ reason: string; message: string; involvedObject: { name: string } }> }>(['get', 'events', '-n', NS])).items.filter((e) => e.reason === reason);
const gatewayPod = async () => (await getJson<{ items: Pod[] }>(['get', 'pods', '-n', NS, '-l', 'app.kubernetes.io/component=inference-gateway'])).items[0]?.metadata.name;
async function viaGateway<T>(fn: (base: string) => Promise<T>): Promise<T> {
  await w.kubectl(['wait', '--for=condition=Ready', 'pod', '-l', 'app.kubernetes.io/component=inference-gateway', '-n', NS, '--timeout=30s']);
  const { port, server } = await portForward(w, NS, (await gatewayPod()) ?? '', 80);
  try { return await fn(`http://127.0.0.1:${port}`); } finally { server.close(); }
}
const chat = (base: string, stream: boolean) => fetch(`${base}/v1/chat/completions`, {
  method: 'POST', headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ model: 'TinyLlama/TinyLlama-1.1B-Chat-v1.0', messages: [{ role: 'user', content: 'one two three four five six' }], stream }),
});

describe('faults from the scenario file', () => {
  it('imagePullBackOff: the EPP pod reports ErrImagePull / ImagePullBackOff, then pulls once the fault clears', async () => {
    const failed = await until('ImagePullBackOff event', async () => (await events('Failed')).find((e) => e.message === 'Error: ImagePullBackOff'));
    expect(failed.involvedObject.name).toMatch(/^gaie-cpu-inference-epp-/);
    expect((await events('Failed')).some((e) => /Failed to pull image ".*gateway-api-inference-extension-epp.*": rpc error: code = NotFound/.test(e.message))).toBe(true);
    expect((await w.kubectl(['wait', '--for=condition=Ready', 'pod', '-l', 'inferencepool=gaie-cpu-inference-epp', '-n', NS, '--timeout=30s'])).exitCode).toBe(0);
  }, 40_000);

  it('oomKilled: decode replica 2 is OOMKilled once, restarts and becomes Ready again', async () => {
    const pod = await until('an OOMKilled vllm container', async () => (await getJson<{ items: Pod[] }>(['get', 'pods', '-n', NS, '-l', 'llm-d.ai/inferenceServing=true'])).items
      .find((p) => p.status.containerStatuses?.some((c) => c.name === 'vllm' && c.lastState.terminated?.reason === 'OOMKilled')));
    expect(pod.status.containerStatuses?.find((c) => c.name === 'vllm')?.restartCount).toBe(1);
    expect((await events('BackOff')).some((e) => e.involvedObject.name === pod.metadata.name && e.message.startsWith('Back-off restarting failed container vllm'))).toBe(true);
    expect((await w.kubectl(['wait', '--for=condition=Ready', 'pod', '-l', 'llm-d.ai/inferenceServing=true', '-n', NS, '--timeout=30s'])).exitCode).toBe(0);
  }, 40_000);

  it('portForwardDrop: the gateway pod goes away under the port-forward and is replaced', async () => {
    const killing = await until('the gateway pod being stopped', async () => (await events('Killing')).find((e) => e.involvedObject.name.startsWith('infra-cpu-inference-inference-gateway-istio-')));
    const next = await until('a replacement gateway pod', async () => { const n = await gatewayPod(); return n && n !== killing.involvedObject.name ? n : undefined; });
    expect(next).toMatch(/^infra-cpu-inference-inference-gateway-istio-/);
    expect(next).not.toBe(killing.involvedObject.name);
  }, 40_000);

  it('routeLegacyGroup: the route lands with the x-k8s group, Istio reports InvalidKind, re-applying the route repairs it', async () => {
    type Route = { spec: { rules: Array<{ backendRefs: Array<{ group: string }> }> }; status?: { parents?: Array<{ conditions: Array<{ type: string; status: string; reason: string; message: string }> }> } };
    const route = await until('route status', async () => {
      const r = await getJson<Route>(['get', 'httproute', 'llm-d-cpu-inference', '-n', NS]);
      return r.status?.parents?.[0]?.conditions.find((c) => c.type === 'ResolvedRefs') ? r : undefined;
    });
    expect(route.spec.rules[0]?.backendRefs[0]?.group).toBe('inference.networking.x-k8s.io');
    expect(route.status?.parents?.[0]?.conditions.find((c) => c.type === 'ResolvedRefs')).toMatchObject({
      status: 'False', reason: 'InvalidKind', message: 'referencing unsupported backendRef: group "inference.networking.x-k8s.io" kind "InferencePool"',
    });
    expect(await viaGateway(async (base) => (await fetch(`${base}/v1/models`)).status)).toBe(500);
    expect((await w.kubectl(['apply', '--server-side', '--force-conflicts', '-f', join(GUIDE, 'httproute.yaml'), '-n', NS])).exitCode).toBe(0);
    await until('ResolvedRefs True', async () => (await getJson<Route>(['get', 'httproute', 'llm-d-cpu-inference', '-n', NS])).status?.parents?.[0]?.conditions.some((c) => c.type === 'ResolvedRefs' && c.status === 'True'));
    expect(await viaGateway(async (base) => (await fetch(`${base}/v1/models`)).status)).toBe(200);
  }, 60_000);

  it('streamError: a streamed reply ends with an error frame and [DONE]; the next one is whole', async () => {
    await viaGateway(async (base) => {
      const broken = (await (await chat(base, true)).text()).split('\n\n').filter(Boolean);
      expect(broken.at(-1)).toBe('data: [DONE]');
      expect(JSON.parse(broken.at(-2)?.slice(6) ?? '{}')).toMatchObject({ error: { code: 500, type: 'InternalServerError' } });
      const whole = (await (await chat(base, true)).text()).split('\n\n').filter(Boolean);
      expect(whole.some((f) => f.includes('"error"'))).toBe(false);
      expect(whole.at(-1)).toBe('data: [DONE]');
    });
  }, 40_000);

  it('slowStartup: a container slower than its startup probe allows is killed and restarted', async () => {
    const file = join(w.state, 'slowpoke.yaml');
    writeFileSync(file, JSON.stringify({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'slowpoke', namespace: NS },
      spec: { replicas: 1, selector: { matchLabels: { app: 'slowpoke' } }, template: { metadata: { labels: { app: 'slowpoke' } }, spec: { containers: [{
        name: 'slowpoke', image: 'docker.io/library/busybox:1.37', startupProbe: { httpGet: { path: '/health', port: 8080 }, periodSeconds: 10, failureThreshold: 3 },
      }] } } },
    }));
    expect((await w.kubectl(['apply', '-f', file])).exitCode).toBe(0);
    const unhealthy = await until('Unhealthy event', async () => (await events('Unhealthy')).find((e) => e.involvedObject.name.startsWith('slowpoke-')));
    expect(unhealthy.message).toMatch(/^Startup probe failed: Get "http:\/\/10\.244\.0\.\d+:8080\/health": dial tcp .*connection refused$/);
    await until('the restart', async () => (await getJson<{ items: Pod[] }>(['get', 'pods', '-n', NS, '-l', 'app=slowpoke'])).items[0]?.status.containerStatuses?.[0]?.restartCount);
    expect((await events('Killing')).some((e) => e.message === 'Container slowpoke failed startup probe, will be restarted')).toBe(true);
  }, 40_000);

  it('containerCrash: the named container logs its last words and exits on every start (CrashLoopBackOff)', async () => {
    const file = join(w.state, 'crashy.yaml');
    const dep = (name: string) => ({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: NS },
      spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'crashy', image: 'docker.io/library/busybox:1.37' }] } } },
    });
    // The same container name in a pod the fault's `pod` does not match keeps running.
    writeFileSync(file, [dep('crashy'), dep('steady')].map((d) => JSON.stringify(d)).join('\n---\n'));
    expect((await w.kubectl(['apply', '-f', file])).exitCode).toBe(0);
    const podOf = async (app: string) => (await getJson<{ items: Pod[] }>(['get', 'pods', '-n', NS, '-l', `app=${app}`])).items[0];
    const crashed = await until('a restart', async () => { const p = await podOf('crashy'); return (p?.status.containerStatuses?.[0]?.restartCount ?? 0) > 0 ? p : undefined; });
    const previous = (await w.kubectl(['logs', '-n', NS, crashed.metadata.name, '-c', 'crashy', '--previous'])).stdout;
    expect(previous).toMatch(/^level=ERROR msg="Fatal error" err="opening storage failed: \d{4}-\d\d-\d\dT[\d:.]+Z"$/m);
    expect((await events('BackOff')).some((e) => e.involvedObject.name === crashed.metadata.name)).toBe(true);
    await w.kubectl(['wait', '--for=condition=Ready', 'pod', '-l', 'app=steady', '-n', NS, '--timeout=30s']);
    expect((await podOf('steady'))?.status.containerStatuses?.[0]?.restartCount).toBe(0);
    // onePod: the cause lived in that pod; its replacement starts clean and stays up.
    expect((await w.kubectl(['delete', 'pod', '-n', NS, crashed.metadata.name])).exitCode).toBe(0);
    await until('the replacement', async () => { const p = await podOf('crashy'); return p && p.metadata.name !== crashed.metadata.name ? p : undefined; });
    await w.kubectl(['wait', '--for=condition=Ready', 'pod', '-l', 'app=crashy', '-n', NS, '--timeout=30s']);
    expect((await podOf('crashy'))?.status.containerStatuses?.[0]?.restartCount).toBe(0);
  }, 40_000);
});
