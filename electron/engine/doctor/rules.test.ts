// Each doctor rule from fixtures: a finding (with evidence naming the object and its fixes), nothing to
// find, and not applicable.
import { describe, expect, it } from 'vitest';
import { ago, container, decodePod, journal, plan, snapshot } from './fixtures.testkit.js';
import { crashLoop } from './rules/crash-loop.js';
import { decodeStarting } from './rules/decode-starting.js';
import { failedScheduling } from './rules/failed-scheduling.js';
import { hostFit } from './rules/host-fit.js';
import { imagePull, pullReason } from './rules/image-pull.js';
import { lastRun } from './rules/last-run.js';
import { oomKilled } from './rules/oom-killed.js';
import { findFix, runDoctor, runRule } from './run.js';
import { logKey, type Snapshot } from './snapshot.js';
import { factsFromLimits } from '../../../shared/fit.js';
import type { Rule } from './rules/rule.js';

/** A host of that much memory (16 cores, 500 GB free) as the host check reports it; the rules read its facts. */
const hostOf = (memoryGiB: number): Snapshot['host'] => ({
  facts: factsFromLimits({ os: 'linux', cpus: 16, memoryBytes: memoryGiB * 2 ** 30, diskFreeBytes: 500e9, nvidiaGpu: false }),
  fit: { level: 'fits', summary: '', checks: [], advice: [] }, needs: {} as never, detectedAt: ago(60),
});

const noCluster = snapshot({ cluster: { reachable: false, why: 'no cluster "llm-d-cpu" yet' }, pods: [] });

