// One snapshot of the install for the doctor's rules (electron/engine/doctor/rules): what a person would
// otherwise gather by hand with `kubectl get pods -o yaml`, `get events --sort-by`, `logs --tail`,
// `describe node` — plus the plan, the last run's journal and the host check. Rules are pure over it, so
// each is tested from a fixture; collect.ts is the only code that talks to the cluster.
import type { ClusterEvent } from '../../../shared/api/cluster.js';
import type { JournalDoc } from '../../../shared/api/engine.js';
import type { HostReport } from '../../../shared/api/host.js';
import type { ForwardName } from '../../../shared/api/cluster.js';
import type { ToolStatus } from '../../../shared/api/engine.js';
import type { MachineInfo } from '../podman/machine.js';
import type { PlanContext } from '../plan/step.js';
import type { Arch, ImageRole } from '../../../shared/release.js';

export interface ContainerSnapshot {
  name: string;
  image: string;
  ready: boolean;
  started: boolean;
  restartCount: number;
  /** The current state as kubectl names it, with its reason (CrashLoopBackOff, ErrImagePull …). */
  state: { kind: 'waiting' | 'running' | 'terminated' | 'unknown'; reason?: string; message?: string; startedAt?: string };
  lastTerminated?: { exitCode: number; reason?: string; startedAt?: string; finishedAt?: string };
  limits: { memory?: string; cpu?: string };
  /** The startup probe's budget inputs (seconds), when it has one. */
  startupProbe?: { initialDelaySeconds: number; periodSeconds: number; failureThreshold: number };
  args: string[];
}

export interface PodSnapshot {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  phase: string;
  createdAt?: string;
  node?: string;
  /** spec.serviceAccountName: whose imagePullSecrets the pod got when it was created. */
  serviceAccount?: string;
  podReady: boolean;
  /** kubectl's READY column. */
  readyText: string;
  conditions: Array<{ type: string; status: string; reason?: string; message?: string }>;
  containers: ContainerSnapshot[];
}

export interface NodeSnapshot {
  name: string;
  /** status.nodeInfo.architecture: what the node's kubelet reports and pulls for (else its kubernetes.io/arch label). */
  arch?: string;
  allocatable: { cpu?: string; memory?: string };
}

/** A condition as the Gateway API reports it on a route's parent (the Gateway). */
export interface RouteCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  observedGeneration?: number;
  lastTransitionTime?: string;
}

/** An HTTPRoute: where it sends requests and what each parent Gateway's controller (Istio) says of it. */
export interface RouteSnapshot {
  namespace: string;
  name: string;
  generation?: number;
  backendRefs: Array<{ group?: string; kind?: string; name?: string }>;
  /** One entry per parent in status.parents: `parent` names it (`gateway/<ns>/<name>`). */
  parents: Array<{ parent: string; conditions: RouteCondition[] }>;
}

/** A port-forward the app recorded under <dataDir>/run/forwards/<name>.json, and whether it still works. */
export interface ForwardSnapshot {
  name: string;
  pid: number;
  /** The recorded process exists (process.kill(pid, 0)). */
  alive: boolean;
  port: number;
  url: string;
  /** Something accepts a TCP connection on 127.0.0.1:<port> (only tried while the process is alive). */
  answers: boolean;
  context: string;
  namespace: string;
  service: string;
  servicePort: number;
  startedAt: string;
  /** The gateway's forward only, while it answers: what `GET /v1/models` through it got (collect-forwards.ts). */
  probe?: GatewayProbe;
}

/** One request through the gateway's forward and its answer (the status and the start of the body), or why none came. */
export interface GatewayProbe {
  request: string;
  status?: number;
  body?: string;
  error?: string;
}

/** An InferencePool of the stack's namespace: the pods its selector picks are the only ones the EPP routes to. */
export interface InferencePoolSnapshot {
  namespace: string;
  name: string;
  /** inference.networking.k8s.io, or the older x-k8s group. */
  group: string;
  selector: Record<string, string>;
  targetPort?: number;
}

/** A Deployment of the stack's namespace: the pods it asks for and how many of them are Ready. */
export interface DeploymentSnapshot {
  namespace: string;
  name: string;
  /** spec.replicas (1 when unset, as the API server defaults it). */
  replicas: number;
  readyReplicas: number;
}

/** The person's kubeconfig as they have it (not the copy switched to the profile the engine uses). */
export interface KubeSnapshot {
  /** The files it was read from (KUBECONFIG's, else ~/.kube/config), for the messages. */
  files: string[];
  contexts: string[];
  /** current-context; undefined when none is set. */
  current?: string;
  /** The cluster each context points at, by context name (its server when the kubeconfig has it). */
  clusterOf: Record<string, { cluster: string; server?: string }>;
}

