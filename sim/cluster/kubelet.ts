// The simulated node's kubelet: runs each pod through the phases a real one shows — scheduled, images
// pulled (at the scenario's speed, once per node, so pre-pulling pays off), sidecar started, containers
// started, startup time, Ready — writing pod status, events and container logs as it goes, and starting
// the container's servers (sim/cluster/servers.ts). Faults from the scenario: ImagePullBackOff, OOMKilled
// on replica N, slow startup (startup probe failures), port-forward drop. Programs that refuse their
// configuration exit at start and crash-loop with the kubelet's back-off (sim/cluster/start-failure.ts:
// a chart's annotation, or a vLLM flag its version lacks, sim/cluster/vllm-cli.ts).
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { KubeObject, ObjectStore } from '../apiserver/types.js';
import { SIM_PORTS_ANNOTATION } from '../apiserver/types.js';
import { containerStartupSeconds, type Fault, type Scenario, scaledMs } from '../scenario.js';
import { consumeFault, updateJson } from '../state.js';
import { DECODE_ROLE_LABEL } from '../upstream.js';
import { recordEvent } from './events.js';
import { allocatableOf, fitOnNode, memoryBytes } from './scheduler.js';
import { NodeMemory } from './node-memory.js';
import { overLimit, vllmMemory } from './memory.js';
import { addImage, hasImage, normalizeImage, pullMs } from './images.js';
import { ModelDownloads } from './models.js';
import { appendLog, rfc3339Nano } from './logs.js';
import { T } from './resources.js';
import {
  eppVerbosity, isPodReady, matchesLabels, podIP, poolEppName, poolSelector, poolTargetPort, resolveBackend, routesForGateway, backendRefsOf,
} from './routing.js';
import { argValue, type Container, eppMetricsText, isStandaloneProxy, isVllm, type KeyRef, type Running, startContainerServers } from './servers.js';
import { eppContainerOf, eppGeneration, eppTarget } from './epp.js';
import { NOW_TOKEN, readStartFailure, type StartFailure } from './start-failure.js';
import { vllmDtypeFailure, vllmModel, vllmOption, vllmStartFailure, vllmVersionOfImage } from './vllm-cli.js';
import type { GatewayDeps, GatewayEndpoint } from '../replicas/gateway.js';
import type { ReplicaOptions } from '../replicas/replica.js';
import { archOfNode } from '../registry/arch.js';
import { criMessage, faultFailure, pullFailure } from '../registry/pull.js';

export interface KubeletContext {
  store: ObjectStore;
  state: string;
  profile: string;
  scenario: Scenario;
}

type CState = { waiting: { reason: string; message?: string } } | { running: { startedAt: string } } | { terminated: { exitCode: number; reason: string; startedAt?: string; finishedAt: string } };

interface CStatus {
  name: string;
  image: string;
  ready: boolean;
  started: boolean;
  restartCount: number;
  state: CState;
  lastState: CState | Record<string, never>;
  containerID?: string;
}

class Stopped extends Error {}

type RouteTarget = { state: 'none' | 'unresolved' } | { state: 'ok'; namespace: string; selector: Record<string, string>; targetPort: number };

/** A get that is undefined when the resource type is not served (its CRD is not installed). */
const safeGet = (store: ObjectStore, type: Parameters<ObjectStore['get']>[0], namespace: string | undefined, name: string): KubeObject | undefined => {
  try { return store.get(type, namespace, name); } catch { return undefined; }
};
const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const [DECODE_KEY, DECODE_VALUE] = [DECODE_ROLE_LABEL.key, DECODE_ROLE_LABEL.value];
const DECODE_SELECTOR = `${DECODE_KEY}=${DECODE_VALUE}`;

export class Kubelet {
  private readonly runners = new Map<string, PodRunner>();
  private readonly pulls = new Map<string, Promise<void>>();
  private nextIp = 3;
  private unwatch?: () => void;
  private timer?: NodeJS.Timeout;
  /** The model weights vLLM containers download into their Hub cache (sim/cluster/models.ts). */
  readonly models: ModelDownloads;
  /** What the node's pods hold against its memory (sim/cluster/node-memory.ts): a vLLM that does not fit is OOMKilled. */
  readonly memory: NodeMemory;

  constructor(readonly ctx: KubeletContext) {
    this.models = new ModelDownloads(ctx);
    // Accounted with the scheduler's resources (scenario `node.accountResources`): the node's capacity is minikube's `--memory`.
    this.memory = new NodeMemory(() => {
      if (!ctx.scenario.node.accountResources) return undefined;
      const cap = (safeGet(ctx.store, T.nodes, undefined, ctx.profile)?.status as { capacity?: { memory?: string } } | undefined)?.capacity?.memory;
      return cap ? memoryBytes(cap) / 2 ** 20 : undefined;
    }, () => ctx.store.list(T.pods).items);
  }

  start(): void {
    for (const p of this.ctx.store.list(T.pods).items) {
      const m = /^10\.244\.0\.(\d+)$/.exec(podIP(p));
      if (m) this.nextIp = Math.max(this.nextIp, Number(m[1]) + 1);
    }
    // Pods that existed before this process (a `minikube stop` then `start`) restart their containers.
    for (const p of this.ctx.store.list(T.pods).items) this.ensure(p, true);
    this.unwatch = this.ctx.store.watch(T.pods, { resourceVersion: this.ctx.store.resourceVersion() }, (type, obj) => {
      if (type === 'DELETED') this.remove(obj);
      else if (type === 'ADDED') this.ensure(obj, false);
    });
  }