describe('oom-killed', () => {
  const oom = decodePod('a', { ready: false, restartCount: 2, state: { kind: 'waiting', reason: 'CrashLoopBackOff' }, lastTerminated: { exitCode: 137, reason: 'OOMKilled', finishedAt: ago(30) } });
  it('names the pod, its limit and the guide\'s answers as fixes', () => {
    const s = snapshot({ pods: [oom, decodePod('b')], logs: { [logKey(oom, 'modelserver', true)]: ['INFO Loading weights', 'INFO Allocating KV cache'] } });
    const f = oomKilled.check(s)!;
    expect(f.summary).toMatch(/optimized-baseline-cpu-vllm-decode-7d9f-a was OOMKilled: vLLM needed more than its 6Gi memory limit.*2 replicas in 24576 MiB/);
    expect(f.evidence[0]).toMatchObject({ source: 'pod/llm-d-cpu-inference/optimized-baseline-cpu-vllm-decode-7d9f-a', at: ago(30) });
    expect(f.evidence[0]!.lines).toContain('INFO Allocating KV cache');
    // SmolLM2's KV cache is already 1 GiB (nothing lower) and it is the smallest model.
    expect(f.fixes.map((x) => x.id)).toEqual(['raise-limit', 'one-replica', 'more-cluster-memory']);
    expect(f.fixes[0]).toMatchObject({ kind: 'settings', label: 'Raise the memory limit to 8Gi', settings: { memoryLimitGi: 8 } });
    expect(f.fixes[1]).toMatchObject({ kind: 'settings', settings: { replicas: 1 } });
    // The bigger cluster is one click: 8 GiB more, the cluster deleted and created again at that size.
    expect(f.fixes[2]).toEqual({
      kind: 'settings', id: 'more-cluster-memory', recreatesCluster: true, settings: { memoryMiB: 32768 }, label: 'Recreate the cluster with 8 CPUs / 32 GiB',
      does: 'Deletes the cluster "llm-d-cpu" and everything in it first (every pod, volume and deployed chart), then runs the install again to create it with 8 CPUs and 32 GiB of memory; the model weights and the images cached on this computer survive and go into the new cluster.',
    });
    // What survives is said truthfully: with the caches off the weights go with the cluster.
    const uncached = oomKilled.check(snapshot({ plan: plan({ modelCache: false, imageCache: false }), pods: [oom] }))!;
    expect(uncached.fixes.find((x) => x.id === 'more-cluster-memory')).toMatchObject({ does: expect.stringContaining('(every pod, volume and deployed chart and the model weights downloaded into it)') });
    expect(uncached.fixes.find((x) => x.id === 'more-cluster-memory')).toMatchObject({ does: expect.stringContaining('nothing is cached on this computer (the model and image caches are off), so everything is downloaded again') });
    // Never a cluster bigger than the machine: a 24 GiB host cannot give 32 GiB and keep its own headroom.
    expect(oomKilled.check(snapshot({ host: hostOf(24), pods: [oom] }))!.fixes.map((x) => x.id)).not.toContain('more-cluster-memory');
    expect(oomKilled.check(snapshot({ host: hostOf(64), pods: [oom] }))!.fixes.map((x) => x.id)).toContain('more-cluster-memory');
    // A rehearsal's simulated cluster does not use the machine's memory.
    expect(oomKilled.check(snapshot({ host: hostOf(24), rehearsal: 'LLMD_REHEARSAL is set', pods: [oom] }))!.fixes.map((x) => x.id)).toContain('more-cluster-memory');
    // With a bigger model, the smaller one is offered and its 2 GiB KV cache halved; with 1 replica, "1 replica" is not.
    const bigger = oomKilled.check(snapshot({ plan: plan({ model: 'Qwen/Qwen2-0.5B-Instruct', replicas: 1 }), pods: [oom] }))!;
    expect(bigger.fixes.map((x) => x.id)).toEqual(['raise-limit', 'lower-kv-cache', 'smaller-model', 'more-cluster-memory']);
    expect(bigger.fixes[0]).toMatchObject({ settings: { memoryLimitGi: 12 } });
    expect(bigger.fixes[1]).toMatchObject({ label: 'Lower the KV cache to 1 GiB', settings: { kvCacheGiB: 1 } });
    // Smaller means smaller weights (SmolLM2 360M, not TinyLlama 1.1B with its lower default limit), in the limit that was killed.
    expect(bigger.fixes[2]).toMatchObject({ label: 'Use SmolLM2 360M Instruct', settings: { model: 'HuggingFaceTB/SmolLM2-360M-Instruct', memoryLimitGi: 10 } });
    const tiny = oomKilled.check(snapshot({ plan: plan({ model: 'TinyLlama/TinyLlama-1.1B-Chat-v1.0', replicas: 1 }), pods: [oom] }))!;
    expect(tiny.fixes.find((x) => x.id === 'smaller-model')).toMatchObject({ settings: { model: 'Qwen/Qwen2-0.5B-Instruct', memoryLimitGi: 10 } });
    // A limit raised once counts from the new value; one all replicas cannot have inside the cluster is not offered.
    expect(oomKilled.check(snapshot({ plan: plan({ memoryLimitGi: 8 }), pods: [oom] }))!.fixes[0]).toMatchObject({ settings: { memoryLimitGi: 10 } });
    expect(oomKilled.check(snapshot({ plan: plan({ memoryMiB: 12288 }), pods: [oom] }))!.fixes.map((x) => x.id)).not.toContain('raise-limit');
    // A KV cache already lowered is halved again from there.
    expect(oomKilled.check(snapshot({ plan: plan({ model: 'Qwen/Qwen2-0.5B-Instruct', kvCacheGiB: 4 }), pods: [oom] }))!.fixes.find((x) => x.id === 'lower-kv-cache')).toMatchObject({ settings: { kvCacheGiB: 2 } });
  });
  it('tells a node that ran out from a container over its own limit by the node\'s memory against the replicas\' limits, and puts the fixes that help first', () => {
    // 2 × 6Gi limits in a 10 GiB node: each fits its limit, together they may take more than the node has.
    const node = (gi: number) => [{ name: 'llm-d-cpu', arch: 'amd64', allocatable: { cpu: '8', memory: `${gi}Gi` } }];
    const ranOut = oomKilled.check(snapshot({ plan: plan({ memoryMiB: 10240 }), nodes: node(10), pods: [oom, decodePod('b')] }))!;
    expect(ranOut.summary).toMatch(/was OOMKilled: the node ran out of memory — 2 replicas with a 6Gi limit each may take more than its 10240 MiB, and its kernel kills one though it is under its own limit\./);
    expect(ranOut.evidence.at(-1)).toEqual({ source: 'node/llm-d-cpu', lines: ['node llm-d-cpu: 10 GiB allocatable memory; 2 model servers with their memory limits may take 12 GiB together — more than the node has'] });
    // A raised limit cannot fit twice in 10 GiB: the bigger cluster (which keeps both replicas) first, then 1 replica.
    expect(ranOut.fixes.map((x) => x.id)).toEqual(['more-cluster-memory', 'one-replica']);
    // The same kill in a node that holds both limits is the container's own limit.
    const own = oomKilled.check(snapshot({ plan: plan({ memoryMiB: 12288 }), nodes: node(12), pods: [oom, decodePod('b')] }))!;
    expect(own.summary).toMatch(/vLLM needed more than its 6Gi memory limit \(2 replicas in 12288 MiB: the node holds their limits\)/);
    expect(own.evidence.at(-1)!.lines[0]).toBe('node llm-d-cpu: 12 GiB allocatable memory; 2 model servers with their memory limits may take 12 GiB together');
    // Qwen2 with 10Gi limits: in 24 GiB the limit's fixes lead (a smaller model before 1 replica) …
    const q = (name: string) => decodePod(name, { ...oom.containers[0], limits: { memory: '10Gi', cpu: '4' } });
    const qwen = (memoryMiB: number) => oomKilled.check(snapshot({ plan: plan({ model: 'Qwen/Qwen2-0.5B-Instruct', memoryMiB }), nodes: node(memoryMiB / 1024), pods: [q('a'), q('b')] }))!;
    expect(qwen(24576).fixes.map((x) => x.id)).toEqual(['raise-limit', 'lower-kv-cache', 'smaller-model', 'one-replica', 'more-cluster-memory']);
    // … in 16 GiB (20 GiB of limits) the node's fixes do, and the KV cache stays on offer after them.
    expect(qwen(16384).fixes.map((x) => x.id)).toEqual(['more-cluster-memory', 'one-replica', 'lower-kv-cache']);
    // Without the node's memory the finding says both and keeps the old order.
    const unknown = oomKilled.check(snapshot({ nodes: [], pods: [oom, decodePod('b')] }))!;
    expect(unknown.summary).toMatch(/vLLM needed more than its 6Gi memory limit, or the node ran out/);
    expect(unknown.evidence.map((e) => e.source)).not.toContain('node/llm-d-cpu');
  });
  it('passes healthy pods and ignores an OOMKilled pod that is not a model server', () => {
    expect(oomKilled.check(snapshot())).toBeUndefined();
    expect(oomKilled.check(snapshot({ pods: [{ ...oom, labels: { app: 'grafana' } }] }))).toBeUndefined();
    expect(runRule(oomKilled, noCluster)).toMatchObject({ outcome: 'not-applicable', note: expect.stringContaining('no cluster') });
  });
});

