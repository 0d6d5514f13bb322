// Small helpers over plain JSON objects shared by the patch and apply code.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonMap = { [key: string]: Json };

export const isMap = (v: unknown): v is JsonMap => v !== null && typeof v === 'object' && !Array.isArray(v);

export const clone = <T>(v: T): T => structuredClone(v);

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

/**
 * Lists whose items are merged by a key rather than replaced wholesale (Kubernetes "patchMergeKey" /
 * "x-kubernetes-list-map-keys"), decided by the field's name and, for `ports`, by the item's shape
 * (container ports are keyed by containerPort, service ports by port).
 */
export function listMapKey(field: string, sample: unknown): string | undefined {
  switch (field) {
    case 'containers': case 'initContainers': case 'ephemeralContainers': case 'env': case 'volumes':
    case 'imagePullSecrets': case 'versions': case 'resourceClaims':
      return 'name';
    case 'volumeMounts': return 'mountPath';
    case 'volumeDevices': return 'devicePath';
    case 'conditions': return 'type';
    case 'hostAliases': return 'ip';
    case 'ports':
      if (isMap(sample) && 'containerPort' in sample) return 'containerPort';
      if (isMap(sample) && 'port' in sample) return 'port';
      return undefined;
    default: return undefined;
  }
}

/** The merge key of a list field when every item is a map carrying that key. */
export function listKeyFor(field: string, list: unknown[]): string | undefined {
  const key = listMapKey(field, list[0]);
  if (!key) return undefined;
  return list.every((item) => isMap(item) && key in item) ? key : undefined;
}
