// Label and field selectors as the Kubernetes API server understands them (?labelSelector=, ?fieldSelector=).
import type { KubeObject } from './types.js';
import { StoreError } from './types.js';

type LabelRequirement =
  | { op: 'exists' | 'notexists'; key: string }
  | { op: 'eq' | 'neq'; key: string; value: string }
  | { op: 'in' | 'notin'; key: string; values: string[] };

/** Splits on commas that are not inside `in (...)` parentheses. */
function splitTopLevel(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

const badSelector = (selector: string, why: string): StoreError =>
  new StoreError(400, 'BadRequest', `unable to parse requirement: ${why} in selector "${selector}"`);

function parseLabelRequirement(part: string, whole: string): LabelRequirement {
  const setMatch = /^([^\s!=()]+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(part);
  if (setMatch) {
    const values = (setMatch[3] ?? '').split(',').map((v) => v.trim()).filter((v) => v.length > 0);
    return { op: setMatch[2] === 'in' ? 'in' : 'notin', key: setMatch[1] ?? '', values };
  }
  const neq = /^([^\s!=()]+)\s*!=\s*([^\s=!()]*)$/.exec(part);
  if (neq) return { op: 'neq', key: neq[1] ?? '', value: neq[2] ?? '' };
  const eq = /^([^\s!=()]+)\s*==?\s*([^\s=!()]*)$/.exec(part);
  if (eq) return { op: 'eq', key: eq[1] ?? '', value: eq[2] ?? '' };
  const not = /^!\s*([^\s!=()]+)$/.exec(part);
  if (not) return { op: 'notexists', key: not[1] ?? '' };
  if (/^[^\s!=()]+$/.test(part)) return { op: 'exists', key: part };
  throw badSelector(whole, `invalid requirement "${part}"`);
}

export type Matcher = (obj: KubeObject) => boolean;

export function parseLabelSelector(selector: string | undefined): Matcher {
  if (!selector || selector.trim() === '') return () => true;
  const reqs = splitTopLevel(selector).map((p) => parseLabelRequirement(p, selector));
  return (obj) => {
    const labels = obj.metadata.labels ?? {};
    return reqs.every((r) => {
      const has = Object.prototype.hasOwnProperty.call(labels, r.key);
      const value = labels[r.key];
      switch (r.op) {
        case 'exists': return has;
        case 'notexists': return !has;
        case 'eq': return has && value === r.value;
        case 'neq': return !has || value !== r.value;
        case 'in': return has && r.values.includes(value ?? '');
        case 'notin': return !has || !r.values.includes(value ?? '');
      }
    });
  };
}

/** Reads a dotted path ("involvedObject.name", "status.phase") from an object; missing → ''. */
export function fieldValue(obj: unknown, path: string): string {
  let cur: unknown = obj;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return '';
    cur = (cur as Record<string, unknown>)[key];
  }
  if (cur === undefined || cur === null) return '';
  return typeof cur === 'object' ? JSON.stringify(cur) : String(cur);
}

export function parseFieldSelector(selector: string | undefined): Matcher {
  if (!selector || selector.trim() === '') return () => true;
  const reqs = splitTopLevel(selector).map((part) => {
    const m = /^([^!=\s]+)\s*(==|=|!=)\s*(.*)$/.exec(part);
    if (!m) throw new StoreError(400, 'BadRequest', `invalid field selector: "${selector}"`);
    return { path: m[1] ?? '', negate: m[2] === '!=', value: (m[3] ?? '').trim() };
  });
  return (obj) => reqs.every((r) => (fieldValue(obj, r.path) === r.value) !== r.negate);
}

/** Combines namespace, label and field selection into one predicate. */
export function makeMatcher(opts: { namespace?: string; labelSelector?: string; fieldSelector?: string }): Matcher {
  const labels = parseLabelSelector(opts.labelSelector);
  const fields = parseFieldSelector(opts.fieldSelector);
  const ns = opts.namespace;
  return (obj) => (ns === undefined || ns === '' || obj.metadata.namespace === ns) && labels(obj) && fields(obj);
}
