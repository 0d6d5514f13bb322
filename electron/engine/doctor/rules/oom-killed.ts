// A decode pod OOMKilled: vLLM outgrew its memory limit or the node ran out. The guide's four answers
// (reference: cpu-inference-scheduling-guide.md "OOMKilled Errors", solutions 1–4) as fixes: raise the
// container's memory limit (settings.memoryLimitGi), lower the KV cache (settings.kvCacheGiB), run one
// replica — each a settings change after which the install runs again and redeploys only the model
// servers —, a smaller model in the same memory, and a bigger cluster (minikube cannot resize one: the fix's
// install deletes it and creates it again at the new size, recreate-cluster.ts).
// Which of two causes it was decides which fixes help, and the pod cannot tell: a container over its own limit
// and a node that ran out (its kernel's OOM killer, with no eviction first on minikube) both end OOMKilled, exit
// 137 (shared/kube/node-memory.ts). The node's memory against the model servers' limits together can: when the
// limits fit in the node, each container is bounded by its own limit and the node cannot run out on their
// account — the limit was hit (raise it, a smaller KV cache or model help); when they do not, the node can run
// out first (a bigger cluster or fewer replicas help). The helpful fixes come first; the others stay, later.
import { MODELS, modelSpec, replicaResources } from '../../../../shared/api/settings.js';
import type { DoctorFix } from '../../../../shared/api/doctor.js';
import { kvCacheGiB } from '../../../../shared/release.js';
import { limitsOvercommitNode } from '../../../../shared/kube/node-memory.js';
import { memoryBytes } from '../../../../shared/kube/quantity.js';
import { hostAllows, recreateFix } from './recreate-cluster.js';
import { isDecodePod, lastLines, needsCluster, podSource, type Rule } from './rule.js';
import type { Snapshot } from '../snapshot.js';

/** The guide's solution 1 raises the limit by 2 GiB (6Gi → 8Gi, "Increase from 6Gi if still seeing OOM"). */
export const LIMIT_STEP_GI = 2;

/** A model's weights-cache size (ModelSpec.size, "2Gi") in GiB. */
const gib = (size: string): number => Number(/^(\d+(?:\.\d+)?)Gi$/.exec(size)?.[1] ?? Number.NaN);

/** A byte count in GiB as a person reads it ("12", "10.5"). */
const inGiB = (bytes: number): string => String(Math.round((bytes / 2 ** 30) * 10) / 10);

/**
 * What the node's memory says of the kill: 'node' when the model servers' limits together (those of the decode
 * pods on it, at least the settings' replicas × the killed one's) exceed the node's allocatable memory, 'limit'
 * when they fit in it, undefined when the snapshot lacks the node's memory or the killed container's limit.
 */
function cause(s: Snapshot, limit: string | undefined, container: string): { kind: 'node' | 'limit'; line: string } | undefined {
  const node = s.nodes[0];
  if (!node?.allocatable.memory || !limit) return undefined;
  const limits = s.pods.filter((p) => isDecodePod(s, p) && p.phase !== 'Failed' && p.phase !== 'Succeeded')
    .map((p) => p.containers.find((c) => c.name === container)?.limits.memory ?? limit).map(memoryBytes);
  while (limits.length < s.plan.settings.replicas) limits.push(memoryBytes(limit));
  const nodeBytes = memoryBytes(node.allocatable.memory);
  const sum = limits.reduce((a, b) => a + b, 0);
  const kind = limitsOvercommitNode(limits, nodeBytes) ? 'node' : 'limit';
  return { kind, line: `node ${node.name}: ${inGiB(nodeBytes)} GiB allocatable memory; ${limits.length} model server${limits.length === 1 ? '' : 's'} with their memory limits may take ${inGiB(sum)} GiB together${kind === 'node' ? ' — more than the node has' : ''}` };
}

