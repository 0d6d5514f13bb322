// The simulated kube-scheduler's resource fit (NodeResourcesFit): a pod is placed only when the sum of the
// requests of the pods already on the node, plus its own, stays within the node's allocatable — what a
// real minikube does, and why a stack that asks for more CPU than the profile has stays Pending with a
// FailedScheduling event instead of starting. Only requests count (limits do not schedule); a container
// that sets a limit but no request gets the limit as its request, as the API server defaults it.
import type { KubeObject } from '../apiserver/types.js';

export interface Resources {
  /** Millicores. */
  cpuMilli: number;
  /** Bytes. */
  memoryBytes: number;
}

/**
 * What the control plane already requests on a fresh minikube node, although the sim runs no kube-system
 * pods: kubeadm's static pods (kube-apiserver 250m, kube-controller-manager 200m, kube-scheduler 100m,
 * etcd 100m + 100Mi) and CoreDNS (100m + 70Mi) — `kubectl describe node` on a new minikube shows
 * "cpu 750m (…%)", "memory 170Mi (…%)" under Allocated resources.
 */
export const CONTROL_PLANE_REQUESTS: Resources = { cpuMilli: 750, memoryBytes: 170 * 1024 * 1024 };

type ResourceMap = Record<string, string | number> | undefined;
interface ContainerSpec { resources?: { requests?: ResourceMap; limits?: ResourceMap }; restartPolicy?: string }
interface PodSpec { containers?: ContainerSpec[]; initContainers?: ContainerSpec[]; nodeName?: string }

// Kubernetes' resource.Quantity suffixes (apimachinery pkg/api/resource): binary (Ki…Ei), decimal SI
// (n u m k M G T P E) and decimal exponents (1e3). client-node's own parser is not exported from its index
// and throws on a fraction with a suffix ("1.5Gi").
const SUFFIX: Record<string, number> = {
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
  n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
};
const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?$/;

/** A quantity as a plain number ("500m" → 0.5, "2Gi" → 2147483648); throws on what Kubernetes would refuse. */
export function quantity(q: string | number | undefined): number {
  if (q === undefined) return 0;
  if (typeof q === 'number') return q;
  const m = QUANTITY.exec(q.trim());
  if (!m) throw new Error(`quantities must match the regular expression of resource.Quantity: ${JSON.stringify(q)}`);
  return Number(m[1]) * SUFFIX[m[2] ?? '']!;
}

/** CPU in millicores ("500m" → 500, "2" → 2000, "0.5" → 500). */
export const cpuMilli = (q: string | number | undefined): number => Math.round(quantity(q) * 1000);
/** Memory in bytes ("2Gi", "1024Ki", "1G"). */
export const memoryBytes = (q: string | number | undefined): number => Math.round(quantity(q));

function containerRequests(c: ContainerSpec): Resources {
  const req = c.resources?.requests ?? {};
  const lim = c.resources?.limits ?? {};
  return { cpuMilli: cpuMilli(req.cpu ?? lim.cpu), memoryBytes: memoryBytes(req.memory ?? lim.memory) };
}

const add = (a: Resources, b: Resources): Resources => ({ cpuMilli: a.cpuMilli + b.cpuMilli, memoryBytes: a.memoryBytes + b.memoryBytes });
const ZERO: Resources = { cpuMilli: 0, memoryBytes: 0 };

/**
 * A pod's effective request, as the scheduler computes it: the app containers and native sidecars
 * (restartPolicy Always init containers) run together; an ordinary init container runs alone before them,
 * so it counts only when it asks for more than they do together.
 */
export function podRequests(pod: KubeObject): Resources {
  const spec = (pod.spec ?? {}) as PodSpec;
  const sidecars = (spec.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
  const running = [...(spec.containers ?? []), ...sidecars].map(containerRequests).reduce(add, ZERO);
  const inits = (spec.initContainers ?? []).filter((c) => c.restartPolicy !== 'Always').map(containerRequests);
  return inits.reduce((m, r) => ({ cpuMilli: Math.max(m.cpuMilli, r.cpuMilli), memoryBytes: Math.max(m.memoryBytes, r.memoryBytes) }), running);
}

const isTerminal = (p: KubeObject): boolean => {
  const phase = (p.status as { phase?: string } | undefined)?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
};

export type Fit = { fits: true } | { fits: false; insufficient: Array<'cpu' | 'memory'>; message: string };

/**
 * Whether `pod` fits on a node with `allocatable`, next to the non-terminal `pods` already bound to it.
 * The message is kube-scheduler's for a one-node cluster.
 */
export function fitOnNode(pod: KubeObject, pods: readonly KubeObject[], allocatable: Resources): Fit {
  const used = pods
    .filter((p) => p.metadata.uid !== pod.metadata.uid && (p.spec as PodSpec | undefined)?.nodeName && !isTerminal(p))
    .map(podRequests)
    .reduce(add, CONTROL_PLANE_REQUESTS);
  const want = podRequests(pod);
  const insufficient: Array<'cpu' | 'memory'> = [];
  if (used.cpuMilli + want.cpuMilli > allocatable.cpuMilli) insufficient.push('cpu');
  if (used.memoryBytes + want.memoryBytes > allocatable.memoryBytes) insufficient.push('memory');
  if (insufficient.length === 0) return { fits: true };
  return { fits: false, insufficient, message: unschedulableMessage(insufficient) };
}

/** "0/1 nodes are available: 1 Insufficient cpu. preemption: …" — the wording `kubectl describe pod` shows. */
export function unschedulableMessage(insufficient: ReadonlyArray<'cpu' | 'memory'>): string {
  return `0/1 nodes are available: ${insufficient.map((r) => `1 Insufficient ${r}`).join(', ')}. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.`;
}

/** The node's allocatable from its status (`cpu: "4"`, `memory: "16777216Ki"`). */
export function allocatableOf(node: KubeObject | undefined): Resources | undefined {
  const a = (node?.status as { allocatable?: Record<string, string> } | undefined)?.allocatable;
  if (!a?.cpu || !a.memory) return undefined;
  return { cpuMilli: cpuMilli(a.cpu), memoryBytes: memoryBytes(a.memory) };
}
