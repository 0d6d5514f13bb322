// The guide release's templates rendered for each model, both architectures and both accelerators, checked
// against the guide's values (llm-d-facts.md §1) and the repairs its release.yaml names.
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { MODELS } from '../../../shared/api/settings.js';
import { chooseImages, releaseNames, type Accelerator, type Arch, type ImageOverrides } from '../../../shared/release.js';
import { INFERENCE_POOL_GROUP, MODEL_CACHE } from '../../../shared/stack.js';
import { findResourcesDir } from '../resources.js';
import { loadRelease } from './releases.js';
import { renderStack, splitImage } from './render.js';

const resources = findResourcesDir({});
const guide = loadRelease('llm-d-0.4-cpu-guide', resources);
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test-only view of rendered YAML
type Over = Partial<{ model: string; replicas: number; namespace: string; arch: Arch; accelerator: Accelerator; hfToken: boolean; monitoring: boolean; images: ImageOverrides; memoryLimitGi: number; kvCacheGiB: number }>;
const render = async (over: Over = {}) => {
  const arch = over.arch ?? 'arm64';
  const accelerator = over.accelerator ?? 'cpu';
  const files = await renderStack(resources, {
    release: guide,
    settings: { namespace: over.namespace ?? 'llm-d-cpu-inference', model: (over.model ?? MODELS[0].id) as never, replicas: over.replicas ?? 2, monitoring: over.monitoring ?? true,
      ...(over.memoryLimitGi ? { memoryLimitGi: over.memoryLimitGi } : {}), ...(over.kvCacheGiB ? { kvCacheGiB: over.kvCacheGiB } : {}) },
    images: chooseImages(guide, arch, accelerator, over.images), accelerator,
    hfToken: over.hfToken ?? false,
  });
  const get = (name: string): Json => YAML.parse(files.find((f) => f.name === name)!.content) as Json;
  return { files, get };
};
const argValue = (args: string[], flag: string) => { const i = args.indexOf(flag); return i < 0 ? undefined : args[i + 1]; };

