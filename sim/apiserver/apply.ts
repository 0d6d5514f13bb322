// Server-side apply: merge a partial object into the live one on behalf of a field manager, tracking
// which manager owns which fields in metadata.managedFields (FieldsV1 format) so that fields a manager
// stops applying are removed and changes to another manager's fields are conflicts unless forced.
import { StoreError } from './types.js';
import { clone, deepEqual, isMap, listKeyFor, type Json, type JsonMap } from './objects.js';

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: JsonMap;
}

/** Path segments in FieldsV1 spelling: `f:<field>` for map keys, `k:{"name":"x"}` for keyed list items. */
type FieldPath = string[];

const IGNORED_TOP = new Set(['apiVersion', 'kind']);
const IGNORED_META = new Set(['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp',
  'managedFields', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'selfLink']);

function collect(value: Json, path: FieldPath, field: string, out: FieldPath[]): void {
  if (isMap(value) && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value)) collect(v, [...path, `f:${k}`], k, out);
    return;
  }
  if (Array.isArray(value) && value.length > 0) {
    const key = listKeyFor(field, value);
    if (key) {
      for (const item of value) {
        const m = item as JsonMap;
        const seg = `k:${JSON.stringify({ [key]: m[key] })}`;
        for (const [k, v] of Object.entries(m)) collect(v, [...path, seg, `f:${k}`], k, out);
      }
      return;
    }
  }
  out.push(path);
}

/** Leaf field paths set by an (applied) object, excluding identity and server-owned metadata. */
export function fieldPaths(obj: JsonMap, ignoreStatus: boolean): FieldPath[] {
  const out: FieldPath[] = [];
  for (const [k, v] of Object.entries(obj)) {
    if (IGNORED_TOP.has(k) || (ignoreStatus && k === 'status')) continue;
    if (k === 'metadata' && isMap(v)) {
      for (const [mk, mv] of Object.entries(v)) {
        if (!IGNORED_META.has(mk)) collect(mv, ['f:metadata', `f:${mk}`], mk, out);
      }
      continue;
    }
    collect(v, [`f:${k}`], k, out);
  }
  return out;
}

export function pathsToFields(paths: FieldPath[]): JsonMap {
  const root: JsonMap = {};
  for (const p of paths) {
    let cur = root;
    for (const seg of p) {
      const next = cur[seg];
      if (isMap(next)) cur = next;
      else {
        const created: JsonMap = {};
        cur[seg] = created;
        cur = created;
      }
    }
  }
  return root;
}

export function fieldsToPaths(fields: unknown, prefix: FieldPath = []): FieldPath[] {
  if (!isMap(fields)) return [];
  const entries = Object.entries(fields).filter(([k]) => k !== '.');
  if (entries.length === 0) return prefix.length > 0 ? [prefix] : [];
  return entries.flatMap(([k, v]) => fieldsToPaths(v, [...prefix, k]));
}

const pathKey = (p: FieldPath): string => p.join('\u0000');

function step(cur: Json | undefined, seg: string): { container: Json | undefined; index: string | number | undefined } {
  if (seg.startsWith('f:') && isMap(cur)) return { container: cur, index: seg.slice(2) };
  if (seg.startsWith('k:') && Array.isArray(cur)) {
    const key = JSON.parse(seg.slice(2)) as JsonMap;
    const idx = cur.findIndex((item) => isMap(item) && Object.entries(key).every(([k, v]) => deepEqual(item[k], v)));
    return { container: cur, index: idx < 0 ? undefined : idx };
  }
  return { container: undefined, index: undefined };
}

function getAt(obj: Json, path: FieldPath): Json | undefined {
  let cur: Json | undefined = obj;
  for (const seg of path) {
    const { container, index } = step(cur, seg);
    if (container === undefined || index === undefined) return undefined;
    cur = Array.isArray(container) ? container[index as number] : (container as JsonMap)[index as string];
  }
  return cur;
}

/** Removes the field at `path`; a keyed list item left with nothing but its key is removed too. */
function removeAt(obj: Json, path: FieldPath): void {
  const parentPath = path.slice(0, -1);
  const parent = getAt(obj, parentPath);
  const last = path[path.length - 1] ?? '';
  const { container, index } = step(parent, last);
  if (container === undefined || index === undefined) return;
  if (Array.isArray(container)) container.splice(index as number, 1);
  else delete (container as JsonMap)[index as string];
  const itemSeg = parentPath[parentPath.length - 1];
  if (itemSeg?.startsWith('k:') && isMap(parent)) {
    const keyFields = Object.keys(JSON.parse(itemSeg.slice(2)) as JsonMap);
    if (Object.keys(parent).every((k) => keyFields.includes(k))) removeAt(obj, parentPath);
  }
}

/** Deep merge for apply: maps merge, keyed lists merge item by item, other lists and scalars replace. */
export function mergeApplied(live: Json | undefined, applied: Json, field = ''): Json {
  if (isMap(applied)) {
    const out: JsonMap = isMap(live) ? clone(live) : {};
    for (const [k, v] of Object.entries(applied)) out[k] = mergeApplied(out[k], v, k);
    return out;
  }
  if (Array.isArray(applied) && Array.isArray(live)) {
    const key = listKeyFor(field, applied);
    if (key && live.every((x) => isMap(x))) {
      const out: Json[] = live.map((x) => clone(x));
      for (const item of applied as JsonMap[]) {
        const idx = out.findIndex((x) => isMap(x) && deepEqual(x[key], item[key]));
        if (idx >= 0) out[idx] = mergeApplied(out[idx], item, '');
        else out.push(clone(item));
      }
      return out;
    }
  }
  return clone(applied);
}

