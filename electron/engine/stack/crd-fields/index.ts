// The fields, required keys, enums, patterns and bounds of the CRD versions the releases install, taken
// by hand from the real CRDs (not copies of them) so the rendered objects can be checked offline:
// - HTTPRoute gateway.networking.k8s.io/v1, Gateway API v1.4.0
//   (kubernetes-sigs/gateway-api v1.4.0 @ 5e5891a5, config/crd/standard/gateway.networking.k8s.io_httproutes.yaml)
// - InferencePool inference.networking.k8s.io/v1, GAIE v1.2.0
//   (kubernetes-sigs/gateway-api-inference-extension v1.2.0 @ 52ed3abf, config/crd/bases/inference.networking.k8s.io_inferencepools.yaml)
// A field that is not listed is an error: the API server prunes unknown fields, so a typo is silently lost.

export interface FieldRule {
  type: 'object' | 'array' | 'string' | 'integer' | 'map' | 'boolean';
  /** object: its known fields. */
  fields?: Record<string, FieldRule>;
  required?: string[];
  items?: FieldRule;
  maxItems?: number;
  enum?: string[];
  pattern?: RegExp;
  min?: number;
  max?: number;
}

const DURATION = /^([0-9]{1,5}(h|m|s|ms)){1,4}$/;
const GROUP = /^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const KIND = /^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$/;
const str: FieldRule = { type: 'string' };
const port: FieldRule = { type: 'integer', min: 1, max: 65535 };
const opaque: FieldRule = { type: 'array', items: { type: 'map' } };

export const HTTPROUTE_V1_SPEC_GATEWAY_API_V1_4_0: FieldRule = {
  type: 'object',
  fields: {
    hostnames: { type: 'array', items: str },
    parentRefs: { type: 'array', items: { type: 'object', required: ['name'], fields: {
      group: { type: 'string', pattern: GROUP }, kind: { type: 'string', pattern: KIND }, name: str, namespace: str, port, sectionName: str,
    } } },
    rules: { type: 'array', items: { type: 'object', fields: {
      name: str,
      filters: opaque,
      backendRefs: { type: 'array', items: { type: 'object', required: ['name'], fields: {
        group: { type: 'string', pattern: GROUP }, kind: { type: 'string', pattern: KIND }, name: str, namespace: str, port,
        weight: { type: 'integer', min: 0, max: 1000000 }, filters: opaque,
      } } },
      matches: { type: 'array', items: { type: 'object', fields: {
        path: { type: 'object', fields: { type: { type: 'string', enum: ['Exact', 'PathPrefix', 'RegularExpression'] }, value: str } },
        headers: opaque, queryParams: opaque, method: str,
      } } },
      timeouts: { type: 'object', fields: { request: { type: 'string', pattern: DURATION }, backendRequest: { type: 'string', pattern: DURATION } } },
    } } },
  },
};

export const INFERENCEPOOL_V1_SPEC_GAIE_V1_2_0: FieldRule = {
  type: 'object',
  required: ['endpointPickerRef', 'selector', 'targetPorts'],
  fields: {
    endpointPickerRef: { type: 'object', required: ['name'], fields: {
      failureMode: { type: 'string', enum: ['FailOpen', 'FailClose'] }, group: { type: 'string', pattern: GROUP }, kind: { type: 'string', pattern: KIND },
      name: str, port: { type: 'object', required: ['number'], fields: { number: port } },
    } },
    selector: { type: 'object', required: ['matchLabels'], fields: { matchLabels: { type: 'map' } } },
    targetPorts: { type: 'array', maxItems: 8, items: { type: 'object', required: ['number'], fields: { number: port } } },
  },
};

/** Every way `value` breaks `rule`, as "path: problem" lines (empty when it fits). */
export function checkFields(value: unknown, rule: FieldRule, at = 'spec'): string[] {
  const out: string[] = [];
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  switch (rule.type) {
    case 'map':
      if (!isObj(value)) out.push(`${at}: must be an object`);
      break;
    case 'object':
      if (!isObj(value)) { out.push(`${at}: must be an object`); break; }
      for (const r of rule.required ?? []) if (!(r in value)) out.push(`${at}.${r}: required`);
      for (const [k, v] of Object.entries(value)) {
        const f = rule.fields?.[k];
        if (!f) out.push(`${at}.${k}: not a field of this CRD version`);
        else out.push(...checkFields(v, f, `${at}.${k}`));
      }
      break;
    case 'array':
      if (!Array.isArray(value)) { out.push(`${at}: must be a list`); break; }
      if (rule.maxItems !== undefined && value.length > rule.maxItems) out.push(`${at}: at most ${rule.maxItems} items`);
      value.forEach((v, i) => { if (rule.items) out.push(...checkFields(v, rule.items, `${at}[${i}]`)); });
      break;
    case 'string':
      if (typeof value !== 'string') { out.push(`${at}: must be a string`); break; }
      if (rule.enum && !rule.enum.includes(value)) out.push(`${at}: "${value}" is not one of ${rule.enum.join(', ')}`);
      if (rule.pattern && !rule.pattern.test(value)) out.push(`${at}: "${value}" does not match ${String(rule.pattern)}`);
      break;
    case 'boolean':
      if (typeof value !== 'boolean') out.push(`${at}: must be true or false`);
      break;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) { out.push(`${at}: must be an integer`); break; }
      if (rule.min !== undefined && value < rule.min) out.push(`${at}: below ${rule.min}`);
      if (rule.max !== undefined && value > rule.max) out.push(`${at}: above ${rule.max}`);
      break;
  }
  return out;
}

/** CRD version checks by the manifest version a release installs (apiVersion/kind → manifest id → rule). */
export const CRD_FIELD_RULES: Record<string, Record<string, FieldRule>> = {
  'gateway.networking.k8s.io/v1 HTTPRoute': { 'v1.4.0': HTTPROUTE_V1_SPEC_GATEWAY_API_V1_4_0 },
  'inference.networking.k8s.io/v1 InferencePool': { 'v1.2.0': INFERENCEPOOL_V1_SPEC_GAIE_V1_2_0 },
};
