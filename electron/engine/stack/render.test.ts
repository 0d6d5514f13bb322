// Templates rendered for each model and both architectures, checked against llm-d-facts.md.
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { MODELS } from '../../../shared/api/settings.js';
import { IMAGES, INFERENCE_POOL_GROUP, NAMES } from '../../../shared/stack.js';
import { findResourcesDir } from '../resources.js';
import { renderStack } from './render.js';

const resources = findResourcesDir({});
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test-only view of rendered YAML
const render = async (over: Partial<{ model: string; replicas: number; namespace: string; arch: 'arm64' | 'amd64'; hfToken: boolean }> = {}) => {
  const files = await renderStack(resources, {
    settings: { namespace: over.namespace ?? 'llm-d-cpu-inference', model: (over.model ?? MODELS[0].id) as never, replicas: over.replicas ?? 2 },
    arch: over.arch ?? 'arm64',
    hfToken: over.hfToken ?? false,
  });
  const get = (name: string): Json => YAML.parse(files.find((f) => f.name === name)!.content) as Json;
  return { files, get };
};
const argValue = (args: string[], flag: string) => { const i = args.indexOf(flag); return i < 0 ? undefined : args[i + 1]; };

describe('stack templates', () => {
  it('renders the guide’s SmolLM2 values unchanged on arm64 (apart from EPP verbosity)', async () => {
    const { get } = await render();
    const ms = get('ms-values.yaml');
    const vllm = ms.decode.containers[0];
    expect(ms.modelArtifacts).toEqual({ uri: 'hf://HuggingFaceTB/SmolLM2-360M-Instruct', size: '1Gi', authSecretName: '', name: 'HuggingFaceTB/SmolLM2-360M-Instruct' });
    expect(vllm.image).toBe('quay.io/petecheslock/llm-d-cpu:v0.4.0-arm64');
    expect(vllm.args).toEqual(['--model', 'HuggingFaceTB/SmolLM2-360M-Instruct', '--host', '0.0.0.0', '--port', '8200', '--dtype', 'bfloat16',
      '--max-model-len', '4096', '--max-num-batched-tokens', '4096', '--disable-frontend-multiprocessing']);
    expect(vllm.env).toContainEqual({ name: 'VLLM_CPU_KVCACHE_SPACE', value: '1' });
    expect(vllm.resources).toEqual({ limits: { memory: '6Gi', cpu: '4' }, requests: { cpu: '500m', memory: '2Gi' } });
    expect(vllm.startupProbe).toMatchObject({ initialDelaySeconds: 180, failureThreshold: 60 });
    expect(vllm.ports).toEqual([{ containerPort: NAMES.decodeVllmPort, name: 'metrics', protocol: 'TCP' }]);
    expect(ms.routing.proxy).toMatchObject({ image: 'quay.io/petecheslock/llm-d-routing-sidecar:v0.4.0-rc.1-arm64', zapEncoder: null, zapLogLevel: null });
    expect(ms.decode.monitoring.podmonitor.portName).toBe('metrics');
    const gaie = get('gaie-values.yaml');
    expect(gaie.inferenceExtension.flags).toEqual({ 'kv-cache-usage-percentage-metric': 'vllm:kv_cache_usage_perc', v: 3 });
    expect(gaie.inferenceExtension.image).toMatchObject({ hub: 'quay.io/petecheslock', name: 'gateway-api-inference-extension-epp', tag: 'v1.2.0-rc.1-arm64' });
  });

  it.each(MODELS.map((m) => [m.id, m] as const))('applies %s’s resources, context length and probes', async (id, m) => {
    const { get } = await render({ model: id, replicas: 1 });
    const ms = get('ms-values.yaml');
    const vllm = ms.decode.containers[0];
    expect(ms.decode.replicas).toBe(1);
    expect(ms.modelArtifacts.uri).toBe(`hf://${id}`);
    expect(argValue(vllm.args, '--model')).toBe(id);
    expect(argValue(vllm.args, '--max-model-len')).toBe(String(m.maxModelLen));
    expect(argValue(vllm.args, '--kv-cache-memory-bytes')).toBe('kvCacheMemoryBytes' in m ? String(m.kvCacheMemoryBytes) : undefined);
    expect(vllm.env.find((e: { name: string }) => e.name === 'VLLM_CPU_KVCACHE_SPACE')?.value).toBe('kvCacheSpaceGi' in m ? String(m.kvCacheSpaceGi) : undefined);
    expect(vllm.resources.limits.memory).toBe(`${m.memoryLimitGi}Gi`);
    expect(vllm.resources.requests.memory).toBe(`${m.memoryRequestGi}Gi`);
    expect(vllm.startupProbe.initialDelaySeconds).toBe(m.startupInitialDelaySeconds);
    expect(vllm.startupProbe.failureThreshold).toBe(m.startupFailureThreshold);
  });

  it('uses multi-arch upstream images on amd64 and the KV metric that image serves', async () => {
    const { get } = await render({ arch: 'amd64' });
    const ms = get('ms-values.yaml');
    expect(ms.decode.containers[0].image).toBe(IMAGES.amd64.vllm);
    expect(ms.routing.proxy.image).toBe(IMAGES.amd64.routingSidecar);
    expect(ms.routing.proxy).not.toHaveProperty('zapEncoder');
    const gaie = get('gaie-values.yaml');
    expect(gaie.inferenceExtension.image).toMatchObject(IMAGES.amd64.epp);
    expect(gaie.inferenceExtension.flags['kv-cache-usage-percentage-metric']).toBe(IMAGES.amd64.kvCacheMetric);
    for (const f of ['ms-values.yaml', 'gaie-values.yaml']) expect(JSON.stringify(get(f))).not.toContain('arm64');
  });

  it('follows the namespace in the helmfile, the EPP host and the route', async () => {
    const { get } = await render({ namespace: 'my-llm' });
    const hf = get('helmfile.yaml');
    expect(hf.releases.map((r: { namespace: string }) => r.namespace)).toEqual(['my-llm', 'my-llm', 'my-llm']);
    expect(hf.releases[1].values[1].provider.istio.destinationRule.host).toBe('gaie-cpu-inference-epp.my-llm.svc.cluster.local');
    expect(hf.releases.map((r: { version: string }) => r.version)).toEqual(['v1.3.4', 'v1.2.0-rc.1', 'v0.3.8']);
    const route = get('httproute.yaml');
    expect(route.metadata.namespace).toBe('my-llm');
    expect(route.spec.rules[0].backendRefs[0]).toMatchObject({ group: INFERENCE_POOL_GROUP, kind: 'InferencePool', name: NAMES.inferencePool, port: 8000 });
  });

  it('turns the charts’ ServiceMonitor and PodMonitor off when monitoring is off (their CRDs would be missing)', async () => {
    const on = await render();
    expect(on.get('gaie-values.yaml').inferenceExtension.monitoring.prometheus.enabled).toBe(true);
    expect(on.get('ms-values.yaml').decode.monitoring.podmonitor.enabled).toBe(true);
    const files = await renderStack(resources, { settings: { namespace: 'llm-d-cpu-inference', model: MODELS[0].id, replicas: 1, monitoring: false }, arch: 'arm64', hfToken: false });
    const get = (name: string): Json => YAML.parse(files.find((f) => f.name === name)!.content) as Json;
    expect(get('gaie-values.yaml').inferenceExtension.monitoring.prometheus.enabled).toBe(false);
    expect(get('ms-values.yaml').decode.monitoring.podmonitor.enabled).toBe(false);
  });

  it('references the token secret only when a token is set', async () => {
    expect((await render({ hfToken: true })).get('ms-values.yaml').modelArtifacts.authSecretName).toBe('llm-d-hf-token');
    expect((await render({ hfToken: false })).get('ms-values.yaml').modelArtifacts.authSecretName).toBe('');
  });

  it('keeps Istio and monitoring as the guide has them', async () => {
    const { get } = await render();
    const istio = get('istio.helmfile.yaml');
    expect(istio.releases.map((r: { chart: string; version: string }) => `${r.chart}@${r.version}`)).toEqual(['istio/base@1.28.1', 'istio/istiod@1.28.1']);
    expect(istio.releases[1].values[0].pilot.env.ENABLE_GATEWAY_API_INFERENCE_EXTENSION).toBe('true');
    const mon = get('monitoring-values.yaml');
    expect(mon.prometheus.prometheusSpec).toMatchObject({ podMonitorSelectorNilUsesHelmValues: false, serviceMonitorSelectorNilUsesHelmValues: false, retention: '6h' });
  });
});
