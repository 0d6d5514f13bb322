// Decode pods not Ready yet: vLLM still loading the model and compiling for the CPU (normal: say for how
// long and how much of the startup probe's budget is left), or about to be killed by its startup probe.
import type { Finding } from '../../../../shared/api/doctor.js';
import type { ContainerSnapshot } from '../snapshot.js';
import { isDecodePod, lastLines, minutes, needsCluster, podSource, secondsSince, type Rule } from './rule.js';

/** The startup probe's whole budget in seconds: the delay, then failureThreshold periods. */
export const probeBudget = (c: ContainerSnapshot): number | undefined =>
  c.startupProbe ? c.startupProbe.initialDelaySeconds + c.startupProbe.periodSeconds * c.startupProbe.failureThreshold : undefined;

export const decodeStarting: Rule = {
  id: 'decode-starting',
  title: 'Model servers finish starting in time',
  applies(s) {
    const ok = needsCluster(s);
    if (ok !== true) return ok;
    return s.pods.some((p) => isDecodePod(s, p)) ? true : 'no model server pods yet';
  },
  check(s): Finding | undefined {
    const name = s.plan.release.containers.modelServer;
    const starting = s.pods.filter((p) => isDecodePod(s, p) && !p.podReady).flatMap((p) => {
      const c = p.containers.find((x) => x.name === name);
      // Starting again after an OOMKilled is the oom-killed rule's story, not "still loading".
      return c && c.state.kind === 'running' && !c.ready && c.lastTerminated?.reason !== 'OOMKilled' ? [{ p, c, elapsed: secondsSince(s, c.state.startedAt) ?? 0, budget: probeBudget(c) }] : [];
    });
    if (starting.length === 0) return undefined;
    const worst = starting.reduce((a, b) => (b.budget !== undefined && a.budget !== undefined && b.elapsed / b.budget > a.elapsed / a.budget ? b : a));
    const left = worst.budget !== undefined ? worst.budget - worst.elapsed : undefined;
    const late = left !== undefined && worst.budget !== undefined && left < worst.budget * 0.2;
    return {
      severity: late ? 'warning' : 'info',
      summary: late
        ? `vLLM in ${worst.p.name} has been starting for ${minutes(worst.elapsed)}; its startup probe gives up in ${minutes(Math.max(0, left!))} and the pod will be restarted.`
        : `${starting.length} model server${starting.length === 1 ? ' is' : 's are'} still starting (vLLM loads the model and compiles for the CPU): ${minutes(worst.elapsed)} so far${left !== undefined ? `, ${minutes(left)} left of the startup probe's ${minutes(worst.budget!)}` : ''}.`,
      evidence: starting.map(({ p, c, elapsed }) => ({
        source: podSource(p),
        ...(c.state.startedAt ? { at: c.state.startedAt } : {}),
        lines: [`${p.readyText} ready, container ${c.name} running for ${minutes(elapsed)}`, ...lastLines(s, p, c, 5)],
      })),
      fixes: late
        ? [{ kind: 'commands', id: 'watch-logs', label: 'Follow vLLM’s log', commands: [['kubectl', '--context', s.plan.settings.profile, 'logs', '-n', worst.p.namespace, worst.p.name, '-c', name, '-f']] }]
        : [],
    };
  },
};
