// The simulated node's memory: what its pods use together against what the node has (minikube's `--memory`, the
// node's capacity). The facts it models have their home in shared/kube/node-memory.ts: minikube's kubelet does
// not evict for memory, so a node that runs out meets the kernel's OOM killer, and the container it kills is
// reported OOMKilled, exit 137, even though it was under its own limit.
//
// The ledger counts each decode vLLM container from the moment it starts loading (it allocates its weights and
// KV cache up front, sim/cluster/memory.ts) until its run ends; every other container counts its memory request
// (the sim has no finer model of what a gateway or an EPP holds), and the control plane what it requests on a
// fresh node. A vLLM whose allocation does not fit next to them is the one killed ⚠: the kernel kills the
// process with the highest oom_score, which for replicas of equal requests (the same oom_score_adj, 1000 − 1000 × request / node memory for
// a Burstable container: kubernetes pkg/kubelet/qos/policy.go GetContainerOOMScoreAdjust) is the one
// holding the most — a replica that already serves, or the one loading, depending on the moment. The sim
// picks the one loading, so the outcome is deterministic and a fix is judged by whether the node holds them all.
import type { KubeObject } from '../apiserver/types.js';
import { CONTROL_PLANE_REQUESTS, memoryBytes, podRequests } from './scheduler.js';

const MiB = 2 ** 20;

interface ContainerSpec { name: string; resources?: { requests?: Record<string, string | number>; limits?: Record<string, string | number> } }

/** The memory a container asks the scheduler for (its request, else its limit, as the API server defaults it), MiB. */
const requestMiB = (c: ContainerSpec): number => memoryBytes(c.resources?.requests?.memory ?? c.resources?.limits?.memory) / MiB;

const isTerminal = (p: KubeObject): boolean => ['Succeeded', 'Failed'].includes(String((p.status as { phase?: string } | undefined)?.phase));

export type Admit = { ok: true } | { ok: false; inUseMiB: number; nodeMiB: number };

export class NodeMemory {
  /** `<pod uid>/<container>` → MiB held by a vLLM that is loading or serving. */
  private readonly held = new Map<string, number>();

  /**
   * `nodeMiB`: the node's memory now (undefined: unknown, nothing is accounted); `pods`: the pods bound to it.
   */
  constructor(private readonly nodeMiB: () => number | undefined, private readonly pods: () => readonly KubeObject[]) {}

  /** What the node's processes hold now, MiB: the control plane, every other container's request and the vLLMs' allocations. */
  inUseMiB(): number {
    let sum = CONTROL_PLANE_REQUESTS.memoryBytes / MiB;
    for (const p of this.pods()) {
      if (!(p.spec as { nodeName?: string } | undefined)?.nodeName || isTerminal(p)) continue;
      const containers = (p.spec as { containers?: ContainerSpec[] }).containers ?? [];
      // The pod's scheduling request, less the containers the ledger counts by what they really hold.
      sum += podRequests(p).memoryBytes / MiB - containers.filter((c) => this.held.has(`${p.metadata.uid}/${c.name}`)).reduce((s, c) => s + requestMiB(c), 0);
    }
    for (const mib of this.held.values()) sum += mib;
    return sum;
  }

  /** A vLLM of `pod` starts allocating `needMiB`: it holds it, or — when the node would run out — the kernel kills it. */
  take(pod: KubeObject, container: string, needMiB: number): Admit {
    const key = `${pod.metadata.uid}/${container}`;
    this.held.delete(key);
    const node = this.nodeMiB();
    const inUse = this.inUseMiB();
    const spec = ((pod.spec as { containers?: ContainerSpec[] } | undefined)?.containers ?? []).find((c) => c.name === container);
    // Its request is already in inUse (the pod is bound); what it adds is what it holds beyond it.
    const adds = needMiB - (spec ? requestMiB(spec) : 0);
    if (node !== undefined && inUse + adds > node) return { ok: false, inUseMiB: inUse, nodeMiB: node };
    this.held.set(key, needMiB);
    return { ok: true };
  }

  /** The container's run ended (killed, crashed, its pod stopped): its memory is free again. */
  release(podUid: string | undefined, container?: string): void {
    if (container !== undefined) { this.held.delete(`${podUid}/${container}`); return; }
    for (const k of [...this.held.keys()]) if (k.startsWith(`${podUid}/`)) this.held.delete(k);
  }
}
