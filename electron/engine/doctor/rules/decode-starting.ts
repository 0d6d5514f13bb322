// Decode pods not Ready yet: vLLM still loading the model and compiling for the CPU (normal: say for how
// long, what is normal, and how much of the startup probe's budget is left), or about to be killed by its
// startup probe. When the install gave up waiting while the probe still gives vLLM time, "keep waiting"
// sets a longer wait (settings.decodeWaitMinutes) and runs the install again: every finished step is a
// quick check, so the run resumes at the wait. Once the probe has killed vLLM (the kubelet's Killing event
// "Container … failed startup probe, will be restarted"), waiting cannot help: every start is cut off at
// the same budget, so the finding says so and offers no "keep waiting".
import type { DoctorFix, Finding } from '../../../../shared/api/doctor.js';
import { modelSpec } from '../../../../shared/api/settings.js';
import { DECODE_WAIT_MARGIN_S } from '../../../../shared/release.js';
import type { ClusterEvent } from '../../../../shared/api/cluster.js';
import type { ContainerSnapshot, PodSnapshot, Snapshot } from '../snapshot.js';
import { isDecodePod, lastLines, minutes, needsCluster, podSource, secondsSince, type Rule } from './rule.js';

/**
 * What a CPU start normally takes. The guide (reference: cpu-inference-scheduling-guide.md) says "vLLM
 * compilation on CPU takes 3-5 minutes" ("Adequate Startup Probe Timeout") and, for pods stuck at 1/2,
 * "Wait up to 10 minutes - compilation can be slow on CPU" (Troubleshooting). Per model, the release's
 * startup probe (release.yaml `models.<id>.startupProbe`) is how long the kubelet lets it take.
 */
export const CPU_STARTUP_NORMAL = { typicalMin: 3, typicalMax: 5, upTo: 10 } as const;
/** The startup probe's whole budget in seconds: the delay, then failureThreshold periods. */
export const probeBudget = (c: ContainerSnapshot): number | undefined =>
  c.startupProbe ? c.startupProbe.initialDelaySeconds + c.startupProbe.periodSeconds * c.startupProbe.failureThreshold : undefined;

/**
 * The kubelet's latest kill of this container by its startup probe, with every kill counted; its Killing
 * event reads "Container <name> failed startup probe, will be restarted" (kubelet kuberuntime_manager.go).
 */
export function startupProbeKill(s: Snapshot, p: PodSnapshot, container: string): ClusterEvent | undefined {
  const wording = `Container ${container} failed startup probe, will be restarted`;
  const kills = s.events.filter((e) => e.namespace === p.namespace && e.object === `pod/${p.name}` && e.reason === 'Killing' && e.message === wording);
  const last = kills.at(-1);
  // One event per kill, or one counted (the event recorder aggregates repeats): the sum either way.
  return last && { ...last, count: kills.reduce((n, e) => n + Math.max(1, e.count), 0) };
}

const probeText = (c: ContainerSnapshot): string =>
  c.startupProbe ? ` (${c.startupProbe.initialDelaySeconds} s, then ${c.startupProbe.failureThreshold} × ${c.startupProbe.periodSeconds} s)` : '';

/** vLLM cut off by its startup probe: the same budget cuts every start off, so waiting longer cannot help. */
function killedFinding(s: Snapshot, killed: Array<{ p: PodSnapshot; c: ContainerSnapshot; kill: ClusterEvent }>, normal: string): Finding {
  const name = s.plan.release.containers.modelServer;
  const { p, c, kill } = killed[0]!;
  const budget = probeBudget(c);
  const unhealthy = (q: PodSnapshot) => s.events.filter((e) => e.namespace === q.namespace && e.object === `pod/${q.name}` && e.reason === 'Unhealthy' && e.message.startsWith('Startup probe failed:')).at(-1);
  return {
    severity: 'error',
    summary: `vLLM in ${p.name} was killed by its startup probe ${kill.count === 1 ? 'once' : `${kill.count} times`}: it takes longer to start than the probe's ${budget !== undefined ? minutes(budget) : 'budget'}${probeText(c)} allows, so every start is cut off the same way and waiting longer will not help.${normal}${killed.length > 1 ? ` (${killed.length - 1} more model server${killed.length > 2 ? 's' : ''} below.)` : ''}`,
    evidence: killed.map(({ p: q, c: k, kill: e }) => ({
      source: podSource(q),
      ...(e.lastSeen ? { at: e.lastSeen } : {}),
      lines: [
        `container ${k.name}: ${k.restartCount} restart${k.restartCount === 1 ? '' : 's'}, startup probe budget ${probeBudget(k) ?? '?'} s`,
        ...[unhealthy(q), e].flatMap((x) => (x ? [`${x.type} ${x.reason}: ${x.message}${x.count > 1 ? ` (×${x.count})` : ''}`] : [])),
        ...lastLines(s, q, k, 5, true),
      ],
    })),
    fixes: [{ kind: 'commands', id: 'describe-pod', label: 'Describe the pod (probe and events)', commands: [['kubectl', '--context', s.plan.settings.profile, 'describe', 'pod', '-n', p.namespace, p.name]] },
      { kind: 'commands', id: 'watch-logs', label: 'Follow vLLM’s log', commands: [['kubectl', '--context', s.plan.settings.profile, 'logs', '-n', p.namespace, p.name, '-c', name, '-f']] }],
  };
}

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
    const model = modelSpec(s.plan.settings.model)?.label ?? s.plan.settings.model;
    const normal = s.plan.accelerator === 'cpu'
      ? ` On CPU ${model} normally takes ${CPU_STARTUP_NORMAL.typicalMin}–${CPU_STARTUP_NORMAL.typicalMax} min (up to ${CPU_STARTUP_NORMAL.upTo} on a slow machine).`
      : '';
    const killed = s.pods.filter((p) => isDecodePod(s, p) && !p.podReady).flatMap((p) => {
      const c = p.containers.find((x) => x.name === name);
      const kill = c && !c.ready && c.restartCount > 0 && c.lastTerminated?.reason !== 'OOMKilled' ? startupProbeKill(s, p, name) : undefined;
      return c && kill ? [{ p, c, kill }] : [];
    });
    if (killed.length > 0) return killedFinding(s, killed, normal);
    if (starting.length === 0) return undefined;
    const worst = starting.reduce((a, b) => (b.budget !== undefined && a.budget !== undefined && b.elapsed / b.budget > a.elapsed / a.budget ? b : a));
    const left = worst.budget !== undefined ? worst.budget - worst.elapsed : undefined;
    const late = left !== undefined && worst.budget !== undefined && left < worst.budget * 0.2;
    // The install stopped waiting (its ready step failed) while vLLM is still within its probe's budget.
    const j = s.journal;
    const gaveUp = j?.kind === 'up' && j.status === 'failed' && j.steps.some((st) => st.id === 'ready' && st.state === 'failed');
    const fixes: DoctorFix[] = [];
    if (gaveUp && left !== undefined && left > 0) {
      // The same margin the install's own wait adds to the whole budget (shared/release.ts decodeWaitSeconds).
      const wait = Math.ceil((left + DECODE_WAIT_MARGIN_S) / 60);
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
