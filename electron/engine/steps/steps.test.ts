// Step logic that needs no cluster: minikube's argv and profile checks, the route verdicts, the readiness
// fail-fast rules, image list parsing, rehearsal detection.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PodSummary } from '../../../shared/api/cluster.js';
import { defaultSettings } from '../../../shared/api/settings.js';
import { planContext } from '../plan/build-plan.js';
import { imagePrepull, keptImageRefs, normalizeImage, parseImageList } from './image-prepull.js';
import { minikubeStart, parseProfileList, sizeDiffers, startArgs, tooSmall } from './minikube-start.js';
import { stackFault } from './ready.js';
import { rehearsalReason } from './rehearsal.js';
import { hasLegacyGroup, routeVerdict, type RouteLike } from './route.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
// The guide's release (its decode pods carry llm-d.ai/inferenceServing and a routing sidecar).
const GUIDE = 'llm-d-0.4-cpu-guide';
const mac = planContext({ ...defaultSettings(), release: GUIDE, driver: 'podman', gpu: false }, { platform: 'darwin', arch: 'arm64', runtimes: { docker: false, podman: true } });
const linuxGpu = planContext({ ...defaultSettings(), release: GUIDE, driver: 'docker', gpu: true }, { platform: 'linux', arch: 'x64', runtimes: { docker: true, podman: false } });
// Today's llm-d, the default: decode pods labelled llm-d.ai/guide + llm-d.ai/role, one modelserver container.
const v09 = planContext(defaultSettings(), { platform: 'linux', arch: 'x64', runtimes: { docker: true, podman: false } });

describe('minikube start', () => {
  it('uses the guide\'s flags, podman extra-configs on macOS, --gpus all, --keep-context when asked', () => {
    expect(startArgs(mac)).toEqual(['start', '-p', 'llm-d-cpu', '--driver=podman', '--memory=24576', '--cpus=8', '--disk-size=100g',
      '--extra-config=kubelet.cgroup-driver=systemd', '--extra-config=kubeadm.ignore-preflight-errors=SystemVerification', '--output=json']);
    expect(startArgs(linuxGpu, { keepContext: true })).toEqual(['start', '-p', 'llm-d-cpu', '--driver=docker', '--memory=24576', '--cpus=8', '--disk-size=100g', '--gpus', 'all', '--keep-context', '--output=json']);
    expect(startArgs(linuxGpu, { existing: true })).toEqual(['start', '-p', 'llm-d-cpu', '--output=json']);
    // Linux with a podman machine: the same VM, the same cgroup v2 — the same flags (doctor podman-machine's cpuset finding).
    const linuxMachine = planContext({ ...defaultSettings(), driver: 'podman', podmanMachine: true }, { platform: 'linux', arch: 'x64', runtimes: { docker: false, podman: true } });
    expect(startArgs(linuxMachine)).toEqual(['start', '-p', 'llm-d-cpu', '--driver=podman', '--memory=24576', '--cpus=8', '--disk-size=100g',
      '--extra-config=kubelet.cgroup-driver=systemd', '--extra-config=kubeadm.ignore-preflight-errors=SystemVerification', '--output=json']);
    const linuxPodman = planContext({ ...defaultSettings(), release: GUIDE, driver: 'podman', podmanMachine: false }, { platform: 'linux', arch: 'x64', runtimes: { docker: false, podman: true } });
    expect(startArgs(linuxPodman).some((a) => a.startsWith('--extra-config'))).toBe(false);
  });
  it('reads `minikube profile list -o json` and refuses a profile smaller than the settings', () => {
    const out = JSON.stringify({ invalid: [], valid: [{ Name: 'llm-d-cpu', Status: 'OK', Config: { Driver: 'docker', Memory: 8192, CPUs: 4 } }] });
    const p = parseProfileList(out, 'llm-d-cpu')!;
    expect(p).toMatchObject({ status: 'OK', cpus: 4, memoryMiB: 8192 });
    expect(tooSmall(p, defaultSettings())).toBe('The existing minikube profile "llm-d-cpu" has 4 CPUs (settings want 8) and 8192 MiB (settings want 24576).');
    expect(tooSmall({ ...p, cpus: 8, memoryMiB: 24576 }, defaultSettings())).toBeUndefined();
    expect(parseProfileList('{"error":"no profile"}', 'llm-d-cpu')).toBeUndefined();
  });
  it('an install that recreates the cluster replaces a profile of any other size, keeps one of the settings\' size, and its plan says so', () => {
    expect(sizeDiffers({ cpus: 4, memoryMiB: 24576 }, defaultSettings())).toBe(true);
    expect(sizeDiffers({ cpus: 12, memoryMiB: 24576 }, defaultSettings())).toBe(true);
    // Resuming after the delete finds the new cluster: the same size is kept, not deleted again.
    expect(sizeDiffers({ cpus: 8, memoryMiB: 24576 }, defaultSettings())).toBe(false);
    // A size minikube does not report is not shown to be the settings': replaced too.
    expect(sizeDiffers({ cpus: 8 }, defaultSettings())).toBe(true);
    const plan = planContext(defaultSettings(), { platform: 'linux', arch: 'x64', runtimes: { docker: true, podman: false } });
    const plain = minikubeStart.describe(plan);
    expect(plain.commands).not.toContainEqual(['minikube', 'delete', '-p', 'llm-d-cpu']);
    const recreating = minikubeStart.describe({ ...plan, recreateCluster: true });
    expect(recreating.commands.slice(0, 3)).toEqual([['minikube', 'profile', 'list', '-o', 'json'], ['minikube', 'delete', '-p', 'llm-d-cpu'], ['minikube', ...startArgs(plan, { modelCacheDir: plan.cacheDirs.models })]]);
    expect(recreating.notes?.[0]).toMatch(/^Recreates the cluster: an existing profile "llm-d-cpu" of another size than 8 CPUs \/ 24576 MiB is deleted first/);
  });
});

