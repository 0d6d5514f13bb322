// Collects the doctor's snapshot (snapshot.ts) from the cluster with @kubernetes/client-node: pods and
// events of the app's namespaces, the node's allocatable, and the last log lines of every container that
// is not Ready (current and, after a restart, previous) — bounded, so a broken cluster cannot stall it;
// the stack namespace's HTTPRoutes, InferencePools and Deployments; and, when given, the app's port-forward records and the person's own
// kubeconfig (neither needs the cluster).
import { ApiextensionsV1Api, CoreV1Api, CustomObjectsApi, type KubeConfig, type V1Container, type V1ContainerStatus, type V1Pod } from '@kubernetes/client-node';
import type { JournalDoc } from '../../../shared/api/engine.js';
import type { HostReport } from '../../../shared/api/host.js';
import { podStatus } from '../../../shared/kube/pod-status.js';
import { isNotFound } from '../kube/errors.js';
import { installedGatewayApi } from '../kube/gateway-api-crds.js';
import { liveDeployments } from '../steps/stack-drift.js';
import { summarizeEvent } from '../kube/pod-summary.js';
import type { PlanContext } from '../plan/step.js';
import { gatewayNamespaces } from '../../../shared/release.js';
import { INFERENCE_POOL_GROUP, INFERENCE_POOL_GROUP_LEGACY } from '../../../shared/stack.js';
import type { ToolStatus } from '../../../shared/api/engine.js';
import { collectForwards } from './collect-forwards.js';
import { collectMonitors } from './collect-monitors.js';
import { collectPodman } from './collect-podman.js';
import { collectLocalPorts } from './collect-ports.js';
import { kubeSnapshot, type PersonKubeConfig } from './person-kubeconfig.js';
import { logKey, type ContainerSnapshot, type DeploymentSnapshot, type InferencePoolSnapshot, type PodSnapshot, type ReleaseOption, type RouteCondition, type RouteSnapshot, type Snapshot } from './snapshot.js';

export interface CollectOptions {
  plan: PlanContext;
  /** The profile's context; undefined when there is no cluster (yet). */
  kc: KubeConfig | undefined;
  host?: HostReport;
  journal?: JournalDoc | null;
  /** The app's run dir (AppPaths.runDir): its port-forward records. Unset: forwards are not looked at. */
  runDir?: string;
  /** The person's kubeconfig, unswitched (personKubeConfig(env)). Unset: the kube-context rule does not apply. */
  kubeconfig?: PersonKubeConfig;
  /** Set in rehearsal (the reason): rules about the real machine's limits do not apply. */
  rehearsal?: string;
  /** The host facts are recorded (LLMD_HOST_FACTS), not detected. */
  hostRecorded?: boolean;
  /**
   * The tool environment (the app's PATH): given, the podman machine (when the plan uses one) and the
   * holders of the forwards' local ports are looked at. Unset: neither is.
   */
  toolEnv?: NodeJS.ProcessEnv;
  /** The host's platform for the port holder lookup (default process.platform). */
  platform?: string;
  /** The prerequisite tools as the prerequisites check found them; unset, the tool-version rule does not apply. */
  tools?: ToolStatus[];
  /** The other stack releases (release-options.ts); unset, the image-pull rule suggests none. */
  releases?: ReleaseOption[];
  /** Log lines kept per container (the guide's `logs --tail`). */
  tailLines?: number;
  now?: () => Date;
}

const iso = (d: Date | string | undefined | null): string | undefined => (d == null ? undefined : typeof d === 'string' ? d : d.toISOString());

/** The namespaces the app deploys into: the stack's, the gateway's (Istio), monitoring. */
export function appNamespaces(plan: PlanContext): string[] {
  return [...new Set([plan.settings.namespace, ...gatewayNamespaces(plan.release), plan.release.monitoringNamespace])];
}