export function readManagedFields(meta: { managedFields?: unknown[] }): ManagedFieldsEntry[] {
  return (meta.managedFields ?? []).filter((e): e is ManagedFieldsEntry =>
    isMap(e as Json) && typeof (e as ManagedFieldsEntry).manager === 'string' && isMap((e as ManagedFieldsEntry).fieldsV1 as Json));
}

export interface ApplyInput {
  live: JsonMap | undefined;
  applied: JsonMap;
  manager: string;
  force: boolean;
  apiVersion: string;
  now: string;
  /** Types with a status subresource ignore `.status` in applied configurations. */
  ignoreStatus: boolean;
}

/** Computes the object that results from an apply; throws a 409 Conflict listing conflicting fields. */
export function serverSideApply(input: ApplyInput): JsonMap {
  const { live, manager, force, apiVersion, now, ignoreStatus } = input;
  const applied = clone(input.applied);
  if (ignoreStatus) delete applied['status'];
  const newPaths = fieldPaths(applied, ignoreStatus);
  const newKeys = new Set(newPaths.map(pathKey));
  const liveMeta = (isMap(live?.['metadata'] ?? null) ? live?.['metadata'] : {}) as { managedFields?: unknown[] };
  const entries = readManagedFields(liveMeta);
  const mine = entries.find((e) => e.manager === manager && e.operation === 'Apply');
  const others = entries.filter((e) => e !== mine).map((e) => ({ entry: e, paths: fieldsToPaths(e.fieldsV1) }));

  const conflicts: Array<{ manager: string; path: FieldPath }> = [];
  if (live) {
    for (const o of others) {
      for (const p of o.paths) {
        if (newKeys.has(pathKey(p)) && !deepEqual(getAt(live, p), getAt(applied, p))) conflicts.push({ manager: o.entry.manager, path: p });
      }
    }
  }
  if (conflicts.length > 0 && !force) {
    const describe = (p: FieldPath): string => p.map((s) => (s.startsWith('f:') ? `.${s.slice(2)}` : `[${s.slice(2)}]`)).join('');
    const lines = conflicts.map((c) => `conflict with "${c.manager}" using ${apiVersion}: ${describe(c.path)}`);
    const head = `Apply failed with ${conflicts.length} conflict${conflicts.length === 1 ? '' : 's'}: `;
    const err = new StoreError(409, 'Conflict', head + lines.join('\n'));
    err.causes = conflicts.map((c) => ({
      reason: 'FieldManagerConflict', message: `conflict with "${c.manager}" using ${apiVersion}`, field: describe(c.path),
    }));
    throw err;
  }
  const taken = new Set(conflicts.map((c) => pathKey(c.path)));

  let result = mergeApplied(live ? clone(live) : undefined, applied) as JsonMap;
  // Fields this manager applied before but no longer applies, and nobody else owns, go away.
  const othersOwn = new Set(others.flatMap((o) => o.paths.map(pathKey)));
  const dropped = fieldsToPaths(mine?.fieldsV1 ?? {}).filter((p) => !newKeys.has(pathKey(p)) && !othersOwn.has(pathKey(p)));
  for (const p of dropped.sort((a, b) => b.length - a.length)) removeAt(result, p);

  const nextEntries: ManagedFieldsEntry[] = [];
  for (const o of others) {
    const keep = o.paths.filter((p) => !(taken.has(pathKey(p))));
    if (keep.length > 0) nextEntries.push({ ...o.entry, fieldsV1: pathsToFields(keep) });
  }
  nextEntries.push({ manager, operation: 'Apply', apiVersion, time: now, fieldsType: 'FieldsV1', fieldsV1: pathsToFields(newPaths) });
  result = { ...result, metadata: { ...(result['metadata'] as JsonMap), managedFields: nextEntries as unknown as Json } };
  return result;
}

/**
 * Ownership after a non-apply write (PUT/PATCH) by `manager`: it takes the fields whose values changed.
 * This is what lets a later apply by someone else conflict with, say, `kubectl scale`.
 */
export function recordUpdate(prev: JsonMap | undefined, next: JsonMap, manager: string, apiVersion: string, now: string, ignoreStatus: boolean): ManagedFieldsEntry[] {
  const meta = (isMap(next['metadata'] ?? null) ? next['metadata'] : {}) as { managedFields?: unknown[] };
  const entries = readManagedFields(meta);
  const changed = fieldPaths(next, ignoreStatus).filter((p) => !prev || !deepEqual(getAt(prev, p), getAt(next, p)));
  if (changed.length === 0) return entries;
  const changedKeys = new Set(changed.map(pathKey));
  const out: ManagedFieldsEntry[] = [];
  let own: FieldPath[] = [];
  for (const e of entries) {
    const paths = fieldsToPaths(e.fieldsV1);
    if (e.manager === manager && e.operation === 'Update') {
      own = paths;
      continue;
    }
    const keep = paths.filter((p) => !changedKeys.has(pathKey(p)));
    if (keep.length > 0) out.push({ ...e, fieldsV1: pathsToFields(keep) });
  }
  const ownKeys = new Set(own.map(pathKey));
  const merged = [...own, ...changed.filter((p) => !ownKeys.has(pathKey(p)))];
  out.push({ manager, operation: 'Update', apiVersion, time: now, fieldsType: 'FieldsV1', fieldsV1: pathsToFields(merged) });
  return out;
}
