// One snapshot per doctor rule that makes it report its finding: the gallery the Doctor panel is looked
// at with (e2e/web/doctor-gallery.spec.ts screenshots every finding) and the guard that a new rule comes
// with one (gallery.test.ts). Shaped like the unit tests' fixtures: the failures the sim scenarios make.
import { noEndpointAnswer } from '../../../shared/epp-answers.js';
import { releaseNames } from '../../../shared/release.js';
import { AT, ago, container, decodeDeployment, decodePod, eppPod, forward, gatewayPods, guideDecodePod, guidePlan, journal, kube, otherReleases, plan, pool, route, snapshot } from './fixtures.testkit.js';
import { logKey, type Snapshot } from './snapshot.js';

/** macOS with podman: the default podman machine hosts minikube. */
const macPlan = () => ({ ...plan({ driver: 'podman' }), platform: 'darwin', usesPodmanMachine: true });

const oom = decodePod('a', { ready: false, restartCount: 2, state: { kind: 'waiting', reason: 'CrashLoopBackOff' }, lastTerminated: { exitCode: 137, reason: 'OOMKilled', finishedAt: ago(30) } });
const pullFail = decodePod('a', { ready: false, image: 'quay.io/me/vllm:mine', state: { kind: 'waiting', reason: 'ImagePullBackOff', message: 'Back-off pulling image "quay.io/me/vllm:mine": quay.io/me/vllm:mine: not found' } });
const grafana = { ...decodePod('g'), namespace: 'llm-d-monitoring', name: 'llmd-grafana-5c-x', labels: { 'app.kubernetes.io/name': 'grafana' },
  containers: [container({ name: 'grafana', image: 'docker.io/grafana/grafana:12', ready: false, restartCount: 4, state: { kind: 'waiting', reason: 'CrashLoopBackOff' }, lastTerminated: { exitCode: 1, finishedAt: ago(40) } })] };
const pending = decodePod('c', { ready: false, state: { kind: 'waiting', reason: 'ContainerCreating' } }, { phase: 'Pending', node: undefined });
const quietEpp = eppPod(plan(), ['--pool-name=optimized-baseline', '--v=1', '--grpc-port=9002']);
const guide = guidePlan();
const routeDone = journal([{ id: 'minikube-start', state: 'done' }, { id: 'stack', state: 'done' }, { id: 'route', state: 'done' }]);
const tooSmall = 'The existing minikube profile "llm-d-cpu" has 4 CPUs (settings want 8) and 8192 MiB (settings want 24576). minikube cannot resize an existing cluster.';

const installed = journal([{ id: 'stack', state: 'done' }, { id: 'ready', state: 'done' }, { id: 'access', state: 'done' }]);
const answered = (a: { status: number; body: string }) => forward({ probe: { request: 'GET http://127.0.0.1:8000/v1/models', ...a } });
const guideStarting = guideDecodePod('a', { ready: false, started: false, state: { kind: 'running', startedAt: ago(150) } });

