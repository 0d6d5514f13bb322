// llm-d v0.9.0's optimized baseline in Standalone mode, in the simulated world as on a real cluster: the
// router chart v0.10.0 gives one EPP pod with its Envoy sidecar (2/2), the kustomize-style Deployment two
// vLLM v0.26.0 pods (1/1); a chat through a port-forward of the EPP pod's Envoy listener streams an
// answer and the EPP logs the decision in llm-d-router's shape; the safe-upgrades policy refuses the old
// Gateway API CRDs; legacy GAIE-chart values fail the install as routerlib fails it.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mirrorPath } from './mirror/build.js';
import { installStandalone, makeWorld, portForward, STANDALONE_CHART, STANDALONE_NS as NS, type World } from './testkit.js';
import { SIM_CRD_MANIFESTS } from './upstream.js';
import { sleep } from './state.js';

let w: World;
beforeAll(async () => {
  w = makeWorld();
  await installStandalone(w);
}, 60_000);
afterAll(async () => { await w?.cleanup(); });

interface PodList { items: Array<{ metadata: { name: string; labels: Record<string, string> }; status: { podIP: string; containerStatuses?: Array<{ name: string; ready: boolean }> } }> }
const pods = async (selector: string): Promise<PodList> => JSON.parse((await w.kubectl(['get', 'pods', '-n', NS, '-l', selector, '-o', 'json'])).stdout) as PodList;
/** `kubectl wait` refuses a selector that matches nothing yet: wait for the controller to create the pods first. */
async function waitReady(selector: string, count: number): Promise<PodList> {
  for (let i = 0; i < 100 && (await pods(selector)).items.length < count; i++) await sleep(100);
  const r = await w.kubectl(['wait', '--for=condition=Ready', 'pod', '-l', selector, '-n', NS, '--timeout=30s']);
  expect(r.exitCode, r.stderr).toBe(0);
  return pods(selector);
}
const EPP = 'llm-d-router-gateway=optimized-baseline-epp';
const DECODE = 'llm-d.ai/guide=optimized-baseline';