export const oomKilled: Rule = {
  id: 'oom-killed',
  title: 'Model servers have enough memory',
  applies: needsCluster,
  check(s) {
    const hits = s.pods.filter((p) => isDecodePod(s, p)).flatMap((p) => p.containers
      .filter((c) => c.lastTerminated?.reason === 'OOMKilled' || (c.state.kind === 'terminated' && c.state.reason === 'OOMKilled'))
      .map((c) => ({ p, c })));
    if (hits.length === 0) return undefined;
    const { settings } = s.plan;
    const model = modelSpec(settings.model);
    const limitQuantity = hits[0]!.c.limits.memory ?? (model ? `${model.memoryLimitGi}Gi` : undefined);
    const limit = limitQuantity ?? 'its';
    const why = cause(s, limitQuantity, hits[0]!.c.name);
    const fixes: DoctorFix[] = [];
    const redeploy = 'and runs the install again: the model servers are redeployed, nothing else changes.';
    const res = replicaResources(settings);
    if (res) {
      // Only a limit all replicas can have inside the cluster's memory: beyond it the node runs out instead.
      const raised = res.memoryLimitGi + LIMIT_STEP_GI;
      if (settings.replicas * raised * 1024 <= settings.memoryMiB) {
        fixes.push({ kind: 'settings', id: 'raise-limit', label: `Raise the memory limit to ${raised}Gi`, does: `Sets the model server's memory limit from ${res.memoryLimitGi}Gi to ${raised}Gi per replica (the request stays ${res.memoryRequestGi}Gi) ${redeploy}`, settings: { memoryLimitGi: raised } });
      }
    }
    // The CPU KV cache is allocated up front, whole GiB (VLLM_CPU_KVCACHE_SPACE): halve it while above 1 GiB.
    const kv = kvCacheGiB(s.plan.release, settings);
    if (s.plan.accelerator === 'cpu' && kv > 1) {
      const lower = Math.max(1, Math.floor(kv / 2));
      fixes.push({ kind: 'settings', id: 'lower-kv-cache', label: `Lower the KV cache to ${lower} GiB`, does: `Sets vLLM's KV cache from ${kv} GiB to ${lower} GiB (fewer requests fit at once) ${redeploy}`, settings: { kvCacheGiB: lower } });
    }
    if (settings.replicas > 1) {
      fixes.push({ kind: 'settings', id: 'one-replica', label: 'Run 1 replica', does: `Sets replicas from ${settings.replicas} to 1 ${redeploy}`, settings: { replicas: 1 } });
    }
    // A smaller model is one with smaller weights (its cache size), not a smaller default limit: TinyLlama
    // 1.1B has a lower default limit than Qwen2 0.5B but twice the weights. It keeps the memory limit the
    // killed one had, so the same memory holds less model (its own default limit may be lower).
    const smaller = model && res ? MODELS.filter((m) => gib(m.size) < gib(model.size)).sort((a, b) => gib(b.size) - gib(a.size))[0] : undefined;
    const limitGi = smaller && res ? Math.max(res.memoryLimitGi, smaller.memoryLimitGi) : 0;
    // Like raise-limit, only a limit all replicas can have inside the cluster's memory.
    if (smaller && res && settings.replicas * limitGi * 1024 <= settings.memoryMiB) {
      fixes.push({
        kind: 'settings', id: 'smaller-model', label: `Use ${smaller.label}`,
        does: `Switches the model from ${model!.label} to ${smaller.label} (smaller weights) with a ${limitGi}Gi memory limit per replica ${redeploy.replace('the model servers are redeployed', 'the model servers (and what names the model) are redeployed')}`,
        settings: { model: smaller.id, memoryLimitGi: limitGi },
      });
    }
    // The guide's solution 4, one click: 8 GiB more cluster memory, the cluster deleted and created again at that
    // size (minikube cannot resize one) — offered only when this machine can give it.
    const bigger = { cpus: settings.cpus, memoryMiB: settings.memoryMiB + 8192 };
    if (hostAllows(s, bigger)) fixes.push(recreateFix('more-cluster-memory', settings, bigger));
    // The fixes that help this cause first, in the order above; a bigger cluster before fewer replicas (it keeps them).
    const helps = why?.kind === 'node' ? ['more-cluster-memory', 'one-replica'] : ['raise-limit', 'lower-kv-cache', 'smaller-model'];
    const rank = (f: DoctorFix): number => { const i = helps.indexOf(f.id); return i < 0 ? helps.length : i; };
    fixes.sort((a, b) => rank(a) - rank(b));
    // A pod that was OOMKilled and runs again keeps the kill in lastState: worth a warning, not an error.
    const down = hits.some(({ p, c }) => !c.ready || !p.podReady);
    return {
      severity: down ? 'error' : 'warning',
      summary: `${down ? '' : 'Earlier: '}${hits.length === 1 ? `Model server ${hits[0]!.p.name} was` : `${hits.length} model servers were`} OOMKilled: ${
        why?.kind === 'node' ? `the node ran out of memory — ${settings.replicas} replica${settings.replicas === 1 ? '' : 's'} with a ${limit} limit each may take more than its ${settings.memoryMiB} MiB, and its kernel kills one though it is under its own limit.`
          : why?.kind === 'limit' ? `vLLM needed more than its ${limit} memory limit (${settings.replicas} replica${settings.replicas === 1 ? '' : 's'} in ${settings.memoryMiB} MiB: the node holds their limits).`
            : `vLLM needed more than its ${limit} memory limit, or the node ran out (${settings.replicas} replica${settings.replicas === 1 ? '' : 's'} in ${settings.memoryMiB} MiB).`}`,
      evidence: [...hits.map(({ p, c }) => ({
        source: podSource(p),
        ...(c.lastTerminated?.finishedAt ? { at: c.lastTerminated.finishedAt } : {}),
        lines: [
          `container ${c.name}: OOMKilled (exit ${c.lastTerminated?.exitCode ?? 137}), ${c.restartCount} restart${c.restartCount === 1 ? '' : 's'}, memory limit ${c.limits.memory ?? 'none'}`,
          ...lastLines(s, p, c, 5, true),
        ],
      })), ...(why ? [{ source: `node/${s.nodes[0]!.name}`, lines: [why.line] }] : [])],
      fixes,
    };
  },
};
