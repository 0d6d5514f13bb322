// A decode pod OOMKilled: vLLM outgrew its memory limit or the node ran out. The guide's four answers
// (raise the limit, give the cluster more memory, lower the KV cache, run one replica) as fixes where the
// app's settings reach them: one replica, a smaller model, a bigger cluster (recreated).
import { MODELS, modelSpec } from '../../../../shared/api/settings.js';
import type { DoctorFix } from '../../../../shared/api/doctor.js';
import { isDecodePod, lastLines, needsCluster, podSource, type Rule } from './rule.js';

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
    const limit = hits[0]!.c.limits.memory ?? (model ? `${model.memoryLimitGi}Gi` : 'its');
    const fixes: DoctorFix[] = [];
    if (settings.replicas > 1) {
      fixes.push({ kind: 'settings', id: 'one-replica', label: 'Run 1 replica', does: `Sets replicas from ${settings.replicas} to 1 and runs the install again: the model servers are redeployed, nothing else changes.`, settings: { replicas: 1 } });
    }
    const smaller = MODELS.filter((m) => model && m.memoryLimitGi < model.memoryLimitGi).sort((a, b) => b.memoryLimitGi - a.memoryLimitGi)[0];
    if (smaller) {
      fixes.push({ kind: 'settings', id: 'smaller-model', label: `Use ${smaller.label}`, does: `Switches the model to ${smaller.label} (${smaller.memoryLimitGi}Gi per replica) and runs the install again.`, settings: { model: smaller.id } });
    }
    const more = settings.memoryMiB + 8192;
    fixes.push({
      kind: 'commands', id: 'more-cluster-memory', label: `Recreate the cluster with ${Math.round(more / 1024)} GiB`,
      commands: [['minikube', 'delete', '-p', settings.profile], ['minikube', 'start', '-p', settings.profile, `--memory=${more}`, `--cpus=${settings.cpus}`]],
    });
    // A pod that was OOMKilled and runs again keeps the kill in lastState: worth a warning, not an error.
    const down = hits.some(({ p, c }) => !c.ready || !p.podReady);
    return {
      severity: down ? 'error' : 'warning',
      summary: `${down ? '' : 'Earlier: '}${hits.length === 1 ? `Model server ${hits[0]!.p.name} was` : `${hits.length} model servers were`} OOMKilled: vLLM needed more than its ${limit} memory limit, or the node ran out (${settings.replicas} replica${settings.replicas === 1 ? '' : 's'} in ${settings.memoryMiB} MiB).`,
      evidence: hits.map(({ p, c }) => ({
        source: podSource(p),
        ...(c.lastTerminated?.finishedAt ? { at: c.lastTerminated.finishedAt } : {}),
        lines: [
          `container ${c.name}: OOMKilled (exit ${c.lastTerminated?.exitCode ?? 137}), ${c.restartCount} restart${c.restartCount === 1 ? '' : 's'}, memory limit ${c.limits.memory ?? 'none'}`,
          ...lastLines(s, p, c, 5, true),
        ],
      })),
      fixes,
    };
  },
};