/** The podman machine the plan uses, as `podman machine list` / `inspect` reported it when the snapshot was taken. */
export interface PodmanMachineSnapshot {
  /** The machine the plan uses (the default one). */
  name: string;
  at: string;
  /** Undefined: podman lists no such machine. */
  machine?: MachineInfo;
  /** What the size must be for the settings (podmanMachineSize). */
  want: { cpus: number; memoryMiB: number; diskGB: number };
  /** The commands run and the lines of their output the rules quote (`podman machine inspect`'s Rootful, State, Resources). */
  commands: string[][];
  output: string[];
  /** podman did not answer (not installed, or the command failed): its words. */
  error?: string;
}

/** A local port the app's port-forwards prefer (forward/access.ts PREFERRED_PORTS) and who holds it. */
export interface LocalPortSnapshot {
  forward: ForwardName;
  port: number;
  /** Something listens on 127.0.0.1:<port>. */
  inUse: boolean;
  /** It is this app's own recorded forward (a live forwarder with that port). */
  ours: boolean;
  /** The listening process and its name (not its arguments), when the OS tells (Linux /proc, `lsof` on macOS). */
  holder?: { pid: number; command?: string };
  /** How the holder was found (or why not), for the evidence. */
  how: string;
}

/** A ServiceMonitor or PodMonitor of the stack and the port names it scrapes. */
export interface MonitorSnapshot {
  kind: 'ServiceMonitor' | 'PodMonitor';
  namespace: string;
  name: string;
  selector: Record<string, string>;
  /** endpoints[].port (ServiceMonitor) / podMetricsEndpoints[].port (PodMonitor). */
  ports: string[];
}

/**
 * Another stack release (resources/releases) as far as the rules need it to suggest a switch: the image it
 * would run for each role on each node architecture with the plan's accelerator — an architecture is absent
 * where the release has no image for one of its roles there (its plan could not be made) — and the models
 * it has server settings for.
 */
export interface ReleaseOption {
  id: string;
  title: string;
  images: Partial<Record<Arch, Partial<Record<ImageRole, string>>>>;
  models: string[];
  /** The Gateway API version of its CRDs (release.yaml crdManifests). */
  gatewayApi?: string;
}

/** A Service's labels and named ports (what a ServiceMonitor's selector and port refer to). */
export interface ServiceSnapshot {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  ports: Array<{ name?: string; port: number }>;
}

export interface Snapshot {
  /** When it was taken: durations in findings ("starting for 6 min") count from here. */
  at: Date;
  plan: PlanContext;
  host?: HostReport;
  journal?: JournalDoc | null;
  cluster: { reachable: true } | { reachable: false; why: string };
  pods: PodSnapshot[];
  events: ClusterEvent[];
  /** Last lines per container: key `<namespace>/<pod>/<container>`, and `…#previous` for the run before a restart. */
  logs: Record<string, string[]>;
  nodes: NodeSnapshot[];
  /**
   * The HTTPRoutes in the stack's namespace; `crd: false` when the cluster has no HTTPRoute CRD at all.
   * Absent: not collected (no cluster, or the API refused the list — see gaps).
   */
  httpRoutes?: { crd: boolean; items: RouteSnapshot[] };
  /** The app's port-forwards; absent when the collector was not given the app's run dir. */
  forwards?: ForwardSnapshot[];
  /** The person's kubeconfig; absent when the collector was not given it. */
  kube?: KubeSnapshot;
  /** The podman machine; absent when the plan uses none (or it was not collected). */
  podman?: PodmanMachineSnapshot;
  /** The forwards' preferred local ports; absent when not collected. */
  localPorts?: LocalPortSnapshot[];
  /** The prerequisite tools as the prerequisites check found them (version against minimum); absent when not collected. */
  tools?: ToolStatus[];
  /**
   * The stack namespace's ServiceMonitors and PodMonitors with its Services (pods are in `pods`);
   * `crd: false` when the cluster has no Prometheus Operator CRDs. Absent: not collected.
   */
  monitors?: { crd: boolean; items: MonitorSnapshot[]; services: ServiceSnapshot[]; podPorts: Record<string, string[]> };
  /** The stack namespace's InferencePools (both API groups); absent when not collected. */
  inferencePools?: InferencePoolSnapshot[];
  /** The stack namespace's Deployments; absent when not collected. */
  deployments?: DeploymentSnapshot[];
  /** The Gateway API version of the cluster's CRDs (their bundle-version); absent when none or not collected. */
  gatewayApi?: string;
  /** The stack releases other than the plan's; absent when not collected. */
  releases?: ReleaseOption[];
  /** Why this is a rehearsal (the simulated cluster): the host's size does not limit it. */
  rehearsal?: string;
  /**
   * The host facts are recorded ones (LLMD_HOST_FACTS), not this machine's: in a rehearsal they are the
   * machine being rehearsed, so its fit still says something.
   */
  hostRecorded?: boolean;
  /** What could not be collected, in words (the report lists them). */
  gaps: string[];
}

export const logKey = (p: Pick<PodSnapshot, 'namespace' | 'name'>, container: string, previous = false): string =>
  `${p.namespace}/${p.name}/${container}${previous ? '#previous' : ''}`;