  async stop(): Promise<void> {
    this.unwatch?.();
    if (this.timer) clearInterval(this.timer);
    await Promise.all([...this.runners.values()].map((r) => r.stop()));
    this.runners.clear();
  }

  allocateIp(): string {
    return `10.244.0.${this.nextIp++}`;
  }

  runner(namespace: string, name: string): PodRunner | undefined {
    return this.runners.get(`${namespace}/${name}`);
  }

  private ensure(pod: KubeObject, restart: boolean): void {
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    if (this.runners.has(key) || pod.metadata.deletionTimestamp) return;
    const r = new PodRunner(this, pod);
    this.runners.set(key, r);
    r.run(restart).catch((err: unknown) => {
      if (!(err instanceof Stopped)) process.stderr.write(`kubelet: pod ${key}: ${err instanceof Error ? err.stack : String(err)}\n`);
    });
  }

  private remove(pod: KubeObject): void {
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    const r = this.runners.get(key);
    if (r && r.uid === pod.metadata.uid) {
      this.runners.delete(key);
      void r.stop();
    }
  }

  /** One pull per image per node; concurrent pods wait for the same pull. */
  pull(image: string): Promise<void> {
    const name = normalizeImage(image);
    let p = this.pulls.get(name);
    if (!p) {
      // containerd shares an in-flight pull of the same image: when the app's `minikube image pull` (another
      // process here) lands it first, the kubelet's pull ends then too instead of downloading it again.
      const { state, profile, scenario } = this.ctx;
      p = new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          clearInterval(poll);
          resolve();
        };
        const timer = setTimeout(() => {
          addImage(state, profile, scenario, image);
          done();
        }, pullMs(scenario, image));
        const poll = setInterval(() => {
          if (hasImage(state, profile, image)) done();
        }, 50);
      });
      this.pulls.set(name, p);
      void p.finally(() => this.pulls.delete(name));
    }
    return p;
  }

  /**
   * What a gateway pod routes to. Istio's gateway (`gateway.networking.k8s.io/gateway-name` label): the
   * InferencePool of the HTTPRoute attached to its Gateway, decided by the EPP that the pool's
   * endpointPickerRef Service selects. The standalone chart's pod (an `envoy-proxy` sidecar): "a gateway for
   * the pool" its own `epp` container names (`--pool-name`/`--pool-namespace`, or `--endpoint-selector`
   * without a pool) — no Gateway or HTTPRoute; the route is 'ok' when the pool exists.
   */
  gatewayDeps(pod: KubeObject): GatewayDeps {
    const store = this.ctx.store;
    const ns = pod.metadata.namespace ?? 'default';
    const containers = (pod.spec as { containers?: Container[] } | undefined)?.containers ?? [];
    const standalone = containers.some(isStandaloneProxy) && eppContainerOf(pod) !== undefined;
    let target: () => RouteTarget;
    let eppPod: () => KubeObject | undefined;
    if (standalone) {
      target = () => {
        const t = eppTarget(pod);
        if (!t) return { state: 'unresolved' };
        if (t.kind === 'selector') return { state: 'ok', namespace: t.namespace, selector: t.selector, targetPort: t.targetPorts[0] ?? 8000 };
        const pool = safeGet(store, t.legacy ? T.inferencepoolsLegacy : T.inferencepools, t.namespace, t.name);
        return pool ? { state: 'ok', namespace: t.namespace, selector: poolSelector(pool), targetPort: poolTargetPort(pool) } : { state: 'unresolved' };
      };
      // ext_proc goes to 127.0.0.1:9002: the EPP is this pod.
      eppPod = () => store.get(T.pods, ns, pod.metadata.name) ?? pod;
    } else {
      const gwName = pod.metadata.labels?.['gateway.networking.k8s.io/gateway-name'] ?? '';
      const resolved = () => {
        const route = routesForGateway(store, gwName, ns)[0];
        if (!route) return { state: 'none' as const };
        const ref = backendRefsOf(route)[0];
        const res = ref ? resolveBackend(store, route, ref) : undefined;
        if (!res || !res.ok) return { state: 'unresolved' as const };
        return { state: 'ok' as const, pool: res.pool };
      };
      target = () => {
        const r = resolved();
        return r.state === 'ok' ? { state: 'ok', namespace: r.pool.metadata.namespace ?? ns, selector: poolSelector(r.pool), targetPort: poolTargetPort(r.pool) } : r;
      };
      // Envoy's ext_proc cluster is the endpointPickerRef Service: the EPP is a Running pod it selects.
      eppPod = () => {
        const r = resolved();
        const epp = r.state === 'ok' ? poolEppName(r.pool) : undefined;
        const poolNs = r.state === 'ok' ? r.pool.metadata.namespace ?? ns : ns;
        const svc = epp ? safeGet(store, T.services, poolNs, epp) : undefined;
        const sel = (svc?.spec as { selector?: Record<string, string> } | undefined)?.selector ?? {};
        return Object.keys(sel).length === 0 ? undefined
          : store.list(T.pods, { namespace: poolNs }).items.find((p) => matchesLabels(p, sel) && (p.status as { phase?: string } | undefined)?.phase === 'Running');
      };
    }
    return {
      route: () => target().state,
      endpoints: () => {
        const t = target();
        return t.state === 'ok' ? this.endpoints(t.namespace, t.selector, t.targetPort) : [];
      },
      eppVerbosity: () => eppVerbosity(eppPod()),
      eppLog: (line) => {
        const p = eppPod();
        if (p) appendLog(this.ctx.state, this.ctx.profile, p.metadata.namespace ?? ns, p.metadata.name, 'epp', line);
      },
      eppLogShape: () => eppGeneration(eppContainerOf(eppPod())?.image ?? ''),
      prefixChars: this.ctx.scenario.gateway.prefixChars,
      // Istio's gateway regenerates x-request-id for requests it treats as external (the default); the
      // standalone sidecar is treated alike ⚠ (sim/replicas/gateway.ts).
      requestId: () => this.ctx.scenario.gateway.requestId,
      proxy: standalone ? 'standalone-envoy' : 'istio',
    };
  }

  /** Ready pods matching `selector` in `namespace` that listen on `targetPort`, with their replica's load (what the EPP scrapes). */
  private endpoints(namespace: string, selector: Record<string, string>, targetPort: number): GatewayEndpoint[] {
    return this.ctx.store.list(T.pods, { namespace }).items
      .filter((p) => matchesLabels(p, selector) && isPodReady(p))
      .flatMap((p): GatewayEndpoint[] => {
        const ports = JSON.parse(p.metadata.annotations?.[SIM_PORTS_ANNOTATION] ?? '{}') as Record<string, number>;
        const localPort = ports[String(targetPort)];
        const replica = this.runner(p.metadata.namespace ?? '', p.metadata.name)?.replica();
        if (!localPort) return [];
        return [{ name: p.metadata.name, ip: podIP(p), queue: replica?.waiting ?? 0, kvCacheUsage: replica?.kvCacheUsage() ?? 0, localPort, targetPort }];
      });
  }

  /**
   * The EPP container's /metrics: its pool's ready endpoints and their average load, named as its
   * generation names them (sim/cluster/epp.ts). The endpoints are those of the pool (or selector) its args
   * name; without either, the namespace's decode pods.
   */
  eppMetrics(pod: KubeObject): string {
    const ns = pod.metadata.namespace ?? 'default';
    const t = eppTarget(pod);
    let name = '';
    let ready: KubeObject[];
    if (t?.kind === 'pool') {
      name = t.name;
      const pool = safeGet(this.ctx.store, t.legacy ? T.inferencepoolsLegacy : T.inferencepools, t.namespace, t.name);
      const sel = pool ? poolSelector(pool) : {};
      ready = pool ? this.ctx.store.list(T.pods, { namespace: t.namespace }).items.filter((p) => matchesLabels(p, sel) && isPodReady(p)) : [];
    } else if (t?.kind === 'selector') {
      ready = this.ctx.store.list(T.pods, { namespace: t.namespace }).items.filter((p) => matchesLabels(p, t.selector) && isPodReady(p));
    } else {
      ready = this.ctx.store.list(T.pods, { namespace: ns, labelSelector: DECODE_SELECTOR }).items.filter(isPodReady);
    }
    const replicas = ready.map((p) => this.runner(p.metadata.namespace ?? ns, p.metadata.name)?.replica()).filter((r) => r !== undefined);
    const avg = (f: (r: NonNullable<(typeof replicas)[number]>) => number) => (replicas.length ? replicas.reduce((s, r) => s + f(r), 0) / replicas.length : 0);
    return eppMetricsText(name, ready.length, avg((r) => r.waiting), avg((r) => r.kvCacheUsage()), eppGeneration(eppContainerOf(pod)?.image ?? ''));
  }

  decodeIndex(pod: KubeObject): number {
    const decode = this.ctx.store.list(T.pods, { namespace: pod.metadata.namespace, labelSelector: DECODE_SELECTOR }).items
      .sort((a, b) => String(a.metadata.creationTimestamp).localeCompare(String(b.metadata.creationTimestamp)) || a.metadata.name.localeCompare(b.metadata.name));
    return decode.findIndex((p) => p.metadata.uid === pod.metadata.uid) + 1;
  }
}

