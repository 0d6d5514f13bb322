// Decode pods not Ready yet: vLLM still loading the model and compiling for the CPU (normal: say for how
// long, what is normal, and how much of the startup probe's budget is left), or about to be killed by its
// startup probe. When the install gave up waiting while the probe still gives vLLM time, "keep waiting"
// sets a longer wait (settings.decodeWaitMinutes) and runs the install again: every finished step is a
// quick check, so the run resumes at the wait.
import type { DoctorFix, Finding } from '../../../../shared/api/doctor.js';
import { modelSpec } from '../../../../shared/api/settings.js';
import type { ContainerSnapshot } from '../snapshot.js';
import { isDecodePod, lastLines, minutes, needsCluster, podSource, secondsSince, type Rule } from './rule.js';

/**
 * What a CPU start normally takes. The guide (reference: cpu-inference-scheduling-guide.md) says "vLLM
 * compilation on CPU takes 3-5 minutes" ("Adequate Startup Probe Timeout") and, for pods stuck at 1/2,
 * "Wait up to 10 minutes - compilation can be slow on CPU" (Troubleshooting). Per model, the release's
 * startup probe (release.yaml `models.<id>.startupProbe`) is how long the kubelet lets it take.
 */
export const CPU_STARTUP_NORMAL = { typicalMin: 3, typicalMax: 5, upTo: 10 } as const;
/** What "keep waiting" adds beyond the probe's remaining budget, as readyWaits adds to the whole budget. */
const WAIT_MARGIN_S = 300;

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
    const model = modelSpec(s.plan.settings.model)?.label ?? s.plan.settings.model;
    const normal = s.plan.accelerator === 'cpu'
      ? ` On CPU ${model} normally takes ${CPU_STARTUP_NORMAL.typicalMin}–${CPU_STARTUP_NORMAL.typicalMax} min (up to ${CPU_STARTUP_NORMAL.upTo} on a slow machine).`
      : '';
    // The install stopped waiting (its ready step failed) while vLLM is still within its probe's budget.
    const j = s.journal;
    const gaveUp = j?.kind === 'up' && j.status === 'failed' && j.steps.some((st) => st.id === 'ready' && st.state === 'failed');
    const fixes: DoctorFix[] = [];
    if (gaveUp && left !== undefined && left > 0) {
      const wait = Math.ceil((left + WAIT_MARGIN_S) / 60);
      fixes.push({
        kind: 'settings', id: 'keep-waiting', label: `Keep waiting (up to ${wait} min)`,
        does: `Sets the wait for the model servers to ${wait} min (what their startup probe still allows, plus 5 min) and runs the install again: the finished steps are only checked, so it resumes at "Wait for the model servers".`,
        settings: { decodeWaitMinutes: wait },
      });
    }
    if (late) fixes.push({ kind: 'commands', id: 'watch-logs', label: 'Follow vLLM’s log', commands: [['kubectl', '--context', s.plan.settings.profile, 'logs', '-n', worst.p.namespace, worst.p.name, '-c', name, '-f']] });
    return {
      severity: late || gaveUp ? 'warning' : 'info',
      summary: late
        ? `vLLM in ${worst.p.name} has been starting for ${minutes(worst.elapsed)}; its startup probe gives up in ${minutes(Math.max(0, left!))} and the pod will be restarted.${normal}`
        : `${starting.length} model server${starting.length === 1 ? ' is' : 's are'} still starting (vLLM loads the model and compiles for the CPU): ${minutes(worst.elapsed)} so far${left !== undefined ? `, ${minutes(left)} left of the startup probe's ${minutes(worst.budget!)}` : ''}.${normal}${gaveUp ? ' The install stopped waiting before it was done.' : ''}`,
      evidence: starting.map(({ p, c, elapsed }) => ({
        source: podSource(p),
        ...(c.state.startedAt ? { at: c.state.startedAt } : {}),
        lines: [`${p.readyText} ready, container ${c.name} running for ${minutes(elapsed)}`, ...lastLines(s, p, c, 5)],
      })),
      fixes,
    };
  },
};