describe('route', () => {
  type Cond = NonNullable<NonNullable<RouteLike['status']>['parents']>[number]['conditions'];
  const route = (group: string, conditions: Cond = [], generation = 2): RouteLike => ({
    metadata: { name: 'llm-d-cpu-inference', generation },
    spec: { rules: [{ backendRefs: [{ group, kind: 'InferencePool', name: 'gaie-cpu-inference' }] }] },
    status: { parents: [{ conditions }] },
  });
  it('spots the x-k8s InferencePool group', () => {
    expect(hasLegacyGroup(route('inference.networking.x-k8s.io'))).toBe(true);
    expect(hasLegacyGroup(route('inference.networking.k8s.io'))).toBe(false);
  });
  it('reads Istio\'s verdict for the current generation only', () => {
    expect(routeVerdict(route('inference.networking.k8s.io'))).toEqual({ state: 'pending' });
    expect(routeVerdict(route('inference.networking.k8s.io', [{ type: 'ResolvedRefs', status: 'True', observedGeneration: 1 }]))).toEqual({ state: 'pending' });
    expect(routeVerdict(route('inference.networking.k8s.io', [{ type: 'ResolvedRefs', status: 'True', observedGeneration: 2 }]))).toEqual({ state: 'resolved' });
    expect(routeVerdict(route('x', [{ type: 'ResolvedRefs', status: 'False', reason: 'InvalidKind', message: 'referencing unsupported backendRef', observedGeneration: 2 }])))
      .toEqual({ state: 'refused', reason: 'InvalidKind', message: 'referencing unsupported backendRef' });
  });
});