export class PodRunner {
  readonly uid: string | undefined;
  private stopped = false;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly statuses = new Map<string, CStatus>();
  private readonly running = new Map<string, Running>();
  private readonly conditions: Record<string, { status: string; at: string; reason?: string; message?: string }> = {};
  private phase = 'Pending';
  private ip = '';
  private startTime = '';
  private readonly ns: string;
  private readonly name: string;
  private readonly init: Container[];
  private readonly main: Container[];

  constructor(private readonly k: Kubelet, private pod: KubeObject) {
    this.uid = pod.metadata.uid;
    this.ns = pod.metadata.namespace ?? 'default';
    this.name = pod.metadata.name;
    const spec = pod.spec as { initContainers?: Container[]; containers?: Container[] };
    this.init = spec.initContainers ?? [];
    this.main = spec.containers ?? [];
  }

  replica() {
    for (const r of this.running.values()) if (r.replica) return r.replica;
    return undefined;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.k.memory.release(this.uid);
    for (const t of this.timers) clearTimeout(t);
    await Promise.all([...this.running.values()].map((r) => r.close()));
    this.running.clear();
  }

  private wait(ms: number): Promise<void> {
    if (this.stopped) return Promise.reject(new Stopped());
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => { this.timers.delete(t); if (this.stopped) reject(new Stopped()); else resolve(); }, ms);
      this.timers.add(t);
    });
  }

  private get ctx() { return this.k.ctx; }
  private event(reason: string, message: string, type: 'Normal' | 'Warning' = 'Normal', container?: string, component = 'kubelet') {
    if (this.stopped) return;
    const sidecar = this.init.some((c) => c.name === container);
    recordEvent(this.ctx.store, this.ctx.profile, this.pod, { reason, message, type, component, ...(container ? { fieldPath: `spec.${sidecar ? 'initContainers' : 'containers'}{${container}}` } : {}) });
  }
  private log(container: string, lines: string | string[]) {
    appendLog(this.ctx.state, this.ctx.profile, this.ns, this.name, container, lines);
  }

  private setCondition(type: string, status: boolean) {
    const s = status ? 'True' : 'False';
    if (this.conditions[type]?.status !== s) this.conditions[type] = { status: s, at: now() };
  }

  private publish(): void {
    if (this.stopped) return;
    const allReady = [...this.statuses.values()].every((c) => c.ready);
    this.setCondition('ContainersReady', allReady);
    this.setCondition('Ready', allReady);
    const cond = (type: string) => {
      const c = this.conditions[type];
      return { type, status: c?.status ?? 'False', lastProbeTime: null, lastTransitionTime: c?.at ?? now(), ...(c?.reason ? { reason: c.reason } : {}), ...(c?.message ? { message: c.message } : {}) };
    };
    const view = (c: CStatus) => ({
      name: c.name, image: c.image, imageID: c.containerID ? `docker-pullable://${normalizeImage(c.image)}@sha256:${'0'.repeat(64)}` : '',
      ...(c.containerID ? { containerID: c.containerID } : {}), ready: c.ready, started: c.started, restartCount: c.restartCount, state: c.state, lastState: c.lastState,
    });
    const scheduled = this.conditions.PodScheduled?.status === 'True';
    const status = {
      phase: this.phase,
      conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].filter((t) => this.conditions[t]).map(cond),
      // An unscheduled pod has no host yet (`kubectl get pod -o wide` shows <none>).
      ...(scheduled ? { hostIP: '192.168.49.2', hostIPs: [{ ip: '192.168.49.2' }] } : {}),
      ...(this.ip ? { podIP: this.ip, podIPs: [{ ip: this.ip }] } : {}),
      ...(this.startTime ? { startTime: this.startTime } : {}),
      qosClass: 'Burstable',
      // Container statuses come from the kubelet of the node the pod is bound to: none before that.
      ...(scheduled && this.init.length ? { initContainerStatuses: this.init.map((c) => view(this.statuses.get(c.name) as CStatus)) } : {}),
      ...(scheduled ? { containerStatuses: this.main.map((c) => view(this.statuses.get(c.name) as CStatus)) } : {}),
    };
    try {
      this.ctx.store.updateStatus(T.pods, this.ns, this.name, status);
    } catch {
      void this.stop(); // the pod is gone
    }
  }

  private async publishPorts(): Promise<void> {
    const ports: Record<string, number> = {};
    for (const r of this.running.values()) Object.assign(ports, r.ports);
    try {
      const live = this.ctx.store.get(T.pods, this.ns, this.name);
      if (!live) return;
      const annotations = { ...(live.metadata.annotations ?? {}), [SIM_PORTS_ANNOTATION]: JSON.stringify(ports) };
      const { resourceVersion: _rv, ...metadata } = live.metadata;
      this.pod = this.ctx.store.update(T.pods, { ...live, metadata: { ...metadata, annotations } });
    } catch { /* deleted meanwhile */ }
  }

  /**
   * The scheduler's part: bind the pod to the node once its requests fit next to what is already there
   * (scenario `node.accountResources`); until then it stays Pending, PodScheduled False / Unschedulable,
   * with a FailedScheduling event, and is tried again — as kube-scheduler retries an unschedulable pod
   * when the cluster changes (a pod deleted frees its requests). The check and the bind happen in one
   * turn, so two pods cannot both take the last room.
   */
  private async bind(): Promise<void> {
    const sc = this.ctx.scenario;
    let reported = '';
    for (;;) {
      let live: KubeObject | undefined;
      try { live = this.ctx.store.get(T.pods, this.ns, this.name); } catch { live = undefined; }
      if (!live || this.stopped) throw new Stopped();
      const allocatable = sc.node.accountResources ? allocatableOf(safeGet(this.ctx.store, T.nodes, undefined, this.ctx.profile)) : undefined;
      const fit = allocatable ? fitOnNode(live, this.ctx.store.list(T.pods).items, allocatable) : { fits: true as const };
      if (fit.fits) {
        const { resourceVersion: _rv, ...metadata } = live.metadata;
        try {
          this.pod = this.ctx.store.update(T.pods, { ...live, metadata, spec: { ...(live.spec as object), nodeName: this.ctx.profile } });
        } catch { throw new Stopped(); }
        return;
      }
      if (fit.message !== reported) {
        reported = fit.message;
        this.conditions.PodScheduled = { status: 'False', at: now(), reason: 'Unschedulable', message: fit.message };
        this.publish();
        this.event('FailedScheduling', fit.message, 'Warning', undefined, 'default-scheduler');
      }
      await this.wait(scaledMs(sc, sc.durations.scheduleRetry));
    }
  }

  async run(restart: boolean): Promise<void> {
    const sc = this.ctx.scenario;
    for (const c of [...this.init, ...this.main]) {
      const prev = ((this.pod.status as { containerStatuses?: CStatus[]; initContainerStatuses?: CStatus[] } | undefined));
      const old = [...(prev?.containerStatuses ?? []), ...(prev?.initContainerStatuses ?? [])].find((s) => s.name === c.name);
      this.statuses.set(c.name, { name: c.name, image: c.image, ready: false, started: false, restartCount: restart && old ? old.restartCount + 1 : 0, state: { waiting: { reason: restart ? 'ContainerCreating' : 'PodInitializing' } }, lastState: restart && old ? { terminated: { exitCode: 255, reason: 'Unknown', finishedAt: now() } } : {} });
    }
    const existingIp = podIP(this.pod);
    if (restart && existingIp) {
      this.ip = existingIp;
      this.startTime = String((this.pod.status as { startTime?: string } | undefined)?.startTime ?? now());
    } else {
      this.setCondition('PodScheduled', false);
      this.publish();
      await this.wait(scaledMs(sc, sc.durations.schedule));
      await this.bind();
      this.event('Scheduled', `Successfully assigned ${this.ns}/${this.name} to ${this.ctx.profile}`, 'Normal', undefined, 'default-scheduler');
      this.ip = this.k.allocateIp();
      this.startTime = now();
    }
    this.setCondition('PodScheduled', true);
    this.setCondition('PodReadyToStartContainers', true);
    this.setCondition('Initialized', false);
    this.publish();

    // Init containers in order; a native sidecar (restartPolicy Always) only has to start.
    for (const c of this.init) {
      if (c.restartPolicy === 'Always') await new Promise<void>((resolve, reject) => { this.lifecycle(c, resolve).catch(reject); });
      else await this.lifecycle(c, () => undefined);
    }
    this.setCondition('Initialized', true);
    for (const c of this.main) {
      const s = this.statuses.get(c.name);
      if (s && 'waiting' in s.state && s.state.waiting.reason === 'PodInitializing') s.state = { waiting: { reason: 'ContainerCreating' } };
    }
    this.publish();
    // Images are pulled one at a time (the kubelet's serialized puller); containers then run on their own.
    // A container whose pull failed does not hold up the next one: SyncPod starts every container of
    // ContainersToStart in turn and only records a failed start (kubernetes pkg/kubelet/kuberuntime/
    // kuberuntime_manager.go, "Step 7"), so a pod with two refused images shows both in ErrImagePull.
    for (const c of this.main) await new Promise<void>((resolve, reject) => { this.lifecycle(c, resolve, resolve).catch((e: unknown) => { if (!(e instanceof Stopped)) reject(e); }); });
  }

  /** `onPullFailed`: the pull failed once (ErrImagePull); the kubelet keeps retrying it with back-off. */
  private async ensureImage(c: Container, onPullFailed: () => void): Promise<void> {
    const sc = this.ctx.scenario;
    for (;;) {
      if (hasImage(this.ctx.state, this.ctx.profile, c.image)) {
        this.event('Pulled', `Container image "${c.image}" already present on machine`, 'Normal', c.name);
        return;
      }
      const fault = sc.faults.find((f): f is Extract<Fault, { kind: 'imagePullBackOff' }> => f.kind === 'imagePullBackOff' && c.image.includes(f.image));
      this.event('Pulling', `Pulling image "${c.image}"`, 'Normal', c.name);
      const started = Date.now();
      // The scenario's pull fault, worded for its reason (it clears after `times`), else what the registry
      // says of the image (sim/registry: removed, private, missing, lacking the node's architecture), which
      // does not clear.
      const facts = { scenario: sc, arch: archOfNode(this.ctx.store.get(T.nodes, undefined, this.ctx.profile)) };
      const refusal = fault && consumeFault(this.ctx.state, sc, fault) ? faultFailure(c.image, fault.reason, facts) : pullFailure(c.image, facts);
      if (refusal) {
        await this.wait(Math.min(pullMs(sc, c.image), scaledMs(sc, 3)));
        const msg = criMessage(refusal);
        this.event('Failed', `Failed to pull image "${c.image}": ${msg}`, 'Warning', c.name);
        this.event('Failed', 'Error: ErrImagePull', 'Warning', c.name);
        this.setWaiting(c, 'ErrImagePull', msg);
        onPullFailed();
        await this.wait(scaledMs(sc, 1));
        this.event('BackOff', `Back-off pulling image "${c.image}"`, 'Normal', c.name);
        this.event('Failed', 'Error: ImagePullBackOff', 'Warning', c.name);
        this.setWaiting(c, 'ImagePullBackOff', `Back-off pulling image "${c.image}": ErrImagePull: ${msg}`);
        await this.wait(scaledMs(sc, sc.durations.backOff));
        continue;
      }
      await Promise.race([this.k.pull(c.image), this.wait(24 * 3600_000)]);
      const secs = ((Date.now() - started) / 1000 / sc.timeScale).toFixed(3);
      const size = Math.round(pullMs(sc, c.image) / 1000 / sc.timeScale * sc.images.pullMBps * 1_000_000);
      this.event('Pulled', `Successfully pulled image "${c.image}" in ${secs}s (${secs}s including waiting). Image size: ${size} bytes.`, 'Normal', c.name);
      return;
    }
  }

  /**
   * The container's environment can be built: every non-optional secretKeyRef/configMapKeyRef names an
   * existing object with that key (kubernetes pkg/kubelet/kubelet_pods.go makeEnvironmentVariables). Until
   * then the container waits in CreateContainerConfigError with the kubelet's message — `secret "<name>" not
   * found` (the secret manager's NotFound), `couldn't find key <key> in Secret <ns>/<name>` — and an event
   * `Error: <message>` (kuberuntime_container.go startContainer), retried on the next sync.
   */
  private async ensureConfig(c: Container): Promise<void> {
    for (;;) {
      const problem = this.configError(c);
      if (!problem) return;
      this.event('Failed', `Error: ${problem}`, 'Warning', c.name);
      this.setWaiting(c, 'CreateContainerConfigError', problem);
      await this.wait(scaledMs(this.ctx.scenario, this.ctx.scenario.durations.backOff));
    }
  }

  private configError(c: Container): string | undefined {
    for (const e of c.env ?? []) {
      const refs: Array<['secret' | 'configmap', KeyRef | undefined]> = [['secret', e.valueFrom?.secretKeyRef], ['configmap', e.valueFrom?.configMapKeyRef]];
      for (const [kind, ref] of refs) {
        if (!ref || ref.optional) continue;
        const obj = this.ctx.store.get(kind === 'secret' ? T.secrets : T.configmaps, this.ns, ref.name);
        if (!obj) return `${kind} "${ref.name}" not found`;
        const data = { ...((obj.data as Record<string, unknown> | undefined) ?? {}), ...((obj.stringData as Record<string, unknown> | undefined) ?? {}) };
        if (!(ref.key in data)) return `couldn't find key ${ref.key} in ${kind === 'secret' ? 'Secret' : 'ConfigMap'} ${this.ns}/${ref.name}`;
      }
    }
    return undefined;
  }

  private setWaiting(c: Container, reason: string, message?: string): void {
    const s = this.statuses.get(c.name);
    if (!s) return;
    s.state = { waiting: { reason, ...(message ? { message } : {}) } };
    s.ready = false;
    s.started = false;
    this.publish();
  }

  /** One container's life: image, start, startup, ready — and restarts after a fault. */
  private async lifecycle(c: Container, onStarted: () => void, onPullFailed: () => void = () => undefined): Promise<void> {
    const sc = this.ctx.scenario;
    const s = this.statuses.get(c.name) as CStatus;
    let first = true;
    for (;;) {
      if (first) await this.ensureImage(c, onPullFailed);
      first = false;
      await this.ensureConfig(c);
      const id = randomBytes(32).toString('hex');
      this.event('Created', `Created container: ${c.name}`, 'Normal', c.name);
      this.event('Started', `Started container ${c.name}`, 'Normal', c.name);
      const startedAt = now();
      s.containerID = `docker://${id}`;
      s.state = { running: { startedAt } };
      this.phase = 'Running';
      const failure = this.startFailure(c);
      if (!failure) this.log(c.name, startupLines(c, 'start'));
      const probe = c.startupProbe;
      s.started = !probe;
      this.publish();
      onStarted();
      if (failure) {
        // The program reads its configuration, says why it refuses it and exits before it serves anything:
        // no probe, no server; the kubelet records the exit and restarts it with back-off.
        await this.wait(scaledMs(sc, failure.afterSeconds));
        const at = rfc3339Nano();
        this.log(c.name, failure.log.map((l) => l.split(NOW_TOKEN).join(at)));
        await this.crash(c, s, { exitCode: failure.exitCode, reason: 'Error', startedAt, finishedAt: now() });
        continue;
      }
      const model = isVllm(c) ? vllmModel(c) : undefined;
      if (model) {
        const fetched = await this.k.models.ensure(this.pod, c.name, s.restartCount, model, (ms) => this.wait(ms));
        this.log(c.name, [fetched ? `INFO [weight_utils.py] Downloaded ${model} (${fetched} bytes) from the Hugging Face Hub` : `INFO [weight_utils.py] Using the cached weights of ${model}`]);
      }
      const startup = scaledMs(sc, containerStartupSeconds(sc, c.name, isVllm(c) ? 'vllm' : undefined));
      const budget = probe ? scaledMs(sc, (probe.initialDelaySeconds ?? 0) + (probe.periodSeconds ?? 10) * (probe.failureThreshold ?? 3)) : Infinity;
      if (startup > budget) {
        // The startup probe gives up before the app is up: the kubelet kills and restarts it. The wording is
        // the kubelet's: prober.go records "%s probe failed: %s" (probeType "Startup") as a Warning
        // Unhealthy event, and kuberuntime_manager.go's computePodActions kills with "Container %s failed
        // startup probe" + ", will be restarted" (kubernetes pkg/kubelet/prober, pkg/kubelet/kuberuntime).
        await this.wait(scaledMs(sc, probe?.initialDelaySeconds ?? 0));
        const get = probe && 'httpGet' in probe ? (probe as { httpGet?: { port?: number | string; path?: string } }).httpGet : undefined;
        // A named port is resolved against the container's ports first, as the kubelet's prober does
        // (pkg/kubelet/prober/prober.go → probe.ResolveContainerPort): the URL carries the number.
        const named = typeof get?.port === 'string' ? c.ports?.find((x) => x.name === get.port)?.containerPort : undefined;
        const port = named ?? (typeof get?.port === 'number' ? get.port : 8200);
        this.event('Unhealthy', `Startup probe failed: Get "http://${this.ip}:${port}${get?.path ?? '/health'}": dial tcp ${this.ip}:${port}: connect: connection refused`, 'Warning', c.name);
        await this.wait(budget - scaledMs(sc, probe?.initialDelaySeconds ?? 0));
        this.event('Killing', `Container ${c.name} failed startup probe, will be restarted`, 'Normal', c.name);
        await this.crash(c, s, { exitCode: 137, reason: 'Error', startedAt, finishedAt: now() });
        continue;
      }
      const loadingOom = this.oomFault(c, 'loading');
      // vLLM allocates its weights and KV cache while it loads: more than the limit is the kernel's
      // OOMKilled on every start, whatever the scenario's faults say (sim/cluster/memory.ts).
      const mem = this.isDecodeVllm(c) ? vllmMemory(c, sc) : undefined;
      // Within its limit, it still has to fit in what the node has left: else the kernel's OOM killer takes it,
      // reported OOMKilled all the same (shared/kube/node-memory.ts).
      const node = mem && !overLimit(mem) && !loadingOom ? this.k.memory.take(this.pod, c.name, mem.needMiB) : undefined;
      if (loadingOom || (mem && overLimit(mem)) || (node && !node.ok)) {
        if (mem && (overLimit(mem) || (node && !node.ok))) this.log(c.name, `INFO 01-06 10:00:06 [cpu_worker.py:130] Allocating ${(mem.kvCacheMiB / 1024).toFixed(2)} GiB for the KV cache (model weights ${(mem.weightsMiB / 1024).toFixed(2)} GiB)`);
        await this.wait(Math.min(startup, scaledMs(sc, loadingOom?.afterSeconds ?? 1)));
        this.log(c.name, 'Killed');
        await this.crash(c, s, { exitCode: 137, reason: 'OOMKilled', startedAt, finishedAt: now() });
        continue;
      }
      await this.wait(startup);
      const running = await startContainerServers(c, {
        pod: this.pod,
        replicaOptions: (rc) => this.replicaOptions(rc),
        gatewayDeps: () => this.k.gatewayDeps(this.pod),
        siblingPort: (p) => { for (const r of this.running.values()) if (r.ports[String(p)]) return r.ports[String(p)]; return undefined; },
        eppMetrics: () => this.k.eppMetrics(this.pod),
      });
      if (this.stopped) { await running?.close(); throw new Stopped(); }
      if (running) {
        this.running.set(c.name, running);
        await this.publishPorts();
      }
      this.log(c.name, startupLines(c, 'ready'));
      s.started = true;
      s.ready = true;
      this.publish();
      const crash = await this.faultAfterReady(c, running);
      if (!crash) return;
      await this.crash(c, s, { ...crash, startedAt, finishedAt: now() });
    }
  }

  /** Why this container will exit right after it starts: its chart's annotation, else vLLM's argparse. */
  private startFailure(c: Container): StartFailure | undefined {
    return readStartFailure(this.pod, c.name) ?? this.crashFault(c) ?? vllmStartFailure(c) ?? vllmDtypeFailure(c, this.ctx.scenario.node);
  }

  /** The scenario's containerCrash fault for this container, consumed per start; undefined when none. */
  private crashFault(c: Container): StartFailure | undefined {
    const sc = this.ctx.scenario;
    const f = sc.faults.find((x) => x.kind === 'containerCrash' && x.container === c.name && this.name.includes(x.pod));
    if (!f || f.kind !== 'containerCrash') return undefined;
    if (f.onePod) {
      // The first pod it hits is remembered (by uid) in the sim's state: its replacement is spared.
      const key = `${f.container}/${f.pod}`;
      const first = updateJson<Record<string, string>>(join(this.ctx.state, 'container-crash-pods.json'), {}, (m) => (m[key] ? m : { ...m, [key]: this.uid ?? '' }))[key];
      if (first !== this.uid) return undefined;
    }
    if (!consumeFault(this.ctx.state, sc, f)) return undefined;
    return { exitCode: f.exitCode, afterSeconds: f.afterSeconds, log: f.log };
  }

  private async crash(c: Container, s: CStatus, term: { exitCode: number; reason: string; startedAt: string; finishedAt: string }): Promise<void> {
    const sc = this.ctx.scenario;
    const r = this.running.get(c.name);
    if (r) { this.running.delete(c.name); await r.close(); await this.publishPorts(); }
    this.k.memory.release(this.uid, c.name);
    s.lastState = { terminated: term };
    s.restartCount += 1;
    s.ready = false;
    s.started = false;
    // The kubelet's restart back-off starts at 10 s and doubles with every crash up to five minutes
    // (kubernetes pkg/kubelet/kubelet.go backOffPeriod = 10s, MaxContainerBackOff = 300s — now in
    // pkg/kubelet/apis/config/v1beta1 defaults); the base here is the scenario's `durations.backOff`.
    const backOff = Math.min(sc.durations.backOff * 2 ** (s.restartCount - 1), 300);
    s.state = { waiting: { reason: 'CrashLoopBackOff', message: `back-off ${goDuration(backOff)} restarting failed container=${c.name} pod=${this.name}_${this.ns}(${this.uid ?? ''})` } };
    this.publish();
    this.event('BackOff', `Back-off restarting failed container ${c.name} in pod ${this.name}_${this.ns}(${this.uid ?? ''})`, 'Warning', c.name);
    await this.wait(scaledMs(sc, backOff));
  }

  private isDecodeVllm(c: Container): boolean {
    return isVllm(c) && this.pod.metadata.labels?.[DECODE_KEY] === DECODE_VALUE;
  }

  /** The scenario's OOMKilled fault for this decode replica at this stage, consumed; undefined when none. */
  private oomFault(c: Container, during: 'loading' | 'serving') {
    const sc = this.ctx.scenario;
    if (!this.isDecodeVllm(c)) return undefined;
    const oom = sc.faults.find((f) => f.kind === 'oomKilled' && f.during === during && f.replica === this.k.decodeIndex(this.pod));
    return oom && oom.kind === 'oomKilled' && consumeFault(this.ctx.state, sc, oom) ? oom : undefined;
  }

  /** Waits for a fault that ends this run of the container; undefined when none applies. */
  private async faultAfterReady(c: Container, running: Running | undefined): Promise<{ exitCode: number; reason: string } | undefined> {
    const sc = this.ctx.scenario;
    const oom = this.oomFault(c, 'serving');
    if (oom) {
      await this.wait(scaledMs(sc, oom.afterSeconds));
      this.log(c.name, 'Killed');
      return { exitCode: 137, reason: 'OOMKilled' };
    }
    const drop = sc.faults.find((f) => f.kind === 'portForwardDrop');
    if (running?.gateway && drop && drop.kind === 'portForwardDrop' && consumeFault(this.ctx.state, sc, drop)) {
      await this.wait(scaledMs(sc, drop.afterSeconds));
      // The pod goes away under the port-forward, as when a node or gateway restarts: open connections
      // drop and the Deployment replaces the pod under a new name.
      running.gateway.dropConnections();
      this.event('Killing', `Stopping container ${c.name}`, 'Normal', c.name);
      try { this.ctx.store.delete(T.pods, this.ns, this.name); } catch { /* gone */ }
    }
    return undefined;
  }

  private replicaOptions(c: Container): ReplicaOptions {
    const sc = this.ctx.scenario;
    const model = vllmOption(c, '--served-model-name') ?? vllmModel(c) ?? 'random';
    const fault = sc.faults.find((f) => f.kind === 'streamError');
    // `--disable-access-log-for-endpoints=/health,/metrics,/v1/models` (vLLM >= 0.16, PR #30011) drops uvicorn's
    // access lines for those paths (query string ignored).
    const quiet = (vllmOption(c, '--disable-access-log-for-endpoints') ?? '').split(',').map((p) => p.trim()).filter(Boolean);
    return {
      model, podName: this.name, namespace: this.ns, mode: (argValue(c, '--mode') as 'echo' | 'random' | undefined) ?? sc.replica.mode,
      timeToFirstTokenMs: sc.replica.timeToFirstTokenMs * sc.timeScale, interTokenLatencyMs: sc.replica.interTokenLatencyMs * sc.timeScale,
      maxModelLen: Number(vllmOption(c, '--max-model-len') ?? 2048), maxNumSeqs: Number(vllmOption(c, '--max-num-seqs') ?? 5),
      maxTokensDefault: sc.replica.maxTokensDefault,
      streamError: () => (fault && fault.kind === 'streamError' && consumeFault(this.ctx.state, sc, fault) ? fault.afterTokens : undefined),
      accessLog: (line) => {
        const path = /"[A-Z]+ ([^ ?"]+)/.exec(line)?.[1];
        if (!path || !quiet.includes(path)) this.log(c.name, line);
      },
    };
  }
}