/** Rule id → a snapshot in which that rule finds what it looks for. */
export const GALLERY: Record<string, () => Snapshot> = {
  'last-run': () => snapshot({ journal: journal([{ id: 'ready', state: 'failed', endedAt: ago(10), error: { code: 'KUBE', message: 'Decode pod optimized-baseline-cpu-vllm-decode-7d9f-a was OOMKilled', hint: 'Use 1 replica, or give the cluster more memory.' } }]) }),
  'profile-too-small': () => snapshot({ journal: journal([{ id: 'prerequisites', state: 'done' }, { id: 'minikube-start', state: 'failed', endedAt: ago(12), error: { code: 'CONFLICT', message: tooSmall, hint: 'Delete it and retry, or lower the CPUs/memory in the settings.' } }]) }),
  'kube-context': () => snapshot({ journal: journal([{ id: 'minikube-start', state: 'skipped', outcome: 'already-done' }]), kube: kube({ contexts: ['kind-dev'], current: 'kind-dev', clusterOf: { 'kind-dev': { cluster: 'kind-dev' } } }) }),
  'oom-killed': () => snapshot({ pods: [oom, decodePod('b')], logs: { [logKey(oom, 'modelserver', true)]: ['INFO Loading weights', 'INFO Allocating KV cache', 'Killed'] } }),
  'image-pull': () => snapshot({ plan: plan({ images: { vllm: 'quay.io/me/vllm:mine' } }), pods: [pullFail],
    events: [{ namespace: pullFail.namespace, object: `pod/${pullFail.name}`, type: 'Warning', reason: 'Failed', message: 'Failed to pull image "quay.io/me/vllm:mine": not found', count: 3, lastSeen: ago(15) }] }),
  'crash-loop': () => snapshot({ pods: [grafana, decodePod('a')], logs: { [logKey(grafana, 'grafana', true)]: ['logger=provisioning level=error msg="Failed to provision data sources" error="Datasource provisioning error: datasource.yaml config is invalid. Only one datasource per organization can be marked as default"'] } }),
  'failed-scheduling': () => snapshot({ pods: [decodePod('a'), pending], events: [{ namespace: pending.namespace, object: `pod/${pending.name}`, type: 'Warning', reason: 'FailedScheduling', message: '0/1 nodes are available: 1 Insufficient memory. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.', count: 4, lastSeen: ago(5) }] }),
  'gateway-route': () => snapshot({ plan: guide, journal: routeDone, httpRoutes: { crd: true, items: [route({
    backendRefs: [{ group: 'inference.networking.x-k8s.io', kind: 'InferencePool', name: 'gaie-cpu-inference' }],
    parents: [{ parent: 'gateway/llm-d-cpu-inference/infra-cpu-inference-inference-gateway', conditions: [
      { type: 'Accepted', status: 'True', reason: 'Accepted', observedGeneration: 1 },
      { type: 'ResolvedRefs', status: 'False', reason: 'InvalidKind', message: 'referencing unsupported backendRef: group "inference.networking.x-k8s.io" kind "InferencePool"', observedGeneration: 1, lastTransitionTime: ago(60) },
    ] }],
  })] } }),
  'gateway-backends': () => snapshot({ journal: installed, pods: gatewayPods(plan()), inferencePools: [pool()], deployments: [decodeDeployment(plan(), 0)], forwards: [answered(noEndpointAnswer('llm-d-router', false))] }),
  'forward-dead': () => snapshot({ forwards: [forward({ alive: false, answers: false })] }),
  'decode-starting': () => snapshot({ pods: [decodePod('a', { ready: false, started: false, state: { kind: 'running', startedAt: ago(3500) } }), decodePod('b')] }),
  'epp-routing-log': () => snapshot({ pods: [decodePod('a'), quietEpp] }),
  'podman-machine': () => snapshot({ plan: macPlan(), podman: {
    name: 'podman-machine-default', at: AT.toISOString(), want: { cpus: 10, memoryMiB: 28672, diskGB: 120 },
    machine: { name: 'podman-machine-default', state: 'running', cpus: 4, memoryMiB: 8192, diskGB: 120, rootful: false, isDefault: true },
    commands: [['podman', 'machine', 'list', '--format', 'json'], ['podman', 'machine', 'inspect', 'podman-machine-default']],
    output: ['"Rootful": false', '"State": "running"', '"CPUs": 4', '"Memory": 8192'],
  } }),
  'local-port': () => snapshot({
    localPorts: [{ forward: 'gateway', port: 8000, inUse: true, ours: false, holder: { pid: 3131, command: 'python3' }, how: '/proc/net/tcp socket inode 991, /proc/3131/fd' }],
    forwards: [forward({ port: 41234, url: 'http://127.0.0.1:41234' })],
  }),
  'tool-version': () => snapshot({ tools: [{ name: 'helm', required: true, installed: true, version: '3.10.3', minimum: '3.12.0', pinned: '3.19.0', path: '/usr/local/bin/helm', source: 'system', ok: false, install: 'download', problem: 'helm 3.10.3 is older than the minimum 3.12.0. Install the pinned version.' }] }),
  'metrics-port': () => snapshot({ monitors: { crd: true, podPorts: {},
    items: [{ kind: 'ServiceMonitor', namespace: 'llm-d-cpu-inference', name: 'optimized-baseline-epp-monitor', selector: { 'app.kubernetes.io/name': 'optimized-baseline-epp' }, ports: ['http-metrics'] }],
    services: [{ namespace: 'llm-d-cpu-inference', name: 'optimized-baseline-epp', labels: { 'app.kubernetes.io/name': 'optimized-baseline-epp' }, ports: [{ name: 'grpc-ext-proc', port: 9002 }, { name: 'metrics', port: 9090 }, { name: 'http', port: 80 }] }] } }),
  'host-fit': () => snapshot({ host: { facts: {} as never, needs: {} as never, detectedAt: ago(60), fit: { level: 'does-not-fit', summary: 'The default setup does not fit this machine.', advice: ['Use 1 replica.'], suggested: { replicas: 1, memoryMiB: 12288 },
    checks: [{ resource: 'memory', level: 'does-not-fit', need: '28 GiB', have: '16 GiB', advice: 'Give the cluster at most 12 GiB, or use 1 replica.' }] } } }),
};

