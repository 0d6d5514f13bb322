// The simulated kube-scheduler's resource fit (NodeResourcesFit): a pod is placed only when the sum of the
// requests of the pods already on the node, plus its own, stays within the node's allocatable — what a
// real minikube does, and why a stack that asks for more CPU than the profile has stays Pending with a
// FailedScheduling event instead of starting. Only requests count (limits do not schedule); a container
// that sets a limit but no request gets the limit as its request, as the API server defaults it.
import type { KubeObject } from '../apiserver/types.js';
import { cpuMilli, memoryBytes } from '../../shared/kube/quantity.js';
import { MINIKUBE_CONTROL_PLANE } from '../../shared/stack.js';

export interface Resources {
  /** Millicores. */
  cpuMilli: number;
  /** Bytes. */
  memoryBytes: number;
}

/** What the control plane already requests on a fresh minikube node (the fact's home: shared/stack.ts), although the sim runs no kube-system pods. */
export const CONTROL_PLANE_REQUESTS: Resources = { cpuMilli: MINIKUBE_CONTROL_PLANE.cpuMilli, memoryBytes: MINIKUBE_CONTROL_PLANE.memoryMiB * 2 ** 20 };

type ResourceMap = Record<string, string | number> | undefined;
interface ContainerSpec { resources?: { requests?: ResourceMap; limits?: ResourceMap }; restartPolicy?: string }
interface PodSpec { containers?: ContainerSpec[]; initContainers?: ContainerSpec[]; nodeName?: string }

// The quantity parser is the app's (shared/kube/quantity.ts): one reading of "500m" for the fit and the sim.
export { cpuMilli, memoryBytes, quantity } from '../../shared/kube/quantity.js';

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