describe('optimized-baseline, Standalone mode (llm-d-router-standalone v0.10.0)', () => {
  it('the EPP pod is 2/2 (envoy-proxy + epp) and both decode pods 1/1, Ready for kubectl wait', async () => {
    const epp = (await waitReady(EPP, 1)).items;
    expect(epp).toHaveLength(1);
    expect(epp[0]?.metadata.name).toMatch(/^optimized-baseline-epp-[a-z0-9]+-[a-z0-9]{5}$/);
    expect(epp[0]?.status.containerStatuses?.map((c) => [c.name, c.ready])).toEqual([['envoy-proxy', true], ['epp', true]]);
    const decode = (await waitReady(DECODE, 2)).items;
    expect(decode).toHaveLength(2);
    // The guide's robust wait (llm-d-current-facts.md §3).
    const rollout = await w.kubectl(['rollout', 'status', 'deploy/optimized-baseline-epp', '-n', NS, '--timeout=30s']);
    expect(rollout.exitCode, rollout.stderr).toBe(0);
    for (const p of decode) {
      expect(p.metadata.name).toMatch(/^optimized-baseline-cpu-vllm-decode-[a-z0-9]+-[a-z0-9]{5}$/);
      expect(p.status.containerStatuses?.map((c) => [c.name, c.ready])).toEqual([['modelserver', true]]);
    }
    const svc = JSON.parse((await w.kubectl(['get', 'svc', 'optimized-baseline-epp', '-n', NS, '-o', 'json'])).stdout) as { spec: { ports: Array<{ name: string; port: number; targetPort: number }> } };
    expect(svc.spec.ports.map((p) => `${p.name}:${p.port}->${p.targetPort}`)).toEqual(['grpc-ext-proc:9002->9002', 'http-metrics:9090->9090', 'http:80->8081']);
    const pool = JSON.parse((await w.kubectl(['get', 'inferencepool', 'optimized-baseline', '-n', NS, '-o', 'json'])).stdout) as { spec: Record<string, unknown> };
    expect(pool.spec).toMatchObject({ appProtocol: 'http', selector: { matchLabels: { 'llm-d.ai/guide': 'optimized-baseline' } } });
  }, 40_000);

  it('a chat through the EPP pod\'s Envoy (svc port 80 → 8081) streams an answer; the EPP logs the v0.10 "Request handled" line', async () => {
    const epp = (await waitReady(EPP, 1)).items[0]?.metadata.name ?? '';
    const decode = (await waitReady(DECODE, 2)).items;
    const { port, server } = await portForward(w, NS, epp, 8081);
    try {
      const models = await (await fetch(`http://127.0.0.1:${port}/v1/models`)).json() as { data: Array<{ id: string; max_model_len: number }> };
      expect(models.data[0]).toMatchObject({ id: 'HuggingFaceTB/SmolLM2-360M-Instruct', max_model_len: 8192 });
      const res = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'HuggingFaceTB/SmolLM2-360M-Instruct', messages: [{ role: 'user', content: 'Say hello.' }], stream: true, max_tokens: 12 }),
      });
      expect(res.status).toBe(200);
      // The sidecar suppresses Envoy's own headers (router suppress_envoy_headers).
      expect(res.headers.get('x-envoy-upstream-service-time')).toBeNull();
      const frames = (await res.text()).split('\n\n').filter(Boolean);
      expect(frames.at(-1)).toBe('data: [DONE]');
      const text = frames.slice(0, -1).map((f) => (JSON.parse(f.slice(6)) as { choices: Array<{ delta?: { content?: string } }> }).choices[0]?.delta?.content ?? '').join('');
      expect(text.length).toBeGreaterThan(0);
    } finally {
      server.close();
    }
    const lines = (await w.kubectl(['logs', '-n', NS, epp, '-c', 'epp'])).stdout.split('\n').filter((l) => l.includes('"msg":"Request handled"'));
    // GET /v1/models has no body: routed at random before the director, so only the chat is "handled".
    expect(lines).toHaveLength(1);
    const line = lines[0] ?? '';
    expect(line).toMatch(/^\{"level":"info","ts":\d+(\.\d+)?,"caller":"requestcontrol\/director\.go:493","msg":"Request handled","x-request-id":"[0-9a-f-]{36}","objectiveKey":"","incomingModelName":"HuggingFaceTB\/SmolLM2-360M-Instruct","targetModelName":"HuggingFaceTB\/SmolLM2-360M-Instruct","priority":0,/);
    const rec = JSON.parse(line) as { endpoint: string; targetModel: string };
    expect(rec.targetModel).toBe('HuggingFaceTB/SmolLM2-360M-Instruct');
    expect(decode.map((p) => `${p.status.podIP}:8000`)).toContain(rec.endpoint);
    // At v >= 2 every request is announced first (handlers/server.go:433).
    expect((await w.kubectl(['logs', '-n', NS, epp, '-c', 'epp'])).stdout).toContain('"caller":"handlers/server.go:433","msg":"EPP received request"');
  }, 30_000);

  it('the EPP serves llm_d_epp_* metrics for its pool beside the deprecated inference_pool_* ones', async () => {
    const epp = (await pods(EPP)).items[0]?.metadata.name ?? '';
    const { port, server } = await portForward(w, NS, epp, 9090);
    try {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(text).toContain('llm_d_epp_ready_endpoints{name="optimized-baseline"} 2');
      expect(text).toContain('# HELP inference_pool_ready_pods [ALPHA] [Deprecated: Use llm_d_epp_ready_endpoints]');
    } finally {
      server.close();
    }
  });

  it('the vLLM pods run the recipe\'s command line (access log quiet for the probes\' endpoints)', async () => {
    const decode = (await pods(DECODE)).items[0]?.metadata.name ?? '';
    const { port, server } = await portForward(w, NS, decode, 8000);
    try {
      expect((await fetch(`http://127.0.0.1:${port}/v1/models`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
      const res = await fetch(`http://127.0.0.1:${port}/v1/completions`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'HuggingFaceTB/SmolLM2-360M-Instruct', prompt: 'Hi', max_tokens: 3 }),
      });
      expect(res.status).toBe(200);
      await res.text();
    } finally {
      server.close();
    }
    const log = (await w.kubectl(['logs', '-n', NS, decode, '-c', 'modelserver'])).stdout;
    expect(log).toContain("non-default args: {'model': 'HuggingFaceTB/SmolLM2-360M-Instruct', 'host': '0.0.0.0', 'port': 8000, 'max_model_len': 8192}");
    // --disable-access-log-for-endpoints=/health,/metrics,/v1/models: only the completion is logged.
    expect(log).toMatch(/"POST \/v1\/completions HTTP\/1\.1" 200/);
    expect(log).not.toMatch(/"GET \/(v1\/models|health) HTTP\/1\.1"/);
  });

  it('after v1.5.1 the safe-upgrades policy refuses re-applying the Gateway API v1.4.0 CRDs', async () => {
    const r = await w.kubectl(['apply', '--server-side', '-f', mirrorPath(SIM_CRD_MANIFESTS.gatewayApi.url)]);
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toContain("Error from server (Invalid): customresourcedefinitions.apiextensions.k8s.io \"gateways.gateway.networking.k8s.io\" is forbidden: ValidatingAdmissionPolicy 'safe-upgrades.gateway.networking.k8s.io' with binding 'safe-upgrades.gateway.networking.k8s.io' denied request: Installing CRDs with version before v1.5.0 is prohibited by default. Uninstall ValidatingAdmissionPolicy safe-upgrades.gateway.networking.k8s.io to install older versions.");
  });

  it('the upstream recipe\'s HF_TOKEN secretKeyRef (not optional) holds a pod in CreateContainerConfigError until the Secret exists', async () => {
    const container = { name: 'modelserver', image: 'docker.io/vllm/vllm-openai-cpu:v0.26.0', command: ['vllm', 'serve'], args: ['HuggingFaceTB/SmolLM2-360M-Instruct'],
      ports: [{ name: 'modelserver', containerPort: 8000 }], env: [{ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'llm-d-hf-token', key: 'HF_TOKEN' } } }] };
    const dep = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'hf-token-probe' }, spec: { replicas: 1, selector: { matchLabels: { app: 'hf-token-probe' } },
      template: { metadata: { labels: { app: 'hf-token-probe' } }, spec: { containers: [container] } } } };
    const file = join(w.state, 'hf-token-probe.json');
    writeFileSync(file, JSON.stringify(dep));
    expect((await w.kubectl(['apply', '-n', NS, '-f', file])).exitCode).toBe(0);
    const waiting = async () => (await pods('app=hf-token-probe')).items[0]?.status.containerStatuses?.[0] as { state?: { waiting?: { reason: string; message?: string } } } | undefined;
    for (let i = 0; i < 100 && (await waiting())?.state?.waiting?.reason !== 'CreateContainerConfigError'; i++) await sleep(100);
    expect((await waiting())?.state?.waiting).toEqual({ reason: 'CreateContainerConfigError', message: 'secret "llm-d-hf-token" not found' });
    const events = (await w.kubectl(['get', 'events', '-n', NS, '--field-selector', 'reason=Failed', '-o', 'json'])).stdout;
    expect(events).toContain('Error: secret \\"llm-d-hf-token\\" not found');
    expect((await w.kubectl(['create', 'secret', 'generic', 'llm-d-hf-token', '-n', NS, '--from-literal=HF_TOKEN=hf_test'])).exitCode).toBe(0);
    await waitReady('app=hf-token-probe', 1);
  }, 30_000);

  it('the old GAIE chart\'s top-level inferencePool values fail helm install with the routerlib message, before anything is created', async () => {
    const r = await w.run('helm', ['install', 'legacy', STANDALONE_CHART, '--version', 'v0.10.0', '-n', 'legacy-values', '--create-namespace',
      '--set', 'inferencePool.modelServers.matchLabels.app=vllm']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr.trim()).toBe("Error: INSTALLATION FAILED: execution error at (llm-d-router-standalone/templates/epp.yaml:1:3): Top-level 'inferencePool' is deprecated. Please migrate your values to 'router.modelServers' and 'router.inferencePool'.");
    expect((await w.kubectl(['get', 'namespace', 'legacy-values'])).exitCode).not.toBe(0);
  });
});
