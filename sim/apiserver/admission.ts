// ValidatingAdmissionPolicy enforcement, as the API server's admission plugin does it (kubernetes
// staging/src/k8s.io/apiserver/pkg/admission/plugin/policy/validating: dispatcher/admission): a write
// (CREATE, UPDATE) that a policy matches, through a binding with the Deny action, is refused when one of
// the policy's validations evaluates to false.
//
// The sim has no CEL interpreter: it evaluates the validation expressions it knows (KNOWN_EXPRESSIONS,
// compared with all whitespace removed) and passes over any other — so only the policies it models are
// enforced (today: Gateway API v1.5's safe-upgrades, which llm-d v0.9 installs). Not modelled: paramKind/
// paramRef, matchConditions, variables, messageExpression, auditAnnotations, namespace/object selectors,
// excludeResourceRules, the Warn/Audit actions, and the delay before a new policy takes effect.
//
// The refusal (k8s.io/apiserver …/validating/dispatcher.go): message "ValidatingAdmissionPolicy '<policy>'
// with binding '<binding>' denied request: <validation message>" wrapped by admission.NewForbidden →
// apierrors.NewForbidden: `<resource>.<group> "<name>" is forbidden: <message>`, details {name, group,
// kind: <resource>}; then reason = the validation's `reason` (default Invalid), code reasonToCode(reason)
// (Invalid → 422, Forbidden → 403), and the message appended to details.causes.
import type { KubeObject } from './types.js';
import { StoreError } from './types.js';
import { qualifiedResource, type ResourceInfo } from './resources.js';

export type Operation = 'CREATE' | 'UPDATE';

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const strs = (v: unknown): string[] => list(v).filter((x): x is string => typeof x === 'string');

export const POLICY_TYPE = { group: 'admissionregistration.k8s.io', version: 'v1', resource: 'validatingadmissionpolicies' } as const;
export const BINDING_TYPE = { group: 'admissionregistration.k8s.io', version: 'v1', resource: 'validatingadmissionpolicybindings' } as const;

const GW = 'gateway.networking.k8s.io';
const annotation = (o: KubeObject | undefined, key: string): string | undefined => {
  const v = o?.metadata.annotations?.[key];
  return typeof v === 'string' ? v : undefined;
};
const group = (o: KubeObject): unknown => rec(o['spec'])['group'];

/**
 * CEL expressions the sim evaluates, keyed by the expression without whitespace. CEL `matches()` is an
 * unanchored RE2 search (cel-go's string Match calls Go's regexp.MatchString), like RegExp.test ⚠ (from
 * memory of cel-go, not re-read here).
 */
const KNOWN_EXPRESSIONS: Record<string, (object: KubeObject, oldObject: KubeObject | undefined) => boolean> = {
  // gateway-api v1.5.1 config/crd/standard/gateway.networking.k8s.io_vap_safeupgrades.yaml, validation 1.
  [strip("object.spec.group != 'gateway.networking.k8s.io' || oldObject == null || ( has(object.metadata.annotations) && object.metadata.annotations.exists(k, k == 'gateway.networking.k8s.io/channel') && object.metadata.annotations['gateway.networking.k8s.io/channel'] == 'standard' ) || ( oldObject != null && has(oldObject.metadata.annotations) && oldObject.metadata.annotations.exists(k, k == 'gateway.networking.k8s.io/channel') && oldObject.metadata.annotations['gateway.networking.k8s.io/channel'] == 'experimental' )")]:
    (o, old) => group(o) !== GW || old === undefined || annotation(o, `${GW}/channel`) === 'standard' || annotation(old, `${GW}/channel`) === 'experimental',
  // Validation 2: a bundle-version is required and must not be v1.0–v1.4 (or v0).
  [strip("object.spec.group != 'gateway.networking.k8s.io' || (has(object.metadata.annotations) && object.metadata.annotations.exists(k, k == 'gateway.networking.k8s.io/bundle-version') && !matches(object.metadata.annotations['gateway.networking.k8s.io/bundle-version'], 'v1.[0-4].\\\\d+') && !matches(object.metadata.annotations['gateway.networking.k8s.io/bundle-version'], 'v0'))")]:
    (o) => {
      if (group(o) !== GW) return true;
      const v = annotation(o, `${GW}/bundle-version`);
      return v !== undefined && !/v1.[0-4].\d+/.test(v) && !/v0/.test(v);
    },
};

function strip(expression: string): string {
  return expression.replace(/\s+/g, '');
}

/** A rule of matchConstraints/matchResources (NamedRuleWithOperations) against the request. */
function ruleMatches(rule: unknown, info: ResourceInfo, op: Operation): boolean {
  const r = rec(rule);
  const has = (key: string, value: string) => { const xs = strs(r[key]); return xs.includes('*') || xs.includes(value); };
  return has('apiGroups', info.group) && has('apiVersions', info.version) && has('resources', info.resource) && has('operations', op);
}

const matchesAny = (rules: unknown, info: ResourceInfo, op: Operation): boolean => list(rules).some((rule) => ruleMatches(rule, info, op));

/** Throws the API server's denial when an enforced policy refuses the write; `list` reads the store. */
export function admit(
  listObjects: (type: typeof POLICY_TYPE | typeof BINDING_TYPE) => KubeObject[],
  info: ResourceInfo, op: Operation, object: KubeObject, oldObject: KubeObject | undefined,
): void {
  // Writes to the policies themselves are admitted (a policy cannot lock itself out in the sim).
  if (info.group === POLICY_TYPE.group) return;
  const bindings = listObjects(BINDING_TYPE);
  if (bindings.length === 0) return;
  const policies = new Map(listObjects(POLICY_TYPE).map((p) => [p.metadata.name, p]));
  for (const binding of bindings) {
    const bspec = rec(binding['spec']);
    const policy = policies.get(String(bspec['policyName'] ?? ''));
    if (!policy || !strs(bspec['validationActions']).includes('Deny')) continue;
    const pspec = rec(policy['spec']);
    if (pspec['paramKind'] !== undefined || pspec['matchConditions'] !== undefined) continue;
    if (!matchesAny(rec(pspec['matchConstraints'])['resourceRules'], info, op)) continue;
    const mr = bspec['matchResources'];
    if (mr !== undefined && !matchesAny(rec(mr)['resourceRules'], info, op)) continue;
    for (const validation of list(pspec['validations']).map(rec)) {
      const expression = typeof validation['expression'] === 'string' ? validation['expression'] : '';
      const evaluate = KNOWN_EXPRESSIONS[strip(expression)];
      if (!evaluate || evaluate(object, oldObject)) continue;
      const message = typeof validation['message'] === 'string' && validation['message'] ? validation['message'] : `failed expression: ${expression}`;
      const reason = validation['reason'] === 'Forbidden' ? 'Forbidden' : 'Invalid';
      const denial = `ValidatingAdmissionPolicy '${policy.metadata.name}' with binding '${binding.metadata.name}' denied request: ${message}`;
      const err = new StoreError(reason === 'Forbidden' ? 403 : 422, reason, `${qualifiedResource(info)} "${object.metadata.name}" is forbidden: ${denial}`);
      err.details = { name: object.metadata.name, ...(info.group ? { group: info.group } : {}), kind: info.resource };
      err.causes = [{ message: denial }];
      throw err;
    }
  }
}