/** A pod whose one container the kubelet backs off pulling `image`, with containerd's `detail`, and its event. */
function pullRefused(pod: Snapshot['pods'][number], image: string, detail: string): Pick<Snapshot, 'pods' | 'events'> {
  const message = `rpc error: code = Unknown desc = failed to pull and unpack image "${image}": ${detail}`;
  const p = { ...pod, podReady: false, readyText: '0/1', containers: pod.containers.map((c) => ({ ...c, image, ready: false, started: false, state: { kind: 'waiting' as const, reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}": ErrImagePull: ${message}` } })) };
  return { pods: [p], events: [{ namespace: p.namespace, object: `pod/${p.name}`, type: 'Warning', reason: 'Failed', message: `Failed to pull image "${image}": ${message}`, count: 4, lastSeen: ago(20) }] };
}

const VLLM = 'docker.io/vllm/vllm-openai-cpu:v0.26.0';
const ENVOY = 'docker.io/envoyproxy/envoy:distroless-v1.33.2';
const ARM_ONLY = 'quay.io/petecheslock/llm-d-cpu:v0.4.0-arm64';
/** The guide's own amd64 model server (its release.yaml), and one of its decode pods. */
const GUIDE_VLLM = 'public.ecr.aws/q9t5s3a7/vllm-cpu-release-repo:v0.11.2';
const guideDecode = decodePod('a', { name: guide.release.containers.modelServer }, { name: `${releaseNames(guide.release).decodeDeployment}-6f7c9-q2x7z`, labels: { 'llm-d.ai/inferenceServing': 'true' } });
const router = { ...decodePod('r', { name: 'envoy-proxy' }), name: 'optimized-baseline-router-6b8c9d-q2x7z', labels: { 'app.kubernetes.io/name': 'optimized-baseline-router' }, serviceAccount: 'optimized-baseline-router' };

/**
 * More findings of one rule, each screenshotted as `doctor-finding-<id>` beside the rule's own: the image
 * pull's other reasons, in the sim's (containerd's) words (sim/registry/pull.ts).
 */
// ---- Second shapes of a rule's finding (doctor-gaps): each one screenshotted as doctor-finding-<key> ----

const probeKilled = decodePod('a', { ready: false, started: false, restartCount: 2, state: { kind: 'running', startedAt: ago(20) }, lastTerminated: { exitCode: 137, reason: 'Error', finishedAt: ago(25) } });
const prometheus = { ...decodePod('p'), namespace: 'llm-d-monitoring', name: 'prometheus-llmd-kube-prometheus-stack-prometheus-0', labels: { 'app.kubernetes.io/name': 'prometheus' },
  containers: [container({ name: 'prometheus', image: 'quay.io/prometheus/prometheus:v3.14.0-distroless', ready: false, restartCount: 5, state: { kind: 'waiting', reason: 'CrashLoopBackOff' }, lastTerminated: { exitCode: 1, finishedAt: ago(35) } })] };
const probeEvent = (reason: string, type: string, message: string, count: number) => ({ namespace: probeKilled.namespace, object: `pod/${probeKilled.name}`, type, reason, message, count, lastSeen: ago(25) });

/** Variant key → the rule it is a finding of and the snapshot that makes it (a rule's other story). */
export const GALLERY_VARIANTS: Record<string, { rule: string; make: () => Snapshot }> = {
  'image-pull-denied': { rule: 'image-pull', make: () => snapshot(pullRefused(decodePod('a', {}, { serviceAccount: 'optimized-baseline' }), VLLM,
    `failed to resolve reference "${VLLM}": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`)) },
  'image-pull-rate-limited': { rule: 'image-pull', make: () => snapshot(pullRefused(router, ENVOY,
    `failed to copy: httpReadSeeker: failed open: unexpected status code https://registry-1.docker.io/v2/envoyproxy/envoy/manifests/sha256:${'3f'.repeat(32)}: 429 Too Many Requests - Server message: toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit`)) },
  'image-pull-wrong-arch': { rule: 'image-pull', make: () => ({ ...snapshot(pullRefused(decodePod('a'), ARM_ONLY, 'no match for platform in manifest: not found')), plan: plan({ images: { vllm: ARM_ONLY } }) }) },
  // The release's own model server lacks the node's architecture: a switch to today's release (newer CRDs, so a click).
  'image-pull-wrong-arch-release': { rule: 'image-pull', make: () => ({ ...snapshot(pullRefused(guideDecode, GUIDE_VLLM, 'no match for platform in manifest: not found')), plan: guide, releases: otherReleases(guide), gatewayApi: 'v1.4.0' }) },
  'decode-starting-probe-killed': { rule: 'decode-starting', make: () => snapshot({
    journal: journal([{ id: 'stack', state: 'done' }, { id: 'ready', state: 'failed', endedAt: ago(5), error: { code: 'TIMEOUT', message: 'Waited 900 s for 1 ready pod(s)' } }], { status: 'failed' }),
    pods: [probeKilled],
    events: [
      probeEvent('Unhealthy', 'Warning', 'Startup probe failed: Get "http://10.244.0.8:8000/v1/models": dial tcp 10.244.0.8:8000: connect: connection refused', 240),
      probeEvent('Killing', 'Normal', 'Container modelserver failed startup probe, will be restarted', 2),
    ],
    logs: { [logKey(probeKilled, 'modelserver', true)]: ['INFO 01-06 10:00:05 [cpu_worker.py:102] Loading model weights...', 'INFO 01-06 10:03:40 [cpu_model_runner.py:88] Compiling the model graph for the CPU...'] },
  }) },
  'crash-loop-prometheus': { rule: 'crash-loop', make: () => snapshot({ pods: [prometheus, decodePod('a')], logs: { [logKey(prometheus, 'prometheus', true)]: [
    'time=2026-12-02T09:59:20.100Z level=INFO source=main.go:1400 msg="Starting TSDB ..."',
    'time=2026-12-02T09:59:20.200Z level=ERROR source=main.go:1450 msg="Fatal error" err="opening storage failed: lock DB directory: resource temporarily unavailable"',
  ] } }) },
  'gateway-backends-still-starting': { rule: 'gateway-backends', make: () => snapshot({ plan: guide, journal: installed, pods: [...gatewayPods(guide), guideStarting], inferencePools: [pool(guide)],
    deployments: [decodeDeployment(guide, 1, 0)], forwards: [answered(noEndpointAnswer('gaie', false))] }) },
  // 2 CPUs hold not even one replica beside the stack: no "1 replica", the bigger cluster (one click that deletes it first).
  'failed-scheduling-cpu': { rule: 'failed-scheduling', make: () => snapshot({ plan: plan({ cpus: 2 }), pods: [decodePod('a'), pending], nodes: [{ name: 'llm-d-cpu', arch: 'amd64', allocatable: { cpu: '2', memory: '24Gi' } }],
    events: [{ namespace: pending.namespace, object: `pod/${pending.name}`, type: 'Warning', reason: 'FailedScheduling', message: '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.', count: 3, lastSeen: ago(5) }] }) },
  // 2 replicas' 6Gi limits in a 10 GiB node: the node ran out, so the bigger cluster comes first.
  'oom-killed-node': { rule: 'oom-killed', make: () => snapshot({ plan: plan({ memoryMiB: 10240 }), pods: [oom, decodePod('b')], nodes: [{ name: 'llm-d-cpu', arch: 'amd64', allocatable: { cpu: '8', memory: '10Gi' } }],
    logs: { [logKey(oom, 'modelserver', true)]: ['INFO Loading weights', 'INFO 01-06 10:00:06 [cpu_worker.py:130] Allocating 1.00 GiB for the KV cache (model weights 0.70 GiB)', 'Killed'] } }) },
  'oom-killed-smaller-model': { rule: 'oom-killed', make: () => snapshot({ plan: plan({ model: 'Qwen/Qwen2-0.5B-Instruct', replicas: 1 }), pods: [oom],
    logs: { [logKey(oom, 'modelserver', true)]: ['INFO Loading weights', 'INFO 01-06 10:00:06 [cpu_worker.py:130] Allocating 2.00 GiB for the KV cache (model weights 0.93 GiB)', 'Killed'] } }) },
};