describe('readiness fail-fast', () => {
  const pod = (over: Partial<PodSummary>): PodSummary => ({ namespace: 'ns', name: 'decode-a', ready: 1, total: 2, readyText: '1/2', status: 'Running', restarts: 0, podReady: false,
    labels: { 'llm-d.ai/inferenceServing': 'true' }, containers: ['routing-proxy', 'vllm'], ...over });
  it('fails at once on OOMKilled, naming it and what to change', () => {
    const e = stackFault([pod({ status: 'CrashLoopBackOff', restarts: 1, lastTerminationReason: 'OOMKilled' })], new Map(), 0, 60_000, mac);
    expect(e?.message).toMatch(/decode-a was OOMKilled.*6Gi limit/);
    expect(e?.hint).toMatch(/1 replica or a smaller model/);
  });
  it('lets ImagePullBackOff run for the grace period, then fails with the pod\'s message', () => {
    const since = new Map<string, number>();
    const stuck = [pod({ status: 'ImagePullBackOff', message: 'Back-off pulling image "x"' })];
    expect(stackFault(stuck, since, 1000, 60_000, mac)).toBeUndefined();
    expect(stackFault(stuck, since, 61_000, 60_000, mac)?.message).toBe('Decode pod decode-a is in ImagePullBackOff: Back-off pulling image "x" (for 60 s).');
    // Recovering clears the clock.
    expect(stackFault([pod({})], since, 62_000, 60_000, mac)).toBeUndefined();
    expect(since.size).toBe(0);
  });
  it('lets a pod the scheduler cannot place wait out the grace period, then fails with the scheduler\'s words and what to change', () => {
    const since = new Map<string, number>();
    const msg = '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.';
    const pending = [pod({ status: 'Pending', ready: 0, readyText: '0/2', unschedulable: msg })];
    expect(stackFault(pending, since, 1000, 60_000, mac)).toBeUndefined();
    const e = stackFault(pending, since, 61_000, 60_000, mac);
    expect(e?.code).toBe('KUBE');
    expect(e?.message).toBe(`Decode pod decode-a cannot be scheduled: ${msg} (for 60 s; the cluster has ${mac.settings.cpus} CPUs and ${mac.settings.memoryMiB} MiB).`);
    expect(e?.hint).toMatch(/fewer replicas .*more CPUs/);
    // A pod on its way out still holds room: the clock starts again once nothing is terminating.
    const rollout = [...pending, pod({ name: 'decode-old', status: 'Terminating' })];
    expect(stackFault(rollout, new Map(), 61_000, 60_000, mac)).toBeUndefined();
    // Placed: the clock is cleared.
    expect(stackFault([pod({})], since, 62_000, 60_000, mac)).toBeUndefined();
    expect(since.size).toBe(0);
  });
  it('fails on a Prometheus the scheduler cannot place (the monitoring namespace), and leaves that namespace\'s other troubles to the doctor', () => {
    const msg = '0/1 nodes are available: 1 Insufficient cpu.';
    const ns = mac.release.monitoringNamespace;
    const prom = pod({ namespace: ns, name: 'prometheus-llmd-kube-prometheus-stack-prometheus-0', labels: {}, status: 'Pending', ready: 0, readyText: '0/2', unschedulable: msg });
    const since = new Map<string, number>();
    expect(stackFault([prom], since, 0, 60_000, mac)).toBeUndefined();
    expect(stackFault([prom], since, 60_000, 60_000, mac)?.message).toMatch(/^Pod prometheus-llmd-kube-prometheus-stack-prometheus-0 cannot be scheduled: 0\/1 nodes are available: 1 Insufficient cpu\./);
    const crashing = pod({ namespace: ns, name: 'llmd-grafana-x', labels: {}, status: 'CrashLoopBackOff', restarts: 3 });
    const s2 = new Map<string, number>();
    expect(stackFault([crashing], s2, 0, 60_000, mac)).toBeUndefined();
    expect(stackFault([crashing], s2, 120_000, 60_000, mac)).toBeUndefined();
  });
  it('knows the default release\'s decode pods by its own labels (llm-d 0.9: guide + role, container modelserver)', () => {
    expect(v09.release.id).toBe('llm-d-0.9-optimized-baseline');
    const decode = pod({ name: 'optimized-baseline-cpu-vllm-decode-x', total: 1, readyText: '0/1', containers: ['modelserver'], labels: { 'llm-d.ai/guide': 'optimized-baseline', 'llm-d.ai/role': 'decode' }, status: 'CrashLoopBackOff', restarts: 1, lastTerminationReason: 'OOMKilled' });
    expect(stackFault([decode], new Map(), 0, 60_000, v09)?.message).toMatch(/optimized-baseline-cpu-vllm-decode-x was OOMKilled/);
    // The guide's label means nothing to this release.
    expect(stackFault([pod({ lastTerminationReason: 'OOMKilled', status: 'CrashLoopBackOff', restarts: 1 })], new Map(), 0, 60_000, v09)).toBeUndefined();
  });
  it('does not judge decode pods while a scale-down is under way (more pods than replicas), nor pods on their way out', () => {
    const oom = pod({ status: 'CrashLoopBackOff', restarts: 1, lastTerminationReason: 'OOMKilled' });
    const one = { ...mac, settings: { ...mac.settings, replicas: 1 } };
    expect(stackFault([pod({ name: 'decode-b' }), oom], new Map(), 0, 60_000, one)).toBeUndefined();
    expect(stackFault([oom], new Map(), 0, 60_000, one)?.message).toMatch(/OOMKilled/);
    expect(stackFault([{ ...oom, status: 'Terminating' }], new Map(), 0, 60_000, one)).toBeUndefined();
  });
  it('reads OOMKilled only on decode replicas, but a back-off on any pod of the stack', () => {
    expect(stackFault([pod({ labels: {}, lastTerminationReason: 'OOMKilled' })], new Map(), 0, 1, mac)).toBeUndefined();
    const since = new Map<string, number>();
    const epp = [pod({ name: 'gaie-cpu-inference-epp-x', labels: { inferencepool: 'gaie-cpu-inference-epp' }, status: 'ImagePullBackOff' })];
    expect(stackFault(epp, since, 0, 10, mac)).toBeUndefined();
    expect(stackFault(epp, since, 20, 10, mac)?.message).toBe('Pod gaie-cpu-inference-epp-x is in ImagePullBackOff (for 0 s).');
  });
});