describe('image-pull', () => {
  it('tells the registry\'s reasons apart in the kubelet\'s words', () => {
    expect(pullReason('failed to resolve reference "ghcr.io/x/y:v1": ghcr.io/x/y:v1: not found')).toBe('not-found');
    expect(pullReason('pull access denied, repository does not exist or may require authorization')).toBe('denied');
    expect(pullReason('unexpected status from HEAD request to https://ghcr.io/v2/x/manifests/v1: 403 Forbidden')).toBe('denied');
    expect(pullReason('unexpected status from HEAD request …: 429 Too Many Requests')).toBe('rate-limited');
    expect(pullReason('quay.io/a/b:v1-arm64: no match for platform in manifest: not found')).toBe('wrong-arch');
    expect(pullReason('dial tcp: lookup ghcr.io: no such host')).toBe('network');
  });
  it('names the image and offers the release\'s default back when it was an override', () => {
    const pod = decodePod('a', { ready: false, image: 'quay.io/me/vllm:mine', state: { kind: 'waiting', reason: 'ImagePullBackOff', message: 'Back-off pulling image "quay.io/me/vllm:mine": quay.io/me/vllm:mine: not found' } });
    const s = snapshot({ plan: plan({ images: { vllm: 'quay.io/me/vllm:mine' } }), pods: [pod], events: [{ namespace: pod.namespace, object: `pod/${pod.name}`, type: 'Warning', reason: 'Failed', message: 'Failed to pull image "quay.io/me/vllm:mine": not found', count: 3 }] });
    const f = imagePull.check(s)!;
    expect(f.summary).toBe('The node cannot pull quay.io/me/vllm:mine: the registry has no such image or tag (removed upstream, or a typo).');
    expect(f.evidence[0]!.lines).toContain('Failed to pull image "quay.io/me/vllm:mine": not found');
    expect(f.fixes[0]).toMatchObject({ id: 'release-default', settings: { images: {} } });
    expect(imagePull.check(snapshot())).toBeUndefined();
  });
});

