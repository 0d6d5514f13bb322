// Snapshot fixtures for the doctor's rule tests: today's llm-d (the default release) on a Linux x86 host,
// pods shaped like the ones the simulated cluster (and a real one) has at each kind of failure.
import type { JournalDoc } from '../../../shared/api/engine.js';
import { defaultSettings, type Settings } from '../../../shared/api/settings.js';
import { fillNames, releaseNames, releaseSelectors } from '../../../shared/release.js';
import { planContext } from '../plan/build-plan.js';
import { listReleases } from '../stack/releases.js';
import { releaseOptions } from './release-options.js';
import type { ContainerSnapshot, DeploymentSnapshot, ForwardSnapshot, InferencePoolSnapshot, KubeSnapshot, PodSnapshot, RouteSnapshot, Snapshot } from './snapshot.js';

export const AT = new Date('2026-12-02T10:00:00Z');
export const ago = (seconds: number): string => new Date(AT.getTime() - seconds * 1000).toISOString();

export const plan = (over: Partial<Settings> = {}) =>
  planContext({ ...defaultSettings(), ...over }, { platform: 'linux', arch: 'x64', runtimes: { docker: true, podman: false }, cpu: { bf16: true } });

export const container = (over: Partial<ContainerSnapshot> = {}): ContainerSnapshot => ({
  name: 'modelserver', image: 'docker.io/vllm/vllm-openai-cpu:v0.26.0', ready: true, started: true, restartCount: 0,
  state: { kind: 'running', startedAt: ago(600) }, limits: { memory: '6Gi', cpu: '4' },
  startupProbe: { initialDelaySeconds: 15, periodSeconds: 30, failureThreshold: 120 },
  args: ['vllm', 'serve', 'HuggingFaceTB/SmolLM2-360M-Instruct', '--dtype=bfloat16'],
  ...over,
});

export const decodePod = (name: string, c: Partial<ContainerSnapshot> = {}, over: Partial<PodSnapshot> = {}): PodSnapshot => {
  const cs = container(c);
  return {
    namespace: 'llm-d-cpu-inference', name: `optimized-baseline-cpu-vllm-decode-7d9f-${name}`,
    labels: { 'llm-d.ai/guide': 'optimized-baseline', 'llm-d.ai/role': 'decode' },
    phase: 'Running', createdAt: ago(700), node: 'llm-d-cpu', podReady: cs.ready, readyText: cs.ready ? '1/1' : '0/1', conditions: [], containers: [cs],
    ...over,
  };
};

export const snapshot = (over: Partial<Snapshot> = {}): Snapshot => ({
  at: AT, plan: plan(), cluster: { reachable: true }, pods: [decodePod('a'), decodePod('b')], events: [], logs: {},
  nodes: [{ name: 'llm-d-cpu', arch: 'amd64', allocatable: { cpu: '8', memory: '24Gi' } }], gaps: [],
  ...over,
});

/** The other stack releases under resources/releases, as the doctor collects them for this plan. */
export const otherReleases = (p: ReturnType<typeof plan> = plan()) => releaseOptions(listReleases(), p.release.id, p.accelerator);

/** The guide's release (Istio gateway, HTTPRoute, InferencePool from the gaie chart). */
export const guidePlan = (over: Partial<Settings> = {}) => plan({ release: 'llm-d-0.4-cpu-guide', ...over });

/** The EPP pod of the plan's release, its EPP container running with `args`. */
export const eppPod = (p: ReturnType<typeof plan>, args: string[], name = 'x7k2p'): PodSnapshot => {
  const [key, value] = releaseSelectors(p.release).epp.split('=') as [string, string];
  const epp = container({ name: p.release.containers.epp, image: 'ghcr.io/llm-d/llm-d-router-endpoint-picker:v0.10.0', args, limits: {}, startupProbe: undefined });
  return {
    namespace: p.settings.namespace, name: `${releaseNames(p.release).epp}-5c9d8-${name}`, labels: { [key]: value },
    phase: 'Running', createdAt: ago(700), node: 'llm-d-cpu', podReady: true, readyText: '2/2', conditions: [], containers: [container({ name: 'envoy-proxy', args: ['envoy', '-c', '/etc/envoy/envoy.yaml'] }), epp],
  };
};