describe('images and rehearsal', () => {
  it('keeps the images of every chart the plan installs: the stack\'s, monitoring\'s when it is on, Istio\'s for an Istio release', () => {
    const stack = v09.images.map((i) => i.ref);
    const kept = keptImageRefs(v09);
    expect(kept.slice(0, stack.length)).toEqual(stack);
    expect(kept).toEqual(expect.arrayContaining(['docker.io/grafana/grafana:13.2.0', 'quay.io/prometheus-operator/prometheus-config-reloader:v0.93.1']));
    expect(kept.some((i) => i.includes('istio'))).toBe(false); // the default release has no Istio
    const noMonitoring = planContext({ ...defaultSettings(), monitoring: false }, { platform: 'linux', arch: 'x64', runtimes: { docker: true, podman: false } });
    expect(keptImageRefs(noMonitoring)).toEqual(stack);
    expect(keptImageRefs(linuxGpu)).toEqual(expect.arrayContaining(['docker.io/istio/pilot:1.28.1', 'docker.io/istio/proxyv2:1.28.1', 'docker.io/grafana/grafana:13.2.0']));
    // The Plan names every one of them: loaded by minikube-start, pulled and saved by the pre-pull.
    const commands = imagePrepull.describe(v09).commands.map((c) => c.join(' '));
    for (const i of kept) expect(commands).toContain(`minikube image pull ${i} -p ${v09.settings.profile}`);
    const off = planContext({ ...defaultSettings(), imageCache: false }, { platform: 'linux', arch: 'x64', runtimes: { docker: true, podman: false } });
    expect(imagePrepull.describe(off).commands.filter((c) => c[2] === 'pull').map((c) => c[3])).toEqual(stack);
  });
  it('normalises image names the way the node lists them', () => {
    expect(normalizeImage('istio/pilot:1.28.1')).toBe('docker.io/istio/pilot:1.28.1');
    expect(normalizeImage('quay.io/a/b')).toBe('quay.io/a/b:latest');
    expect([...parseImageList(JSON.stringify([{ repoTags: ['quay.io/a/b:1'] }]))]).toEqual(['quay.io/a/b:1']);
    expect(parseImageList('not json').size).toBe(0);
  });
  it('is in rehearsal with LLMD_REHEARSAL, or the simulated minikube on PATH with a sim state', () => {
    expect(rehearsalReason({ LLMD_REHEARSAL: '1' })).toBe('LLMD_REHEARSAL is set');
    expect(rehearsalReason({ LLMD_SIM_STATE: '/tmp/x', PATH: path.join(ROOT, 'sim', 'bin') })).toMatch(/simulated minikube/);
    expect(rehearsalReason({ PATH: path.join(ROOT, 'sim', 'bin') })).toBeUndefined();
    const real = fs.mkdtempSync(path.join(os.tmpdir(), 'mk-'));
    fs.writeFileSync(path.join(real, 'minikube'), '#!/bin/sh\necho real\n', { mode: 0o755 });
    expect(rehearsalReason({ LLMD_SIM_STATE: '/tmp/x', PATH: real })).toBeUndefined();
    fs.rmSync(real, { recursive: true, force: true });
  });
});

describe('switching to a release with older Gateway API CRDs', () => {
  it('is refused before anything is applied when the cluster has v1.5+ (safe-upgrades), with the ways out', async () => {
    const { gatewayApiDowngrade } = await import('./crds.js');
    const guide = planContext({ ...defaultSettings(), release: GUIDE }, { platform: 'linux', arch: 'x64', runtimes: { docker: true, podman: false } });
    const crd = (v: string) => [{ metadata: { name: 'gateways.gateway.networking.k8s.io', annotations: { 'gateway.networking.k8s.io/bundle-version': v } } }];
    const refused = gatewayApiDowngrade(guide, crd('v1.5.1'));
    expect(refused?.reason).toContain('Gateway API v1.5.1');
    expect(refused?.reason).toContain('safe-upgrades');
    expect(refused?.hint).toMatch(/delete the cluster/);
    // Same or older CRDs, or a cluster before v1.5 (no policy): nothing to refuse.
    expect(gatewayApiDowngrade(guide, crd('v1.4.0'))).toBeUndefined();
    expect(gatewayApiDowngrade(guide, crd('v1.3.0'))).toBeUndefined();
    expect(gatewayApiDowngrade(guide, [])).toBeUndefined();
  });
});
