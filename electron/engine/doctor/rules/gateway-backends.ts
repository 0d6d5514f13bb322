// The gateway has nowhere to send a request: the InferencePool's selector matches no Ready model server
// (the Deployment scaled to 0, its pods deleted, evicted, Pending, crashing or still starting), or the pod
// that is the gateway itself — the EPP, and the Istio gateway's Envoy where there is one — is not Ready. The
// guide's Troubleshooting "No Response from Gateway → Pods not ready". The EPP routes only to Ready pods
// its pool selects and otherwise answers with an error of its own (shared/epp-answers.ts); the finding
// quotes what the gateway answered through the app's forward. When another rule already explains why the
// pods are not Ready (OOMKilled, an image pull, a crash, scheduling, a slow start), the summary points at
// it instead of repeating its fixes.
import type { DoctorFix, Evidence, Finding } from '../../../../shared/api/doctor.js';
import { fillNames, releaseNames } from '../../../../shared/release.js';
import { INFERENCE_POOL_GROUP } from '../../../../shared/stack.js';
import { isNoEndpointAnswer } from '../../../../shared/epp-answers.js';
import { labelMatcher } from '../../kube/pod-summary.js';
import type { ForwardSnapshot, InferencePoolSnapshot, PodSnapshot, Snapshot } from '../snapshot.js';
import { crashLoop } from './crash-loop.js';
import { decodeStarting } from './decode-starting.js';
import { failedScheduling } from './failed-scheduling.js';
import { imagePull } from './image-pull.js';
import { oomKilled } from './oom-killed.js';
import { needsCluster, podSource, stepFinished, type Rule } from './rule.js';

/** The rules that say why a pod is not Ready, in the order the report lists them. */
const EXPLAINERS: readonly Rule[] = [oomKilled, imagePull, crashLoop, failedScheduling, decodeStarting];

/** The release's InferencePool in the stack's namespace (the current group first). */
const poolOf = (s: Snapshot): InferencePoolSnapshot | undefined => {
  const name = releaseNames(s.plan.release).inferencePool;
  const mine = (s.inferencePools ?? []).filter((p) => p.name === name && p.namespace === s.plan.settings.namespace);
  return mine.find((p) => p.group === INFERENCE_POOL_GROUP) ?? mine[0];
};

const replicasText = (n: number): string => `${n} replica${n === 1 ? '' : 's'}`;

const selectorText = (sel: Record<string, string>): string => Object.entries(sel).map(([k, v]) => `${k}=${v}`).join(',');

/** The pods the gateway is made of, as the release's ready step names them (everything it waits for once). */
const gatewayParts = (s: Snapshot): Array<{ what: string; selector: string; pods: PodSnapshot[] }> =>
  s.plan.release.readiness.filter((r) => r.count === 'one').map((r) => {
    const selector = fillNames(s.plan.release, r.selector);
    const match = labelMatcher(selector);
    return { what: r.what, selector, pods: s.pods.filter((p) => match(p.labels)) };
  });

/** What kubectl would show of a pod that is not Ready: READY, the phase, and the reason a container or the scheduler gives. */
function podLine(p: PodSnapshot): string {
  const waiting = p.containers.find((c) => !c.ready && c.state.reason);
  const starting = waiting ? undefined : p.containers.find((c) => !c.ready && c.state.kind === 'running');
  const unscheduled = p.conditions.find((c) => c.type === 'PodScheduled' && c.status === 'False');
  const restarts = p.containers.reduce((n, c) => n + c.restartCount, 0);
  return [`${p.readyText} ready`, `phase ${p.phase}`,
    ...(waiting ? [`container ${waiting.name} ${waiting.state.kind} (${waiting.state.reason})`] : []),
    ...(starting ? [`container ${starting.name} running, not Ready`] : []),
    ...(unscheduled ? [`not scheduled (${unscheduled.reason ?? 'Unschedulable'})`] : []),
    ...(restarts ? [`${restarts} restart${restarts === 1 ? '' : 's'}`] : [])].join(', ');
}

/** The rule whose own finding names one of these pods: it says why they are not Ready. */
function explainedBy(s: Snapshot, pods: PodSnapshot[]): Rule | undefined {
  const sources = new Set(pods.map(podSource));
  return EXPLAINERS.find((r) => r.applies(s) === true && (r.check(s)?.evidence ?? []).some((e) => sources.has(e.source)));
}