function containerOf(spec: V1Container, status: V1ContainerStatus | undefined): ContainerSnapshot {
  const st = status?.state;
  const state: ContainerSnapshot['state'] = st?.waiting
    ? { kind: 'waiting', ...(st.waiting.reason ? { reason: st.waiting.reason } : {}), ...(st.waiting.message ? { message: st.waiting.message } : {}) }
    : st?.running ? { kind: 'running', ...(iso(st.running.startedAt) ? { startedAt: iso(st.running.startedAt)! } : {}) }
      : st?.terminated ? { kind: 'terminated', ...(st.terminated.reason ? { reason: st.terminated.reason } : {}), ...(st.terminated.message ? { message: st.terminated.message } : {}) }
        : { kind: 'unknown' };
  const last = status?.lastState?.terminated;
  const probe = spec.startupProbe;
  const limits = spec.resources?.limits ?? {};
  return {
    name: spec.name,
    image: spec.image ?? '',
    ready: status?.ready ?? false,
    started: status?.started ?? false,
    restartCount: status?.restartCount ?? 0,
    state,
    ...(last ? { lastTerminated: { exitCode: last.exitCode, ...(last.reason ? { reason: last.reason } : {}), ...(iso(last.startedAt) ? { startedAt: iso(last.startedAt)! } : {}), ...(iso(last.finishedAt) ? { finishedAt: iso(last.finishedAt)! } : {}) } } : {}),
    limits: { ...(limits.memory ? { memory: String(limits.memory) } : {}), ...(limits.cpu ? { cpu: String(limits.cpu) } : {}) },
    ...(probe ? { startupProbe: { initialDelaySeconds: probe.initialDelaySeconds ?? 0, periodSeconds: probe.periodSeconds ?? 10, failureThreshold: probe.failureThreshold ?? 3 } } : {}),
    args: [...(spec.command ?? []), ...(spec.args ?? [])],
  };
}

