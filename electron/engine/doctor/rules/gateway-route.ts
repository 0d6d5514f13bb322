// The Istio gateway's HTTPRoute to the InferencePool (releases with an Istio gateway only): the guide's
// "No response from gateway" and "HTTPRoute Backend Not Resolved" — the route missing, Istio refusing it
// (Accepted / ResolvedRefs False, in Istio's own reason and message), or its backend in the legacy
// inference.networking.x-k8s.io group Istio 1.28 rejects (InvalidKind). The route step repairs the group and
// re-applies a missing route, so the fix is the install again.
import type { DoctorFix, Evidence, Finding } from '../../../../shared/api/doctor.js';
import { releaseNames } from '../../../../shared/release.js';
import { INFERENCE_POOL_GROUP, INFERENCE_POOL_GROUP_LEGACY } from '../../../../shared/stack.js';
import type { RouteCondition, RouteSnapshot, Snapshot } from '../snapshot.js';
import { cliCommand, stepFinished, type Rule } from './rule.js';

const routeName = (s: Snapshot): string | undefined => releaseNames(s.plan.release).httpRoute;

const findRoute = (s: Snapshot): RouteSnapshot | undefined =>
  s.httpRoutes?.items.find((r) => r.name === routeName(s) && r.namespace === s.plan.settings.namespace);

/** Conditions about the route's current spec: one reported for an older generation says nothing of this one. */
const current = (r: RouteSnapshot, c: RouteCondition): boolean =>
  r.generation === undefined || c.observedGeneration === undefined || c.observedGeneration >= r.generation;

const quote = (c: RouteCondition): string => `${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ''}${c.message ? `: ${c.message}` : ''}`;

export const gatewayRoute: Rule = {
  id: 'gateway-route',
  title: 'The gateway routes to the model servers',
  applies(s) {
    const { release } = s.plan;
    if (release.gateway.provider !== 'istio') return `${release.title} has no Istio gateway: its proxy is the EPP pod's own Service, with no HTTPRoute`;
    if (!s.cluster.reachable) return `no cluster to look at (${s.cluster.why})`;
    if (!s.httpRoutes) return 'the HTTPRoutes could not be listed';
    if (!findRoute(s) && !stepFinished(s, 'route')) return 'the install has not reached the step that creates the route yet';
    return true;
  },
  check(s): Finding | undefined {
    const name = routeName(s) ?? '?';
    const ns = s.plan.settings.namespace;
    const pool = releaseNames(s.plan.release).inferencePool;
    const source = `httproute/${ns}/${name}`;
    const reinstall = (label: string): DoctorFix => ({ kind: 'commands', id: 'install-again', label, commands: [cliCommand(s, 'up', '--yes')] });
    const describe = ['kubectl', '--context', s.plan.settings.profile, 'describe', 'httproute', name, '-n', ns];
    const r = findRoute(s);
    if (!r) {
      return {
        severity: 'error',
        summary: `HTTPRoute ${name} is missing from ${ns}${s.httpRoutes?.crd === false ? ' (the cluster has no HTTPRoute CRD at all)' : ''}: the Istio gateway has no route to InferencePool ${pool}, so requests to the gateway get no answer.`,
        evidence: [{ source, lines: [s.httpRoutes?.crd === false ? 'httproutes.gateway.networking.k8s.io: no such resource type in this cluster' : `no HTTPRoute named ${name} in namespace ${ns}`, 'the last install had created it (step route finished)'] }],
        fixes: [reinstall('Run the install again (its route step applies the route)')],
      };
    }
    const legacy = r.backendRefs.filter((b) => b.kind === 'InferencePool' && b.group === INFERENCE_POOL_GROUP_LEGACY);
    const refused = r.parents.flatMap((p) => p.conditions.filter((c) => current(r, c) && (c.type === 'Accepted' || c.type === 'ResolvedRefs') && c.status === 'False').map((c) => ({ p, c })));
    if (legacy.length === 0 && refused.length === 0) return undefined;
    const evidence: Evidence[] = [];
    if (legacy.length) evidence.push({ source, lines: legacy.map((b) => `backendRef ${b.kind}/${b.name ?? '?'} in group ${b.group} (Istio accepts only ${INFERENCE_POOL_GROUP})`) });
    for (const { p, c } of refused) evidence.push({ source: `${source} (parent ${p.parent})`, ...(c.lastTransitionTime ? { at: c.lastTransitionTime } : {}), lines: [quote(c)] });
    const first = refused[0]?.c;
    const verdict = first ? quote(first) : '';
    if (legacy.length) {
      return {
        severity: 'error',
        summary: `HTTPRoute ${name} sends requests to InferencePool ${legacy[0]!.name ?? pool} in the old ${INFERENCE_POOL_GROUP_LEGACY} group, which Istio rejects${verdict ? ` — Istio reports ${verdict}` : ''}: the gateway cannot reach the model servers.`,
        evidence,
        fixes: [reinstall(`Run the install again (its route step repairs the group to ${INFERENCE_POOL_GROUP})`)],
      };
    }
    return {
      severity: 'error',
      summary: `Istio refuses HTTPRoute ${name}: ${verdict}. The gateway cannot reach InferencePool ${pool}.`,
      evidence,
      fixes: [
        { kind: 'commands', id: 'describe-route', label: 'See what Istio says of the route', commands: [describe] },
        reinstall('Run the install again (its route step re-applies the route and waits until Istio accepts it)'),
      ],
    };
  },
};