/** The guide's HTTPRoute as Istio reports it once all references resolved. */
export const route = (over: Partial<RouteSnapshot> = {}): RouteSnapshot => ({
  namespace: 'llm-d-cpu-inference', name: 'llm-d-cpu-inference', generation: 1,
  backendRefs: [{ group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'gaie-cpu-inference' }],
  parents: [{ parent: 'gateway/llm-d-cpu-inference/infra-cpu-inference-inference-gateway', conditions: [
    { type: 'Accepted', status: 'True', reason: 'Accepted', message: 'Route was valid', observedGeneration: 1 },
    { type: 'ResolvedRefs', status: 'True', reason: 'ResolvedRefs', message: 'All references resolved', observedGeneration: 1 },
  ] }],
  ...over,
});

/** The gateway forward as the access step records it, working. */
export const forward = (over: Partial<ForwardSnapshot> = {}): ForwardSnapshot => ({
  name: 'gateway', pid: 4242, alive: true, port: 8000, url: 'http://127.0.0.1:8000', answers: true,
  context: 'llm-d-cpu', namespace: 'llm-d-cpu-inference', service: 'optimized-baseline-epp', servicePort: 80, startedAt: ago(900),
  ...over,
});

/** A kubeconfig with the profile's context, current. */
export const kube = (over: Partial<KubeSnapshot> = {}): KubeSnapshot => ({
  files: ['/home/me/.kube/config'], contexts: ['llm-d-cpu'], current: 'llm-d-cpu',
  clusterOf: { 'llm-d-cpu': { cluster: 'llm-d-cpu', server: 'https://192.168.49.2:8443' } },
  ...over,
});

/** The last run's journal: an install whose steps are given (id → state, with an error on a failed one). */
export const journal = (steps: JournalDoc['steps'], over: Partial<JournalDoc> = {}): JournalDoc => ({
  version: 1, runId: 'run-42', kind: 'up', status: steps.some((st) => st.state === 'failed') ? 'failed' : 'succeeded', pid: 1,
  startedAt: ago(300), endedAt: ago(10), settings: {}, steps, ...over,
});

/** The release's InferencePool as its chart creates it: the selector is the router values' / gaie values' matchLabels. */
export const pool = (p: ReturnType<typeof plan> = plan(), over: Partial<InferencePoolSnapshot> = {}): InferencePoolSnapshot => ({
  namespace: p.settings.namespace, name: releaseNames(p.release).inferencePool, group: 'inference.networking.k8s.io',
  selector: p.release.id === 'llm-d-0.4-cpu-guide' ? { 'llm-d.ai/inferenceServing': 'true' } : { 'llm-d.ai/guide': 'optimized-baseline' },
  targetPort: p.release.ports.decodeTarget, ...over,
});

/** A model server of the guide's release (modelservice chart: vllm + the routing sidecar). */
export const guideDecodePod = (name: string, c: Partial<ContainerSnapshot> = {}, over: Partial<PodSnapshot> = {}): PodSnapshot => {
  const p = decodePod(name, { name: 'vllm', ...c });
  return { ...p, name: `ms-cpu-inference-llm-d-modelservice-decode-6b8c-${name}`, labels: { 'llm-d.ai/inferenceServing': 'true', 'llm-d.ai/role': 'decode' }, readyText: p.podReady ? '2/2' : '1/2', ...over };
};

/** Every pod the release's ready step waits for once (the EPP; the Istio gateway where there is one), Ready. */
export const gatewayPods = (p: ReturnType<typeof plan>): PodSnapshot[] => p.release.readiness.filter((r) => r.count === 'one').map((r, i) => {
  const labels = Object.fromEntries(fillNames(p.release, r.selector).split(',').map((kv) => kv.split('=') as [string, string]));
  return { ...eppPod(p, ['--pool-name=' + releaseNames(p.release).inferencePool], `g${i}x9`), labels, name: `${r.what.toLowerCase().replace(/[^a-z]+/g, '-')}-7f6d5-g${i}x9` };
});

/** The stack namespace's Deployment of the model servers. */
export const decodeDeployment = (p: ReturnType<typeof plan>, replicas: number, readyReplicas = replicas): DeploymentSnapshot => ({
  namespace: p.settings.namespace, name: releaseNames(p.release).decodeDeployment, replicas, readyReplicas,
});