export function podSnapshot(pod: V1Pod): PodSnapshot {
  const s = podStatus(pod);
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  const specs = [...(pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always'), ...(pod.spec?.containers ?? [])];
  const created = iso(pod.metadata?.creationTimestamp);
  return {
    namespace: pod.metadata?.namespace ?? '',
    name: pod.metadata?.name ?? '',
    labels: { ...(pod.metadata?.labels ?? {}) },
    phase: pod.status?.phase ?? 'Unknown',
    ...(created ? { createdAt: created } : {}),
    ...(pod.spec?.nodeName ? { node: pod.spec.nodeName } : {}),
    ...(pod.spec?.serviceAccountName ? { serviceAccount: pod.spec.serviceAccountName } : {}),
    podReady: s.podReady,
    readyText: s.readyText,
    conditions: (pod.status?.conditions ?? []).map((c) => ({ type: c.type, status: c.status, ...(c.reason ? { reason: c.reason } : {}), ...(c.message ? { message: c.message } : {}) })),
    containers: specs.map((c) => containerOf(c, statuses.find((x) => x.name === c.name))),
  };
}

interface RouteObject {
  metadata?: { name?: string; namespace?: string; generation?: number };
  spec?: { rules?: Array<{ backendRefs?: Array<{ group?: string; kind?: string; name?: string }> }> };
  status?: { parents?: Array<{ parentRef?: { name?: string; namespace?: string; kind?: string }; conditions?: RouteCondition[] }> };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export function routeSnapshot(r: RouteObject, namespace: string): RouteSnapshot {
  const ns = r.metadata?.namespace ?? namespace;
  return {
    namespace: ns,
    name: r.metadata?.name ?? '',
    ...(typeof r.metadata?.generation === 'number' ? { generation: r.metadata.generation } : {}),
    backendRefs: (r.spec?.rules ?? []).flatMap((rule) => rule.backendRefs ?? [])
      .map((b) => ({ ...(str(b.group) !== undefined ? { group: b.group } : {}), ...(str(b.kind) ? { kind: b.kind } : {}), ...(str(b.name) ? { name: b.name } : {}) })),
    parents: (r.status?.parents ?? []).map((p) => ({
      parent: `${(p.parentRef?.kind ?? 'Gateway').toLowerCase()}/${p.parentRef?.namespace ?? ns}/${p.parentRef?.name ?? '?'}`,
      conditions: (p.conditions ?? []).map((c) => ({
        type: c.type, status: c.status,
        ...(str(c.reason) ? { reason: c.reason } : {}), ...(str(c.message) ? { message: c.message } : {}),
        ...(typeof c.observedGeneration === 'number' ? { observedGeneration: c.observedGeneration } : {}),
        ...(str(c.lastTransitionTime) ? { lastTransitionTime: c.lastTransitionTime } : {}),
      })),
    })),
  };
}

/** The HTTPRoutes of a namespace; a cluster without the Gateway API CRDs answers 404, which is a fact, not a gap. */
async function collectRoutes(kc: KubeConfig, namespace: string, gaps: string[]): Promise<Snapshot['httpRoutes']> {
  try {
    const list = (await kc.makeApiClient(CustomObjectsApi).listNamespacedCustomObject({ group: 'gateway.networking.k8s.io', version: 'v1', namespace, plural: 'httproutes' })) as { items?: RouteObject[] };
    return { crd: true, items: (list.items ?? []).map((r) => routeSnapshot(r, namespace)) };
  } catch (e) {
    if (isNotFound(e)) return { crd: false, items: [] };
    gaps.push(`the HTTPRoutes in ${namespace}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
    return undefined;
  }
}

interface PoolObject {
  metadata?: { name?: string; namespace?: string };
  spec?: { selector?: Record<string, unknown>; targetPorts?: Array<{ number?: number }>; targetPortNumber?: number };
}

/**
 * An InferencePool's selector and port in either group's shape: v1 `selector.matchLabels` and `targetPorts[]`
 * (GAIE v1.2.0 inference.networking.k8s.io_inferencepools.yaml), v1alpha2 a flat `selector` map and
 * `targetPortNumber`.
 */
export function poolSnapshot(p: PoolObject, group: string, namespace: string): InferencePoolSnapshot {
  const sel = p.spec?.selector ?? {};
  const labels = sel.matchLabels && typeof sel.matchLabels === 'object' ? sel.matchLabels as Record<string, unknown> : sel;
  const selector = Object.fromEntries(Object.entries(labels).filter((kv): kv is [string, string] => typeof kv[1] === 'string'));
  const port = p.spec?.targetPorts?.[0]?.number ?? p.spec?.targetPortNumber;
  return { namespace: p.metadata?.namespace ?? namespace, name: p.metadata?.name ?? '', group, selector, ...(typeof port === 'number' ? { targetPort: port } : {}) };
}

/** The namespace's InferencePools in both groups; a group the cluster has no CRD for answers 404: none there. */
async function collectPools(kc: KubeConfig, namespace: string, gaps: string[]): Promise<InferencePoolSnapshot[] | undefined> {
  const api = kc.makeApiClient(CustomObjectsApi);
  const out: InferencePoolSnapshot[] = [];
  for (const [group, version] of [[INFERENCE_POOL_GROUP, 'v1'], [INFERENCE_POOL_GROUP_LEGACY, 'v1alpha2']] as const) {
    try {
      const list = (await api.listNamespacedCustomObject({ group, version, namespace, plural: 'inferencepools' })) as { items?: PoolObject[] };
      out.push(...(list.items ?? []).map((p) => poolSnapshot(p, group, namespace)));
    } catch (e) {
      if (isNotFound(e)) continue;
      gaps.push(`the InferencePools (${group}) in ${namespace}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
      return undefined;
    }
  }
  return out;
}

async function collectDeployments(kc: KubeConfig, namespace: string, gaps: string[]): Promise<DeploymentSnapshot[] | undefined> {
  try {
    return await liveDeployments(kc, namespace);
  } catch (e) {
    gaps.push(`the Deployments in ${namespace}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
    return undefined;
  }
}

const lines = (text: string): string[] => text.split('\n').filter((l) => l.length > 0);

export async function collectSnapshot(o: CollectOptions): Promise<Snapshot> {
  const at = (o.now ?? (() => new Date()))();
  // What needs no cluster is collected first, so a finding about the kubeconfig or a dead forward is
  // there even when the cluster does not answer.
  const forwards = o.runDir !== undefined ? await collectForwards(o.runDir) : undefined;
  const podman = o.toolEnv && o.plan.usesPodmanMachine ? await collectPodman(o.plan, o.toolEnv, at) : undefined;
  const localPorts = o.toolEnv ? await collectLocalPorts(forwards, o.toolEnv, o.platform ?? process.platform) : undefined;
  const base = {
    at, plan: o.plan, ...(o.host ? { host: o.host } : {}), ...(o.journal !== undefined ? { journal: o.journal } : {}),
    ...(forwards ? { forwards } : {}), ...(o.kubeconfig ? { kube: kubeSnapshot(o.kubeconfig) } : {}),
    ...(o.rehearsal ? { rehearsal: o.rehearsal } : {}),
    ...(o.hostRecorded ? { hostRecorded: true } : {}),
    ...(podman ? { podman } : {}), ...(localPorts ? { localPorts } : {}), ...(o.tools ? { tools: o.tools } : {}),
    ...(o.releases ? { releases: o.releases } : {}),
  };
  if (!o.kc) return { ...base, cluster: { reachable: false, why: `there is no cluster "${o.plan.settings.profile}" yet` }, pods: [], events: [], logs: {}, nodes: [], gaps: ['the cluster (none yet)'] };
  const core = o.kc.makeApiClient(CoreV1Api);
  const gaps: string[] = [];
  let nodes: Snapshot['nodes'];
  try {
    nodes = (await core.listNode()).items.map((n) => {
      // The kubelet's own report (kubernetes pkg/kubelet/nodestatus/setters.go GoRuntime: runtime.GOARCH, set on
      // every status sync) is what containerd pulls for; a label can be overwritten by anyone.
      const arch = n.status?.nodeInfo?.architecture || n.metadata?.labels?.['kubernetes.io/arch'];
      return {
        name: n.metadata?.name ?? '',
        ...(arch ? { arch } : {}),
        allocatable: { ...(n.status?.allocatable?.cpu ? { cpu: n.status.allocatable.cpu } : {}), ...(n.status?.allocatable?.memory ? { memory: n.status.allocatable.memory } : {}) },
      };
    });
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    const why = typeof code === 'number' ? `the API server answered ${code}` : 'the API server does not answer';
    return { ...base, cluster: { reachable: false, why }, pods: [], events: [], logs: {}, nodes: [], gaps: [`the cluster (${why})`] };
  }
  const pods: PodSnapshot[] = [];
  const events: Snapshot['events'] = [];
  for (const namespace of appNamespaces(o.plan)) {
    try {
      pods.push(...(await core.listNamespacedPod({ namespace })).items.filter((p) => !p.metadata?.deletionTimestamp).map(podSnapshot));
      events.push(...(await core.listNamespacedEvent({ namespace })).items.map(summarizeEvent));
    } catch (e) {
      gaps.push(`namespace ${namespace}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
    }
  }
  events.sort((a, b) => (a.lastSeen ?? '').localeCompare(b.lastSeen ?? ''));
  const logs: Snapshot['logs'] = {};
  const tailLines = o.tailLines ?? 50;
  for (const p of pods) {
    for (const c of p.containers) {
      if (c.ready || c.state.kind === 'unknown' || (c.state.kind === 'waiting' && !c.lastTerminated && c.restartCount === 0)) continue;
      const read = async (previous: boolean) => {
        try {
          logs[logKey(p, c.name, previous)] = lines(await core.readNamespacedPodLog({ name: p.name, namespace: p.namespace, container: c.name, tailLines, previous }));
        } catch { /* no log (yet): the rules work without it */ }
      };
      if (c.state.kind !== 'waiting') await read(false);
      if (c.restartCount > 0) await read(true);
    }
  }
  const httpRoutes = await collectRoutes(o.kc, o.plan.settings.namespace, gaps);
  const monitors = await collectMonitors(o.kc, o.plan.settings.namespace, gaps);
  const inferencePools = await collectPools(o.kc, o.plan.settings.namespace, gaps);
  const deployments = await collectDeployments(o.kc, o.plan.settings.namespace, gaps);
  const gatewayApi = await collectGatewayApi(o.kc, gaps);
  return {
    ...base, cluster: { reachable: true }, pods, events, logs, nodes, ...(httpRoutes ? { httpRoutes } : {}), ...(monitors ? { monitors } : {}),
    ...(inferencePools ? { inferencePools } : {}), ...(deployments ? { deployments } : {}), ...(gatewayApi ? { gatewayApi } : {}), gaps,
  };
}


/** The Gateway API version of the cluster's CRDs (what a switch of release must not go below, kube/gateway-api-crds.ts). */
async function collectGatewayApi(kc: KubeConfig, gaps: string[]): Promise<string | undefined> {
  try {
    return installedGatewayApi((await kc.makeApiClient(ApiextensionsV1Api).listCustomResourceDefinition()).items);
  } catch (e) {
    gaps.push(`the CRDs: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
    return undefined;
  }
}
