// The PATCH flavours the API server accepts: JSON merge patch (RFC 7386), strategic merge patch (what
// kubectl client-side apply and client-node send by default) and JSON patch (RFC 6902).
import { StoreError } from './types.js';
import { clone, deepEqual, isMap, listKeyFor, listMapKey, type Json, type JsonMap } from './objects.js';

export function applyMergePatch(target: Json, patch: Json): Json {
  if (!isMap(patch)) return clone(patch);
  const out: JsonMap = isMap(target) ? clone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = applyMergePatch(out[k] ?? null, v);
  }
  return out;
}

const ORDER_PREFIX = '$setElementOrder/';
const DELETE_PRIMITIVE_PREFIX = '$deleteFromPrimitiveList/';

function reorder(list: Json[], order: Json[], key: string | undefined): Json[] {
  const ident = (x: Json): Json => (key && isMap(x) ? (x[key] ?? null) : x);
  const rank = (x: Json): number => {
    const i = order.findIndex((o) => deepEqual(ident(o), ident(x)));
    return i < 0 ? order.length : i;
  };
  return [...list].sort((a, b) => rank(a) - rank(b));
}

function mergeList(field: string, orig: Json[], patch: Json[]): Json[] {
  const key = listKeyFor(field, patch.filter((p) => !(isMap(p) && p['$patch'] !== undefined && Object.keys(p).length === 1)))
    ?? listMapKey(field, orig[0]);
  if (!key || !orig.every((o) => isMap(o))) return patch.filter((p) => !(isMap(p) && '$patch' in p)).map((p) => clone(p));
  const out: Json[] = orig.map((o) => clone(o));
  for (const item of patch) {
    if (!isMap(item)) continue;
    const idx = out.findIndex((o) => isMap(o) && deepEqual(o[key], item[key]));
    if (item['$patch'] === 'delete') {
      if (idx >= 0) out.splice(idx, 1);
    } else if (idx >= 0) {
      out[idx] = strategicMerge(out[idx] ?? null, item);
    } else {
      out.push(strategicMerge(null, item));
    }
  }
  return out;
}

/** Strategic merge patch: like a merge patch, but keyed lists merge item by item and `$` directives apply. */
export function strategicMerge(target: Json, patch: Json): Json {
  if (!isMap(patch)) return clone(patch);
  if (patch['$patch'] === 'replace') {
    const { $patch: _ignored, ...rest } = patch;
    return clone(rest);
  }
  const out: JsonMap = isMap(target) ? clone(target) : {};
  const orders = new Map<string, Json[]>();
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch' || k === '$retainKeys') continue;
    if (k.startsWith(ORDER_PREFIX)) {
      if (Array.isArray(v)) orders.set(k.slice(ORDER_PREFIX.length), v);
      continue;
    }
    if (k.startsWith(DELETE_PRIMITIVE_PREFIX)) {
      const field = k.slice(DELETE_PRIMITIVE_PREFIX.length);
      const cur = out[field];
      if (Array.isArray(cur) && Array.isArray(v)) out[field] = cur.filter((x) => !v.some((d) => deepEqual(d, x)));
      continue;
    }
    const cur = out[k];
    if (v === null) delete out[k];
    else if (isMap(v) && v['$patch'] === 'delete') delete out[k];
    else if (Array.isArray(v) && Array.isArray(cur)) out[k] = mergeList(k, cur, v);
    else if (Array.isArray(v)) out[k] = v.filter((p) => !(isMap(p) && p['$patch'] === 'delete')).map((p) => strategicMerge(null, p));
    else if (isMap(v)) out[k] = strategicMerge(cur ?? null, v);
    else out[k] = v;
  }
  for (const [field, order] of orders) {
    const cur = out[field];
    if (Array.isArray(cur)) out[field] = reorder(cur, order, listMapKey(field, order[0]));
  }
  const retain = patch['$retainKeys'];
  if (Array.isArray(retain)) {
    for (const k of Object.keys(out)) if (!retain.includes(k)) delete out[k];
  }
  return out;
}

// ---- RFC 6902 JSON patch ----

interface JsonPatchOp { op: string; path: string; value?: Json; from?: string }

const invalid = (msg: string): StoreError => new StoreError(422, 'Invalid', msg);

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw invalid(`invalid JSON pointer "${pointer}"`);
  return pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(doc: Json, tokens: string[]): { parent: Json; last: string } {
  let cur: Json = doc;
  for (const t of tokens.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[Number(t)] ?? null;
    else if (isMap(cur) && t in cur) cur = cur[t] ?? null;
    else throw invalid(`path not found: /${tokens.join('/')}`);
  }
  return { parent: cur, last: tokens[tokens.length - 1] ?? '' };
}

function getPointer(doc: Json, pointer: string): Json {
  let cur: Json = doc;
  for (const t of parsePointer(pointer)) {
    if (Array.isArray(cur) && /^\d+$/.test(t) && Number(t) < cur.length) cur = cur[Number(t)] ?? null;
    else if (isMap(cur) && t in cur) cur = cur[t] ?? null;
    else throw invalid(`path not found: ${pointer}`);
  }
  return cur;
}

function addAt(doc: Json, pointer: string, value: Json, replace: boolean): Json {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return clone(value);
  const { parent, last } = parentOf(doc, tokens);
  if (Array.isArray(parent)) {
    const idx = last === '-' ? parent.length : Number(last);
    if (!Number.isInteger(idx) || idx < 0 || idx > parent.length || (replace && idx >= parent.length)) {
      throw invalid(`array index out of range: ${pointer}`);
    }
    if (replace) parent[idx] = clone(value);
    else parent.splice(idx, 0, clone(value));
  } else if (isMap(parent)) {
    if (replace && !(last in parent)) throw invalid(`path not found: ${pointer}`);
    parent[last] = clone(value);
  } else {
    throw invalid(`path not found: ${pointer}`);
  }
  return doc;
}

function removeAt(doc: Json, pointer: string): Json {
  const tokens = parsePointer(pointer);
  const { parent, last } = parentOf(doc, tokens);
  if (Array.isArray(parent) && Number(last) < parent.length) parent.splice(Number(last), 1);
  else if (isMap(parent) && last in parent) delete parent[last];
  else throw invalid(`path not found: ${pointer}`);
  return doc;
}

export function applyJsonPatch(target: Json, ops: unknown): Json {
  if (!Array.isArray(ops)) throw new StoreError(400, 'BadRequest', 'json patch must be an array of operations');
  let doc = clone(target);
  for (const raw of ops as JsonPatchOp[]) {
    if (!isMap(raw as unknown) || typeof raw.op !== 'string' || typeof raw.path !== 'string') {
      throw new StoreError(400, 'BadRequest', 'invalid json patch operation');
    }
    switch (raw.op) {
      case 'add': doc = addAt(doc, raw.path, raw.value ?? null, false); break;
      case 'replace': doc = addAt(doc, raw.path, raw.value ?? null, true); break;
      case 'remove': doc = removeAt(doc, raw.path); break;
      case 'copy': doc = addAt(doc, raw.path, getPointer(doc, raw.from ?? ''), false); break;
      case 'move': {
        const value = getPointer(doc, raw.from ?? '');
        doc = addAt(removeAt(doc, raw.from ?? ''), raw.path, value, false);
        break;
      }
      case 'test':
        if (!deepEqual(getPointer(doc, raw.path), raw.value ?? null)) throw invalid(`test failed at ${raw.path}`);
        break;
      default: throw new StoreError(400, 'BadRequest', `unknown json patch operation "${raw.op}"`);
    }
  }
  return doc;
}