describe('the guide release’s templates', () => {
  it('renders the guide’s SmolLM2 values on arm64 (apart from EPP verbosity and the repairs)', async () => {
    const { get } = await render();
    const ms = get('ms-values.yaml');
    const vllm = ms.decode.containers[0];
    expect(ms.modelArtifacts).toEqual({ uri: 'hf://HuggingFaceTB/SmolLM2-360M-Instruct', size: '1Gi', authSecretName: '', name: 'HuggingFaceTB/SmolLM2-360M-Instruct' });
    expect(vllm.image).toBe('quay.io/petecheslock/llm-d-cpu:v0.4.0-arm64');
    expect(vllm.args).toEqual(['--model', 'HuggingFaceTB/SmolLM2-360M-Instruct', '--host', '0.0.0.0', '--port', '8200', '--dtype', 'bfloat16',
      '--max-model-len', '4096', '--max-num-batched-tokens', '4096', '--disable-frontend-multiprocessing']);
    expect(vllm.env).toContainEqual({ name: 'VLLM_CPU_KVCACHE_SPACE', value: '1' });
    expect(vllm.resources).toEqual({ limits: { memory: '6Gi', cpu: '4' }, requests: { cpu: '500m', memory: '2Gi' } });
    expect(vllm.startupProbe).toMatchObject({ initialDelaySeconds: 180, failureThreshold: 60, httpGet: { port: 8200 } });
    expect(vllm.ports).toEqual([{ containerPort: guide.ports.decodeVllm, name: 'metrics', protocol: 'TCP' }]);
    expect(vllm).not.toHaveProperty('device');
    expect(ms.accelerator).toEqual({ type: 'cpu' });
    expect(ms.routing.proxy).toMatchObject({ image: 'quay.io/petecheslock/llm-d-routing-sidecar:v0.4.0-rc.1-arm64', zapEncoder: null, zapLogLevel: null });
    expect(ms.decode.monitoring.podmonitor.portName).toBe('metrics');
    const gaie = get('gaie-values.yaml');
    expect(gaie.inferenceExtension.flags).toEqual({ 'kv-cache-usage-percentage-metric': 'vllm:kv_cache_usage_perc', v: 3 });
    expect(gaie.inferenceExtension.image).toMatchObject({ hub: 'quay.io/petecheslock', name: 'gateway-api-inference-extension-epp', tag: 'v1.2.0-rc.1-arm64' });
    // The v1 pool's port comes from targetPorts; targetPortNumber is read only for v1alpha2 pools.
    expect(gaie.inferencePool.targetPorts).toEqual([{ number: 8000 }]);
    expect(gaie.inferencePool).not.toHaveProperty('targetPortNumber');
  });

  it.each(MODELS.map((m) => [m.id, m] as const))('applies %s’s args, env, resources and probes from the release', async (id, m) => {
    const { get } = await render({ model: id, replicas: 1 });
    const ms = get('ms-values.yaml');
    const vllm = ms.decode.containers[0];
    const per = guide.models[id]!;
    expect(ms.decode.replicas).toBe(1);
    expect(ms.modelArtifacts.uri).toBe(`hf://${id}`);
    expect(argValue(vllm.args, '--model')).toBe(id);
    for (const [flag, value] of Object.entries(per.args)) expect(argValue(vllm.args, flag)).toBe(value ?? undefined);
    for (const [name, value] of Object.entries(per.env)) expect(vllm.env.find((e: { name: string }) => e.name === name)?.value).toBe(value ?? undefined);
    expect(vllm.resources.limits.memory).toBe(`${m.memoryLimitGi}Gi`);
    expect(vllm.resources.requests.memory).toBe(`${m.memoryRequestGi}Gi`);
    expect(vllm.startupProbe.initialDelaySeconds).toBe(per.startupProbe.initialDelaySeconds);
    expect(vllm.startupProbe.failureThreshold).toBe(per.startupProbe.failureThreshold);
  });

  it('uses upstream amd64 images, the zap flags that sidecar has and the KV metric that vLLM serves', async () => {
    const { get } = await render({ arch: 'amd64' });
    const images = chooseImages(guide, 'amd64', 'cpu');
    const ref = (role: string) => images.find((i) => i.role === role)!.ref;
    const ms = get('ms-values.yaml');
    expect(ms.decode.containers[0].image).toBe(ref('vllm'));
    expect(ms.routing.proxy.image).toBe(ref('routingSidecar'));
    expect(ms.routing.proxy).not.toHaveProperty('zapEncoder');
    const gaie = get('gaie-values.yaml');
    expect(gaie.inferenceExtension.image).toMatchObject(splitImage(ref('epp')));
    expect(ref('epp')).not.toContain('llm-d-inference-scheduler'); // the removed GHCR package
    expect(gaie.inferenceExtension.flags['kv-cache-usage-percentage-metric']).toBe(images.find((i) => i.role === 'vllm')!.kvCacheMetric);
    for (const f of ['ms-values.yaml', 'gaie-values.yaml']) expect(JSON.stringify(get(f))).not.toContain('arm64');
  });

  it('renders the OOMKilled fixes’ settings: a raised memory limit (request kept) and a smaller KV cache', async () => {
    const qwen = MODELS.find((m) => m.id === 'Qwen/Qwen2-0.5B-Instruct')!.id;
    const vllm = (await render({ model: qwen, memoryLimitGi: 12, kvCacheGiB: 3 })).get('ms-values.yaml').decode.containers[0];
    expect(vllm.resources).toEqual({ limits: { memory: '12Gi', cpu: '4' }, requests: { cpu: '500m', memory: '1Gi' } });
    expect(vllm.env.filter((e: { name: string }) => e.name === 'VLLM_CPU_KVCACHE_SPACE')).toEqual([{ name: 'VLLM_CPU_KVCACHE_SPACE', value: '3' }]);
    // A limit below the model's request takes the request down with it (Kubernetes refuses request > limit).
    expect((await render({ memoryLimitGi: 1 })).get('ms-values.yaml').decode.containers[0].resources.requests.memory).toBe('1Gi');
  });

  it('deploys the NVIDIA variant with the GPU on: CUDA image, one nvidia.com/gpu per replica, no CPU-backend env', async () => {
    const { get } = await render({ arch: 'amd64', accelerator: 'nvidia' });
    const ms = get('ms-values.yaml');
    const vllm = ms.decode.containers[0];
    expect(ms.accelerator.type).toBe('nvidia');
    expect(vllm.image).toBe(chooseImages(guide, 'amd64', 'nvidia').find((i) => i.role === 'vllm')!.ref);
    expect(vllm.image).not.toBe(chooseImages(guide, 'amd64', 'cpu').find((i) => i.role === 'vllm')!.ref);
    expect(vllm.resources.limits['nvidia.com/gpu']).toBe(1);
    expect(vllm.env.map((e: { name: string }) => e.name)).not.toContain('VLLM_CPU_KVCACHE_SPACE');
    expect(vllm.env.map((e: { name: string }) => e.name)).not.toContain('VLLM_TARGET_DEVICE');
  });

  it('applies image overrides by role, splitting the EPP reference for the chart', async () => {
    const { get } = await render({ arch: 'amd64', images: { epp: 'registry.example.com:5000/team/epp:v9@sha256:' + 'a'.repeat(64), vllm: 'mirror.local/vllm/cpu:v1' } });
    expect(get('gaie-values.yaml').inferenceExtension.image).toMatchObject({ hub: 'registry.example.com:5000/team', name: 'epp', tag: `v9@sha256:${'a'.repeat(64)}` });
    expect(get('ms-values.yaml').decode.containers[0].image).toBe('mirror.local/vllm/cpu:v1');
    expect(splitImage('nginx')).toEqual({ hub: 'docker.io/library', name: 'nginx', tag: 'latest' });
  });

  it('follows the namespace and the release’s names in the helmfile, the EPP host and the route', async () => {
    const { get } = await render({ namespace: 'my-llm' });
    const names = releaseNames(guide);
    const hf = get('helmfile.yaml');
    expect(hf.releases.map((r: { namespace: string }) => r.namespace)).toEqual(['my-llm', 'my-llm', 'my-llm']);
    expect(hf.releases.map((r: { name: string }) => r.name)).toEqual([guide.charts.infra!.release, guide.charts.gaie!.release, guide.charts.ms!.release]);
    expect(hf.releases[2].needs).toEqual([guide.charts.infra!.release, guide.charts.gaie!.release]);
    expect(hf.releases[1].values[1].provider.istio.destinationRule.host).toBe(`${names.epp}.my-llm.svc.cluster.local`);
    expect(hf.releases.map((r: { version: string }) => r.version)).toEqual(['v1.3.4', 'v1.2.0-rc.1', 'v0.3.8']);
    expect(hf.repositories.map((r: { name: string }) => r.name).sort()).toEqual(['llm-d-infra', 'llm-d-modelservice']);
    const route = get('httproute.yaml');
    expect(route.metadata).toMatchObject({ name: names.httpRoute, namespace: 'my-llm' });
    expect(route.spec.parentRefs[0].name).toBe(names.gateway);
    expect(route.spec.rules[0].backendRefs[0]).toMatchObject({ group: INFERENCE_POOL_GROUP, kind: 'InferencePool', name: names.inferencePool, port: 8000 });
  });

  it('turns the charts’ ServiceMonitor and PodMonitor off when monitoring is off (their CRDs would be missing)', async () => {
    const on = await render();
    expect(on.get('gaie-values.yaml').inferenceExtension.monitoring.prometheus.enabled).toBe(true);
    expect(on.get('ms-values.yaml').decode.monitoring.podmonitor.enabled).toBe(true);
    const off = await render({ monitoring: false, replicas: 1 });
    expect(off.get('gaie-values.yaml').inferenceExtension.monitoring.prometheus.enabled).toBe(false);
    expect(off.get('ms-values.yaml').decode.monitoring.podmonitor.enabled).toBe(false);
  });

  it('references the token secret only when a token is set', async () => {
    expect((await render({ hfToken: true })).get('ms-values.yaml').modelArtifacts.authSecretName).toBe('llm-d-hf-token');
    expect((await render({ hfToken: false })).get('ms-values.yaml').modelArtifacts.authSecretName).toBe('');
  });

  it('keeps Istio as the guide has it and repairs Grafana’s default datasource', async () => {
    const { get } = await render();
    const istio = get('istio.helmfile.yaml');
    expect(istio.releases.map((r: { chart: string; version: string }) => `${r.chart}@${r.version}`)).toEqual(['istio/base@1.28.1', 'istio/istiod@1.28.1']);
    expect(istio.releases[1].values[0].pilot.env.ENABLE_GATEWAY_API_INFERENCE_EXTENSION).toBe('true');
    expect(istio.releases[1].needs).toEqual(['istio-system/istio-base']);
    const mon = get('monitoring-values.yaml');
    expect(mon.prometheus.prometheusSpec).toMatchObject({ podMonitorSelectorNilUsesHelmValues: false, serviceMonitorSelectorNilUsesHelmValues: false, retention: '6h' });
    // Only one default datasource: the chart's own is off, ours is the default.
    expect(mon.grafana.sidecar.datasources.defaultDatasourceEnabled).toBe(false);
    expect(mon.grafana.datasources['datasources.yaml'].datasources.filter((d: { isDefault?: boolean }) => d.isDefault)).toHaveLength(1);
    expect(mon.grafana.datasources['datasources.yaml'].datasources[0].url).toBe('http://llmd-kube-prometheus-stack-prometheus.llm-d-monitoring.svc.cluster.local:9090');
  });
});