/** Seconds as Go prints a time.Duration (`10s`, `1m20s`, `5m0s`), as the kubelet's back-off message does. */
const goDuration = (secs: number): string => {
  const s = Math.round(secs);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${s % 60}s`;
};

function startupLines(c: Container, when: 'start' | 'ready'): string[] {
  const model = vllmModel(c) ?? '';
  if (isVllm(c)) {
    return when === 'start'
      ? [`INFO 01-06 10:00:00 [api_server.py:1896] vLLM API server version ${vllmVersionOfImage(c.image) ?? '0.11.1'}`, `INFO 01-06 10:00:00 [utils.py:233] non-default args: {'model': '${model}', 'host': '0.0.0.0', 'port': ${vllmOption(c, '--port') ?? 8000}, 'max_model_len': ${vllmOption(c, '--max-model-len') ?? 2048}}`, 'INFO 01-06 10:00:05 [cpu_worker.py:102] Loading model weights...']
      : ['INFO 01-06 10:04:00 [gpu_model_runner.py:2653] Model loading took 2.0512 GiB and 180.3 seconds', `INFO 01-06 10:04:00 [api_server.py:1971] Starting vLLM API server 0 on http://0.0.0.0:${argValue(c, '--port') ?? 8000}`, 'INFO:     Started server process [1]', 'INFO:     Waiting for application startup.', 'INFO:     Application startup complete.'];
  }
  if (c.name === 'routing-proxy') return when === 'start' ? [JSON.stringify({ level: 'info', ts: new Date().toISOString(), logger: 'proxy server', msg: 'starting proxy server', address: `:${argValue(c, '--port') ?? 8000}` })] : [];
  if (c.name === 'epp') return when === 'start' ? [JSON.stringify({ level: 'info', ts: new Date().toISOString(), logger: 'setup', caller: 'runner/runner.go:231', msg: 'Flags processed', flags: { poolName: argValue(c, '--pool-name'), v: argValue(c, '--v') } })] : [JSON.stringify({ level: 'info', ts: new Date().toISOString(), logger: 'setup', caller: 'runner/runner.go:420', msg: 'Starting manager' })];
  return when === 'start' ? [`${c.name} starting`] : [`${c.name} ready`];
}