const probeOf = (s: Snapshot): ForwardSnapshot | undefined => s.forwards?.find((f) => f.name === 'gateway' && f.probe !== undefined);

function probeEvidence(s: Snapshot): Evidence[] {
  const f = probeOf(s);
  const p = f?.probe;
  if (!f || !p) return [];
  return [{ source: 'forward/gateway', lines: [p.status !== undefined ? `${p.request} → ${p.status}${p.body ? `: ${p.body}` : ''}` : `${p.request} → no answer (${p.error ?? 'unknown'})`] }];
}

/** " The gateway answers …" when the probe got the EPP's own no-endpoint answer (or any error status). */
function probeSentence(s: Snapshot): string {
  const p = probeOf(s)?.probe;
  if (p?.status === undefined || p.status < 400) return '';
  const words = p.body && isNoEndpointAnswer({ status: p.status, body: p.body }) ? ` (the EPP’s own answer: ${p.body})` : p.body ? `: ${p.body}` : '';
  return ` Through the port-forward the gateway answers ${p.status}${words}.`;
}

export const gatewayBackends: Rule = {
  id: 'gateway-backends',
  title: 'The gateway has a Ready model server to send requests to',
  applies(s) {
    const ok = needsCluster(s);
    if (ok !== true) return ok;
    const j = s.journal;
    // Model servers take minutes to become Ready: while the install is still waiting for them that is its story.
    if (j?.kind === 'up' && j.status === 'running' && !stepFinished(s, 'ready')) return 'an install is running and has not finished waiting for the model servers';
    if (!stepFinished(s, 'stack')) return 'the stack is not installed yet (the last install did not deploy it)';
    if (!s.inferencePools) return 'the InferencePools could not be listed';
    if (!poolOf(s)) return `there is no InferencePool ${releaseNames(s.plan.release).inferencePool} in ${s.plan.settings.namespace}`;
    return true;
  },
  check(s): Finding | undefined {
    const pool = poolOf(s)!;
    const { profile, namespace: ns } = s.plan.settings;
    const sel = selectorText(pool.selector);
    const match = labelMatcher(sel);
    // An empty selector would match every pod; the EPP's PoolLabelsMatch matches none then, and so do we.
    const matched = sel ? s.pods.filter((p) => p.namespace === pool.namespace && match(p.labels)) : [];
    const ready = matched.filter((p) => p.podReady);
    const down = gatewayParts(s).filter((g) => g.pods.length === 0 || !g.pods.some((p) => p.podReady));
    if (ready.length > 0 && down.length === 0) return undefined;

    const poolEvidence: Evidence = { source: `inferencepool/${pool.namespace}/${pool.name}`, lines: [`group ${pool.group}, selector ${sel || '(empty)'}${pool.targetPort ? `, target port ${pool.targetPort}` : ''}`, `${matched.length} pod${matched.length === 1 ? '' : 's'} match, ${ready.length} Ready`] };
    const watch: DoctorFix = { kind: 'commands', id: 'watch-pods', label: 'Watch the pods until they are Ready', commands: [['kubectl', '--context', profile, 'get', 'pods', '-n', pool.namespace, '-l', sel, '-w']] };
    const probe = probeSentence(s);

    if (ready.length === 0) {
      const dep = s.deployments?.find((d) => d.name === releaseNames(s.plan.release).decodeDeployment && d.namespace === ns);
      const evidence: Evidence[] = [poolEvidence, ...matched.map((p) => ({ source: podSource(p), ...(p.createdAt ? { at: p.createdAt } : {}), lines: [podLine(p)] })),
        ...(dep ? [{ source: `deployment/${dep.namespace}/${dep.name}`, lines: [`replicas ${dep.replicas}, ${dep.readyReplicas} Ready`] }] : []), ...probeEvidence(s)];
      const want = s.plan.settings.replicas;
      if (dep && dep.replicas === 0) {
        return {
          severity: 'error',
          summary: `The gateway has no model server to send requests to: Deployment ${dep.name} is scaled to 0 (your settings ask for ${want}), so InferencePool ${pool.name} selects no pod.${probe}`,
          evidence,
          fixes: [{
            // The install again does it: its stack step compares the Deployment with the settings (steps/stack-drift.ts)
            // and deploys the stack again. The settings are restated, not changed (the idiom of a plain re-run).
            kind: 'settings', id: 'install-again', label: `Run the install again (it scales ${dep.name} back to ${replicasText(want)})`,
            does: `Runs the install again with your settings: its stack step finds ${dep.name} at 0 replicas where the settings want ${want} and deploys the stack again, which scales it back; the steps already done are quick checks.`,
            settings: { replicas: want },
          }, {
            kind: 'commands', id: 'scale-back', label: `Scale ${dep.name} back to ${replicasText(want)} (what your settings ask for)`,
            commands: [['kubectl', '--context', profile, 'scale', `deployment/${dep.name}`, '-n', dep.namespace, `--replicas=${want}`]],
          }, watch],
        };
      }
      const decodeName = releaseNames(s.plan.release).decodeDeployment;
      if (!dep && s.deployments && matched.length === 0) {
        // Collected, and not there: deleted by hand (the install made it). The stack step notices a missing
        // Deployment too (steps/stack-drift.ts), so the install again puts it back.
        return {
          severity: 'error',
          summary: `The gateway has no model server to send requests to: Deployment ${decodeName} is missing from ${ns} (deleted outside the app), so InferencePool ${pool.name} selects no pod.${probe}`,
          evidence: [...evidence, { source: `deployment/${ns}/${decodeName}`, lines: [`no Deployment named ${decodeName} in namespace ${ns}`] }],
          fixes: [{
            kind: 'settings', id: 'install-again', label: `Run the install again (it creates ${decodeName} again with ${replicasText(want)})`,
            does: `Runs the install again with your settings: its stack step finds ${decodeName} missing and deploys the stack again, which creates it; the steps already done are quick checks.`,
            settings: { replicas: want },
          }, watch],
        };
      }
      const why = matched.length > 0 ? explainedBy(s, matched) : undefined;
      const none = matched.length === 0
        ? `InferencePool ${pool.name} (selector ${sel || 'empty'}) matches no pod in ${pool.namespace}`
        : matched.length === 1 ? `the one model server InferencePool ${pool.name} selects is not Ready` : `none of the ${matched.length} model servers InferencePool ${pool.name} selects is Ready`;
      return {
        severity: why === decodeStarting ? 'warning' : 'error',
        summary: `The gateway has no model server to send requests to: ${none}${why ? ` — see “${why.title}”` : ''}.${probe}`,
        evidence,
        fixes: why ? [watch] : [watch, ...(matched.length ? [{ kind: 'commands' as const, id: 'describe-pods', label: 'Describe them (conditions and events)', commands: [['kubectl', '--context', profile, 'describe', 'pods', '-n', pool.namespace, '-l', sel]] }] : [])],
      };
    }

    // The model servers are Ready, but the gateway's own pod is not: nothing takes the request to them.
    const first = down[0]!;
    const why = explainedBy(s, down.flatMap((g) => g.pods));
    const parts = down.map((g) => (g.pods.length
      ? `the ${g.what} pod${g.pods.length === 1 ? '' : 's'} ${g.pods.map((p) => `${p.name} (${p.readyText})`).join(', ')} ${g.pods.length === 1 ? 'is' : 'are'} not Ready`
      : `there is no ${g.what} pod (${g.selector})`));
    return {
      severity: 'error',
      summary: `The gateway cannot pass requests to the ${ready.length} Ready model server${ready.length === 1 ? '' : 's'}: ${parts.join('; ')}${why ? ` — see “${why.title}”` : ''}.${probe}`,
      evidence: [...down.map((g) => (g.pods.length
        ? g.pods.map((p) => ({ source: podSource(p), lines: [`${g.what}: ${podLine(p)}`] }))
        : [{ source: `pods/${ns}`, lines: [`no pod matches ${g.selector} (${g.what})`] }])).flat(), poolEvidence, ...probeEvidence(s)],
      fixes: [{ kind: 'commands', id: 'watch-gateway', label: `Watch the ${first.what} pod until it is Ready`, commands: [['kubectl', '--context', profile, 'get', 'pods', '-A', '-l', first.selector, '-w']] },
        ...(why ? [] : first.pods.map((p): DoctorFix => ({ kind: 'commands', id: 'describe-gateway', label: `Describe ${p.name}`, commands: [['kubectl', '--context', profile, 'describe', 'pod', '-n', p.namespace, p.name]] })).slice(0, 1))],
    };
  },
};