describe('the shared model cache (settings modelCache)', () => {
  const cacheVolume = { name: MODEL_CACHE.volume, hostPath: { path: MODEL_CACHE.nodePath, type: 'DirectoryOrCreate' } };
  const cacheMount = { name: MODEL_CACHE.volume, mountPath: MODEL_CACHE.mountPath };
  const settings = (modelCache: boolean) => ({ namespace: 'llm-d-cpu-inference', model: MODELS[0].id, replicas: 2, monitoring: true, modelCache });

  it('the guide: the chart\'s per-pod emptyDir gives way to the node\'s host-backed folder as HF_HOME', async () => {
    for (const modelCache of [true, false]) {
      const files = await renderStack(resources, { release: guide, settings: settings(modelCache), images: chooseImages(guide, 'amd64', 'cpu'), accelerator: 'cpu', hfToken: false });
      const ms = YAML.parse(files.find((f) => f.name === 'ms-values.yaml')!.content) as Json;
      const vllm = ms.decode.containers[0];
      expect(vllm.mountModelVolume).toBe(!modelCache);
      expect(vllm.env.some((e: Json) => e.name === MODEL_CACHE.env)).toBe(modelCache);
      expect(vllm.volumeMounts.some((m: Json) => m.name === MODEL_CACHE.volume)).toBe(modelCache);
      if (modelCache) {
        expect(vllm.env).toContainEqual({ name: MODEL_CACHE.env, value: MODEL_CACHE.mountPath });
        expect(vllm.volumeMounts).toContainEqual(cacheMount);
        expect(ms.decode.volumes).toContainEqual(cacheVolume);
      }
    }
  });

  it('today\'s llm-d: the model server Deployment mounts it and names it HF_HOME', async () => {
    const v09 = loadRelease('llm-d-0.9-optimized-baseline', resources);
    const files = await renderStack(resources, { release: v09, settings: settings(true), images: chooseImages(v09, 'amd64', 'cpu'), accelerator: 'cpu', hfToken: false });
    const docs = YAML.parseAllDocuments(files.find((f) => f.name === 'modelservers.yaml')!.content).map((d) => d.toJSON() as Json);
    const pod = docs.find((d) => d.kind === 'Deployment')!.spec.template.spec;
    expect(pod.containers[0].env).toContainEqual({ name: MODEL_CACHE.env, value: MODEL_CACHE.mountPath });
    expect(pod.containers[0].volumeMounts).toContainEqual(cacheMount);
    expect(pod.volumes).toContainEqual(cacheVolume);
  });
});