describe('image-pull: one install whose images fail for different reasons', () => {
  const VLLM = 'docker.io/vllm/vllm-openai-cpu:v0.26.0';
  const EPP = 'ghcr.io/llm-d/llm-d-router-endpoint-picker:v0.10.0';
  const ENVOY = 'docker.io/envoyproxy/envoy:distroless-v1.33.2';
  const PROM = 'quay.io/prometheus/prometheus:v3.14.0-distroless';
  const backOff = (image: string, detail: string) => ({ kind: 'waiting' as const, reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}": ErrImagePull: rpc error: code = Unknown desc = failed to pull and unpack image "${image}": ${detail}` });
  const denied = decodePod('a', { ready: false, image: VLLM, state: backOff(VLLM, `failed to resolve reference "${VLLM}": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`) }, { serviceAccount: 'optimized-baseline' });
  const offline = { ...decodePod('e', { name: 'epp', ready: false, image: EPP, state: backOff(EPP, `failed to resolve reference "${EPP}": failed to do request: Head "https://ghcr.io/v2/llm-d/llm-d-router-endpoint-picker/manifests/v0.10.0": dial tcp: lookup ghcr.io on 192.168.49.1:53: no such host`) }), name: 'optimized-baseline-epp-5f-x', serviceAccount: 'optimized-baseline-epp' };
  const limited = { ...decodePod('r', { name: 'envoy', ready: false, image: ENVOY, state: backOff(ENVOY, `failed to copy: httpReadSeeker: failed open: unexpected status code https://registry-1.docker.io/v2/envoyproxy/envoy/manifests/sha256:${'ab'.repeat(32)}: 429 Too Many Requests - Server message: toomanyrequests: You have reached your pull rate limit.`) }), name: 'optimized-baseline-router-7c-y', serviceAccount: 'optimized-baseline-router' };
  const arm = { ...decodePod('p', { name: 'prometheus', ready: false, image: PROM, state: backOff(PROM, 'no match for platform in manifest: not found') }), namespace: 'llm-d-monitoring', name: 'prometheus-llmd-0' };

  it('tells each image\'s reason apart, and offers a pull secret for the refused ones, a network check for the unreachable one', () => {
    const f = imagePull.check(snapshot({ pods: [denied, offline, limited, arm] }))!;
    expect(f.severity).toBe('error');
    expect(f.summary).toBe(`The node cannot pull 4 images: ${VLLM} — the registry refuses it (the image was made private or removed); ${EPP} — the node cannot reach the registry (offline, proxy or DNS); ${ENVOY} — the registry rate-limits anonymous pulls; it will pass after a while; ${PROM} — the image has no build for this node's architecture (linux/amd64).`);
    expect(f.evidence.map((e) => [e.source, e.lines[0]])).toEqual([
      [`pod/llm-d-cpu-inference/${denied.name}`, 'container modelserver: ImagePullBackOff (access denied)'],
      ['pod/llm-d-cpu-inference/optimized-baseline-epp-5f-x', 'container epp: ImagePullBackOff (no network)'],
      ['pod/llm-d-cpu-inference/optimized-baseline-router-7c-y', 'container envoy: ImagePullBackOff (rate limited)'],
      ['pod/llm-d-monitoring/prometheus-llmd-0', 'container prometheus: ImagePullBackOff (wrong architecture)'],
    ]);
    expect(f.fixes.map((x) => x.id)).toEqual(['pull-secret', 'check-network', 'pull-by-hand']);
    const ctx = ['kubectl', '--context', 'llm-d-cpu'];
    expect(f.fixes[0]).toEqual({ kind: 'commands', id: 'pull-secret', label: 'Pull with your docker.io login: a pull secret for the pods’ service account', commands: [
      [...ctx, 'create', 'secret', 'docker-registry', 'llm-d-pull-docker-io', '-n', 'llm-d-cpu-inference', '--docker-server=https://index.docker.io/v1/', '--docker-username=<your user>', '--docker-password=<a read-only access token>'],
      [...ctx, 'patch', 'serviceaccount', 'optimized-baseline', '-n', 'llm-d-cpu-inference', '-p', '{"imagePullSecrets":[{"name":"llm-d-pull-docker-io"}]}'],
      [...ctx, 'patch', 'serviceaccount', 'optimized-baseline-router', '-n', 'llm-d-cpu-inference', '-p', '{"imagePullSecrets":[{"name":"llm-d-pull-docker-io"}]}'],
      [...ctx, 'delete', 'pod', '-n', 'llm-d-cpu-inference', denied.name, 'optimized-baseline-router-7c-y'],
    ] });
    expect(f.fixes[1]).toMatchObject({ id: 'check-network', commands: [['minikube', 'ssh', '-p', 'llm-d-cpu', '--', 'nslookup', 'ghcr.io'], ['minikube', 'ssh', '-p', 'llm-d-cpu', '--', 'curl', '-sSI', 'https://ghcr.io/v2/']] });
    expect(f.fixes[2]).toMatchObject({ id: 'pull-by-hand', commands: [VLLM, EPP, ENVOY, PROM].map((i) => ['minikube', 'image', 'pull', i, '-p', 'llm-d-cpu']) });
  });

  it('reads each container\'s own "Failed to pull image" event when two in one pod fail differently', () => {
    const waiting = (image: string) => ({ kind: 'waiting' as const, reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` });
    const router = { ...decodePod('r', { name: 'epp', ready: false, image: EPP, state: waiting(EPP) }), name: 'optimized-baseline-router-7c-y' };
    router.containers.push({ ...router.containers[0]!, name: 'envoy', image: ENVOY, state: waiting(ENVOY) });
    const event = (image: string, detail: string) => ({ namespace: router.namespace, object: `pod/${router.name}`, type: 'Warning', reason: 'Failed', message: `Failed to pull image "${image}": rpc error: code = Unknown desc = ${detail}`, count: 2 });
    const f = imagePull.check(snapshot({ pods: [router], events: [
      event(ENVOY, '…: 429 Too Many Requests - Server message: toomanyrequests: You have reached your pull rate limit.'),
      event(EPP, '…: dial tcp: lookup ghcr.io on 192.168.49.1:53: no such host'),
    ] }))!;
    expect(f.evidence.map((e) => e.lines[0])).toEqual(['container epp: ImagePullBackOff (no network)', 'container envoy: ImagePullBackOff (rate limited)']);
    expect(f.evidence[0]!.lines.join('\n')).not.toContain('429');
  });

  it('a rate limit alone is a warning, and a pod without a service account is given the namespace\'s default one', () => {
    const f = imagePull.check(snapshot({ pods: [{ ...limited, serviceAccount: undefined }] }))!;
    expect(f.severity).toBe('warning');
    expect(f.fixes.find((x) => x.id === 'pull-secret')).toMatchObject({ commands: expect.arrayContaining([expect.arrayContaining(['patch', 'serviceaccount', 'default'])]) });
    expect(f.fixes.map((x) => x.id)).toEqual(['pull-secret', 'pull-by-hand']);
  });
});

describe('crash-loop', () => {
  const crash = (log: string[], c: Parameters<typeof decodePod>[1] = {}) => {
    const pod = decodePod('a', { ready: false, restartCount: 3, state: { kind: 'waiting', reason: 'CrashLoopBackOff' }, lastTerminated: { exitCode: 1, finishedAt: ago(20) }, ...c });
    return { pod, s: snapshot({ pods: [pod], logs: { [logKey(pod, 'modelserver', true)]: log } }) };
  };
  it('vLLM on a CPU without bf16 (SIGILL): run the model in float32', () => {
    const { s } = crash(['INFO Automatically detected platform cpu.', 'Illegal instruction (core dumped)'], { lastTerminated: { exitCode: 132 } });
    const f = crashLoop.check(s)!;
    expect(f.summary).toMatch(/bfloat16, which needs bf16 in the CPU/);
    expect(f.fixes).toEqual([expect.objectContaining({ id: 'float32', settings: { dtype: 'float32' } })]);
    expect(f.evidence[0]!.lines).toContain('Illegal instruction (core dumped)');
  });
  it('Grafana\'s two default datasources (llm-d #494): the chart\'s setting to turn off', () => {
    const pod = { ...decodePod('g'), namespace: 'llm-d-monitoring', name: 'llmd-grafana-5c-x', labels: { 'app.kubernetes.io/name': 'grafana' },
      containers: [container({ name: 'grafana', image: 'docker.io/grafana/grafana:12', ready: false, restartCount: 4, state: { kind: 'waiting', reason: 'CrashLoopBackOff' }, lastTerminated: { exitCode: 1 } })] };
    const s = snapshot({ pods: [pod], logs: { [logKey(pod, 'grafana', true)]: ['logger=provisioning level=error msg="Failed to provision data sources" error="Datasource provisioning error: datasource.yaml config is invalid. Only one datasource per organization can be marked as default"'] } });
    const f = crashLoop.check(s)!;
    expect(f.summary).toMatch(/two datasources are marked as default/);
    expect(f.fixes[0]).toMatchObject({ kind: 'commands', commands: [expect.arrayContaining(['grafana.sidecar.datasources.defaultDatasourceEnabled=false', '--reuse-values'])] });
  });
  it('argparse refusing a flag: the image\'s vLLM does not match the release\'s arguments', () => {
    const { s } = crash(['usage: vllm [-h] [-v] {chat,complete,serve,bench,collect-env,run-batch} ...', 'vllm: error: unrecognized arguments: --disable-access-log-for-endpoints=/health'], { lastTerminated: { exitCode: 2 } });
    expect(crashLoop.check(s)!.summary).toMatch(/refuses its command line \(unrecognized arguments: --disable-access-log-for-endpoints=\/health\)/);
  });
  it('Prometheus unable to open its TSDB: its own error, and a new pod as the fix (its emptyDir outlives restarts)', () => {
    const prom = (log: string[]) => {
      const pod = { ...decodePod('p'), namespace: 'llm-d-monitoring', name: 'prometheus-llmd-kube-prometheus-stack-prometheus-0', labels: { 'app.kubernetes.io/name': 'prometheus' },
        containers: [container({ name: 'prometheus', image: 'quay.io/prometheus/prometheus:v3.14.0-distroless', ready: false, restartCount: 3, state: { kind: 'waiting', reason: 'CrashLoopBackOff' }, lastTerminated: { exitCode: 1 } })] };
      return snapshot({ pods: [pod], logs: { [logKey(pod, 'prometheus', true)]: log } });
    };
    const f = crashLoop.check(prom([
      'time=2026-12-02T09:59:40.100Z level=INFO source=main.go:1400 msg="Starting TSDB ..."',
      'time=2026-12-02T09:59:40.200Z level=ERROR source=main.go:1450 msg="Fatal error" err="opening storage failed: lock DB directory: resource temporarily unavailable"',
    ]))!;
    expect(f.summary).toMatch(/^Prometheus \(prometheus-llmd-kube-prometheus-stack-prometheus-0\) keeps exiting: opening storage failed: lock DB directory: resource temporarily unavailable\. Its data directory is an emptyDir/);
    expect(f.fixes).toEqual([{ kind: 'commands', id: 'recreate-prometheus', label: 'Recreate the Prometheus pod', commands: [['kubectl', '--context', 'llm-d-cpu', '-n', 'llm-d-monitoring', 'delete', 'pod', 'prometheus-llmd-kube-prometheus-stack-prometheus-0']] }]);
    // Another fatal error is named, but deleting the pod is not promised to help: read the logs.
    const other = crashLoop.check(prom(['time=2026-12-02T09:59:40.200Z level=ERROR source=main.go:700 msg="Fatal error" err="error loading config from \\"/etc/prometheus/config_out/prometheus.env.yaml\\": parsing YAML"']))!;
    expect(other.summary).toMatch(/keeps exiting: error loading config from .*parsing YAML\.$/);
    expect(other.fixes.map((x) => x.id)).toEqual(['read-logs']);
  });
  it('anything else: the exit code and where to read more; healthy pods pass', () => {
    const { s } = crash(['Traceback (most recent call last):', 'RuntimeError: something new']);
    const f = crashLoop.check(s)!;
    expect(f.summary).toMatch(/keeps exiting \(exit 1\)/);
    expect(f.fixes[0]).toMatchObject({ id: 'read-logs', commands: [expect.arrayContaining(['logs', '--previous'])] });
    expect(crashLoop.check(snapshot())).toBeUndefined();
    // An OOMKilled container in back-off is the oom-killed rule's finding, not a second one here.
    expect(crashLoop.check(crash([], { lastTerminated: { exitCode: 137, reason: 'OOMKilled' } }).s)).toBeUndefined();
  });
});

describe('decode-starting', () => {
  it('vLLM still starting: how long, and how much of the startup probe is left', () => {
    const s = snapshot({ pods: [decodePod('a', { ready: false, started: false, state: { kind: 'running', startedAt: ago(240) } }), decodePod('b')] });
    const f = decodeStarting.check(s)!;
    expect(f.severity).toBe('info');
    expect(f.summary).toBe('1 model server is still starting (vLLM loads the model and compiles for the CPU): 4 min so far, 56 min left of the startup probe\'s 60 min. On CPU SmolLM2 360M Instruct normally takes 3–5 min (up to 10 on a slow machine).');
    expect(f.fixes).toEqual([]); // the install is still waiting (or never stopped): nothing to do
  });
  it('the install stopped waiting while vLLM still compiles: "keep waiting" for what the probe still allows, plus 5 min', () => {
    const stopped = journal([{ id: 'stack', state: 'done' }, { id: 'ready', state: 'failed', error: { code: 'TIMEOUT', message: 'Waited 900 s for 2 ready pod(s)' } }], { status: 'failed' });
    const s = snapshot({ journal: stopped, pods: [decodePod('a', { ready: false, started: false, state: { kind: 'running', startedAt: ago(900) } }), decodePod('b')] });
    const f = decodeStarting.check(s)!;
    expect(f.severity).toBe('warning');
    expect(f.summary).toMatch(/: 15 min so far, 45 min left of the startup probe's 60 min\. On CPU SmolLM2 360M Instruct normally takes 3–5 min \(up to 10 on a slow machine\)\. The install stopped waiting before it was done\.$/);
    // 3615 s budget − 900 s elapsed + 300 s margin = 3015 s → 51 min.
    expect(f.fixes).toEqual([expect.objectContaining({ kind: 'settings', id: 'keep-waiting', label: 'Keep waiting (up to 51 min)', settings: { decodeWaitMinutes: 51 } })]);
    // A probe that has run out restarts the pod whatever the install waits: no "keep waiting".
    const spent = snapshot({ journal: stopped, pods: [decodePod('a', { ready: false, started: false, state: { kind: 'running', startedAt: ago(3700) } })] });
    expect(decodeStarting.check(spent)!.fixes.map((x) => x.id)).toEqual(['watch-logs']);
  });
  it('about to be killed by its startup probe: a warning with the log to follow', () => {
    const s = snapshot({ pods: [decodePod('a', { ready: false, started: false, state: { kind: 'running', startedAt: ago(3500) } })] });
    const f = decodeStarting.check(s)!;
    expect(f.severity).toBe('warning');
    expect(f.summary).toMatch(/starting for 58 min; its startup probe gives up in 2 min/);
    expect(f.fixes[0]!.id).toBe('watch-logs');
  });
  it('killed by its startup probe (the kubelet\'s Killing event): an error saying waiting will not help, no "keep waiting"', () => {
    const stopped = journal([{ id: 'stack', state: 'done' }, { id: 'ready', state: 'failed', error: { code: 'TIMEOUT', message: 'Waited 900 s for 2 ready pod(s)' } }], { status: 'failed' });
    const pod = decodePod('a', { ready: false, started: false, restartCount: 2, state: { kind: 'running', startedAt: ago(30) }, lastTerminated: { exitCode: 137, reason: 'Error', finishedAt: ago(40) } });
    const ev = (reason: string, type: string, message: string, count: number) => ({ namespace: pod.namespace, object: `pod/${pod.name}`, type, reason, message, count, lastSeen: ago(40) });
    const events = [
      ev('Unhealthy', 'Warning', 'Startup probe failed: Get "http://10.244.0.7:8000/health": dial tcp 10.244.0.7:8000: connect: connection refused', 240),
      ev('Killing', 'Normal', 'Container modelserver failed startup probe, will be restarted', 2),
    ];
    const s = snapshot({ journal: stopped, pods: [pod, decodePod('b')], events, logs: { [logKey(pod, 'modelserver', true)]: ['INFO [cpu_worker.py] compiling graphs'] } });
    const f = decodeStarting.check(s)!;
    expect(f.severity).toBe('error');
    expect(f.summary).toBe('vLLM in optimized-baseline-cpu-vllm-decode-7d9f-a was killed by its startup probe 2 times: it takes longer to start than the probe\'s 60 min (15 s, then 120 × 30 s) allows, so every start is cut off the same way and waiting longer will not help. On CPU SmolLM2 360M Instruct normally takes 3–5 min (up to 10 on a slow machine).');
    expect(f.evidence[0]).toMatchObject({ source: `pod/llm-d-cpu-inference/${pod.name}`, at: ago(40) });
    expect(f.evidence[0]!.lines).toEqual(expect.arrayContaining([
      'Warning Unhealthy: Startup probe failed: Get "http://10.244.0.7:8000/health": dial tcp 10.244.0.7:8000: connect: connection refused (×240)',
      'Normal Killing: Container modelserver failed startup probe, will be restarted (×2)',
      'INFO [cpu_worker.py] compiling graphs',
    ]));
    expect(f.fixes.map((x) => x.id)).toEqual(['describe-pod', 'watch-logs']);
    // The same restarts without the probe's Killing event are not this story (crash-loop tells them).
    expect(decodeStarting.check(snapshot({ journal: stopped, pods: [pod] }))!.summary).not.toMatch(/killed by its startup probe/);
    // …and crash-loop leaves the probe-killed model server to this rule.
    expect(crashLoop.check(s)).toBeUndefined();
    expect(crashLoop.check(snapshot({ pods: [pod] }))!.summary).toMatch(/keeps exiting \(exit 137, Error\)/);
  });
  it('ready pods pass; no model servers yet is not applicable', () => {
    expect(decodeStarting.check(snapshot())).toBeUndefined();
    expect(decodeStarting.check(snapshot({ pods: [decodePod('a', { ready: false, state: { kind: 'running', startedAt: ago(5) }, restartCount: 1, lastTerminated: { exitCode: 137, reason: 'OOMKilled' } })] }))).toBeUndefined();
    expect(runRule(decodeStarting, snapshot({ pods: [] }))).toMatchObject({ outcome: 'not-applicable', note: 'no model server pods yet' });
  });
});

describe('failed-scheduling', () => {
  it('reads the scheduler\'s event against the node\'s allocatable', () => {
    const pending = decodePod('c', { ready: false, state: { kind: 'waiting', reason: 'ContainerCreating' } }, { phase: 'Pending', node: undefined });
    const s = snapshot({ pods: [decodePod('a'), pending], events: [{ namespace: pending.namespace, object: `pod/${pending.name}`, type: 'Warning', reason: 'FailedScheduling', message: '0/1 nodes are available: 1 Insufficient memory. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.', count: 4, lastSeen: ago(5) }] });
    const f = failedScheduling.check(s)!;
    expect(f.summary).toBe('1 pod cannot be scheduled: the node has too little memory for what they request.');
    expect(f.evidence.map((e) => e.source)).toEqual([`pod/llm-d-cpu-inference/${pending.name}`, 'node/llm-d-cpu']);
    expect(f.fixes.map((x) => x.id)).toEqual(['one-replica']);
    expect(f.fixes[0]).toMatchObject({ settings: { replicas: 1 } });
    // A scheduled pod's old event is history, not a finding.
    expect(failedScheduling.check(snapshot({ events: s.events.map((e) => ({ ...e, object: 'pod/optimized-baseline-cpu-vllm-decode-7d9f-a' })) }))).toBeUndefined();
  });
});

describe('failed-scheduling: the fixes come from what the pods request', () => {
  const pending = decodePod('c', { ready: false, state: { kind: 'waiting', reason: 'ContainerCreating' } }, { phase: 'Pending', node: undefined });
  const stuck = (settings: Parameters<typeof plan>[0], host?: Snapshot['host']) => failedScheduling.check(snapshot({
    plan: plan(settings), ...(host ? { host } : {}), pods: [decodePod('a'), pending],
    events: [{ namespace: pending.namespace, object: `pod/${pending.name}`, type: 'Warning', reason: 'FailedScheduling', message: '0/1 nodes are available: 1 Insufficient cpu.', count: 2, lastSeen: ago(5) }],
  }))!;
  it('2 CPUs hold not even 1 replica (control plane 750m + the stack 1250m + 500m): no "1 replica", the smallest cluster that holds 2', () => {
    const f = stuck({ cpus: 2 });
    expect(f.fixes.map((x) => x.id)).toEqual(['bigger-cluster']);
    expect(f.fixes[0]).toMatchObject({ kind: 'settings', recreatesCluster: true, settings: { cpus: 3 }, label: 'Recreate the cluster with 3 CPUs / 24 GiB', does: expect.stringMatching(/^Deletes the cluster "llm-d-cpu" and everything in it first/) });
  });
  it('1 replica where it fits, and the bigger cluster for all of them beside it', () => {
    const f = stuck({ cpus: 3, replicas: 4 });
    expect(f.fixes.map((x) => x.id)).toEqual(['one-replica', 'bigger-cluster']);
    expect(f.fixes[1]).toMatchObject({ settings: { cpus: 4 } });
  });
  it('memory: the replicas\' limits decide the smallest cluster, in whole GiB', () => {
    expect(stuck({ memoryMiB: 8192 }).fixes.map((x) => [x.id, x.kind === 'settings' ? x.settings : {}])).toEqual([['one-replica', { replicas: 1 }], ['bigger-cluster', { memoryMiB: 12288 }]]);
    // One replica's 6 GiB limit does not fit in 4 GiB either.
    expect(stuck({ memoryMiB: 4096 }).fixes.map((x) => x.id)).toEqual(['bigger-cluster']);
  });
  it('no bigger cluster than the machine can give; none when the cluster is already the size the fit asks', () => {
    // The fit allows a cluster as big as the host (tight: no headroom left), never bigger.
    expect(stuck({ memoryMiB: 4096 }, hostOf(11)).fixes).toEqual([]);
    expect(stuck({ memoryMiB: 4096 }, hostOf(12)).fixes.map((x) => x.id)).toEqual(['bigger-cluster']);
    expect(stuck({}).fixes.map((x) => x.id)).toEqual(['one-replica']);
  });
});

describe('host-fit and last-run', () => {
  it('a host too small for the settings, and where the last run stopped', () => {
    const host = { facts: {} as never, needs: {} as never, detectedAt: ago(60), fit: { level: 'does-not-fit' as const, summary: 'The default setup does not fit this machine.', advice: [], checks: [{ resource: 'memory' as const, level: 'does-not-fit' as const, need: '28 GiB', have: '16 GiB', advice: 'Raise …' }] } };
    expect(hostFit.check(snapshot({ host }))).toMatchObject({ severity: 'error', evidence: [{ source: 'host', lines: ['memory: needs 28 GiB, has 16 GiB — Raise …'] }] });
    expect(runRule(hostFit, snapshot())).toMatchObject({ outcome: 'not-applicable' });
    // In rehearsal the cluster is simulated: the machine's size does not limit it.
    expect(runRule(hostFit, snapshot({ host, rehearsal: 'LLMD_REHEARSAL is set' }))).toMatchObject({ outcome: 'not-applicable', note: expect.stringContaining('simulated cluster') });
    // Recorded facts in a rehearsal are the machine being rehearsed: a warning, with what the install there meets.
    expect(runRule(hostFit, snapshot({ host, rehearsal: 'LLMD_REHEARSAL is set', hostRecorded: true }))).toMatchObject({ outcome: 'finding', finding: {
      severity: 'warning', summary: expect.stringContaining('would stop at "Check this computer"'), evidence: [{ source: 'host (recorded facts)' }] } });
    const journal = { version: 1 as const, runId: 'r1', kind: 'up' as const, status: 'failed' as const, pid: 1, startedAt: ago(100), endedAt: ago(10), settings: {},
      steps: [{ id: 'ready', state: 'failed' as const, error: { code: 'KUBE', message: 'Decode pod x was OOMKilled', hint: 'Use 1 replica' } }] };
    expect(lastRun.check(snapshot({ journal }))).toMatchObject({ summary: 'The last install stopped at step ready: Decode pod x was OOMKilled', evidence: [{ source: 'journal/r1', lines: ['KUBE: Decode pod x was OOMKilled', 'What to do: Use 1 replica'] }] });
    expect(lastRun.check(snapshot({ journal: { ...journal, status: 'succeeded' } }))).toBeUndefined();
  });
});

describe('host-fit: the sizes the fit proposes, one click away', () => {
  const host = (suggested: Record<string, number> | undefined) => ({ facts: {} as never, needs: {} as never, detectedAt: ago(60), fit: {
    level: 'does-not-fit' as const, summary: 'The setup does not fit this machine.', advice: [], ...(suggested ? { suggested } : {}),
    checks: [{ resource: 'memory' as const, level: 'does-not-fit' as const, need: '28 GiB', have: '16 GiB' }] } });
  it('offers the suggested replicas and memory as a settings fix, saying what changes and that a cluster keeps its size', () => {
    const f = hostFit.check(snapshot({ host: host({ replicas: 1, memoryMiB: 12288 }) }))!;
    expect(f.fixes).toEqual([{ kind: 'settings', id: 'use-suggested', label: 'Use the sizes that fit this machine',
      does: 'Sets replicas from 2 to 1, cluster memory from 24576 MiB to 12288 MiB and runs the install again (a cluster that already exists keeps the size it was made with: minikube cannot resize one).',
      settings: { replicas: 1, memoryMiB: 12288 } }]);
  });
  it('no fix when nothing is proposed, when the proposal is what is set, or when it makes invalid settings', () => {
    expect(hostFit.check(snapshot({ host: host(undefined) }))!.fixes).toEqual([]);
    expect(hostFit.check(snapshot({ host: host({ replicas: 2 }) }))!.fixes).toEqual([]);
    expect(hostFit.check(snapshot({ host: host({ memoryMiB: 1024 }) }))!.fixes).toEqual([]);
  });
});

describe('runDoctor', () => {
  it('lists every rule; a rule that throws is its own error and the rest still run', () => {
    const broken: Rule = { id: 'broken', title: 'Broken', applies: () => true, check: () => { throw new Error('boom'); } };
    const report = runDoctor(snapshot(), [broken, oomKilled]);
    expect(report.results).toEqual([
      { id: 'broken', title: 'Broken', outcome: 'error', note: 'boom' },
      { id: 'oom-killed', title: 'Model servers have enough memory', outcome: 'passed' },
    ]);
    expect(report.release).toBe('llm-d-0.9-optimized-baseline');
    const healthy = runDoctor(snapshot());
    expect(healthy.results.every((r) => r.outcome === 'passed' || r.outcome === 'not-applicable')).toBe(true);
  });
  it('finds a fix by rule:fix', () => {
    const oom = decodePod('a', { ready: false, restartCount: 1, lastTerminated: { exitCode: 137, reason: 'OOMKilled' } });
    const report = runDoctor(snapshot({ pods: [oom] }));
    expect(findFix(report, 'oom-killed:one-replica')).toMatchObject({ kind: 'settings', settings: { replicas: 1 } });
    expect(findFix(report, 'oom-killed:nope')).toBeUndefined();
  });
});
