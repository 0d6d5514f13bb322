// A chart "renderer" produces the objects the real chart produces that matter to the installer (names,
// labels, ports, images, args, resources), from the values helm was given. Not a template engine: each
// chart is a TypeScript function written against the chart's documented output (llm-d-facts.md §1–§5).
import type { KubeObject } from '../apiserver/types.js';

export type Values = Record<string, unknown>;

export interface ReleaseRef {
  name: string;
  namespace: string;
}

export interface Chart {
  name: string;
  version: string;
  appVersion: string;
  /** CRDs in the chart's crds/ folder: installed before the templates unless --skip-crds, printed by `helm show crds`. */
  crds?: () => KubeObject[];
  render: (release: ReleaseRef, values: Values) => KubeObject[];
}

export const isObject = (v: unknown): v is Values => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A template that stops the render, as a chart's `fail`/`required` or a Go template execution error does.
 * `message` is what helm prints after `INSTALLATION FAILED: ` (or `UPGRADE FAILED: `). For `fail` and
 * `required` helm (v3.19 pkg/engine/engine.go cleanupExecError) prints `execution error at (<file:line:col>):
 * <message>`, the location being where the top-level template called the failing one; any other execution
 * error is printed unchanged (`template: <file:line:col>: executing "<name>" at <…>: …`) — see failAt().
 */
export class ChartRenderError extends Error {}

/** The error helm reports for a template's `fail "<message>"` (or `required`) reached from `location`. */
export const failAt = (location: string, message: string): ChartRenderError => new ChartRenderError(`execution error at (${location}): ${message}`);

/**
 * Go template truthiness (text/template `if`, sprig `empty` negated): false, 0, "", nil and empty
 * lists/maps are false; everything else is true.
 */
export const truthy = (v: unknown): boolean => {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (isObject(v)) return Object.keys(v).length > 0;
  return true;
};

/** Helm's values merge: maps merge deeply, everything else (lists included) is replaced; null deletes. */
export function mergeValues(base: Values, over: Values): Values {
  const out: Values = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === null) delete out[k];
    else if (isObject(v) && isObject(out[k])) out[k] = mergeValues(out[k] as Values, v);
    else out[k] = v;
  }
  return out;
}

/**
 * Helm's coalescing of a chart's values.yaml under the user's values (helm v3.19 pkg/chartutil/coalesce.go
 * coalesceValues + coalesceTablesFullKey): the user wins; maps merge; a null the user (or a parent chart)
 * gives removes the key — except under a key naming a subchart (`childKeys`), which merges keeping the
 * nulls so the subchart's own coalescing removes its defaults. Mutates and returns `dest`.
 */
export function coalesceChartValues(dest: Values, chartValues: Values, childKeys: readonly string[] = []): Values {
  const src = structuredClone(chartValues);
  for (const [key, val] of Object.entries(src)) {
    if (!(key in dest)) { dest[key] = val; continue; }
    const value = dest[key];
    if (value === null || value === undefined) delete dest[key];
    else if (isObject(value) && isObject(val)) coalesceTables(value, val, childKeys.includes(key));
  }
  return dest;
}

function coalesceTables(dst: Values, src: Values, merge: boolean): Values {
  for (const [key, val] of Object.entries(dst)) if (val === null) src[key] = null;
  for (const [key, val] of Object.entries(src)) {
    const has = key in dst;
    const dv = dst[key];
    if (has && !merge && dv === null) delete dst[key];
    else if (!has) dst[key] = val;
    else if (isObject(val) && isObject(dv)) coalesceTables(dv, val, merge);
  }
  return dst;
}

/** Reads a dotted path from values. */
export function at<T>(values: Values, path: string, fallback: T): T {
  let v: unknown = values;
  for (const k of path.split('.')) v = isObject(v) ? v[k] : undefined;
  return v === undefined || v === null ? fallback : (v as T);
}

export const meta = (name: string, namespace: string | undefined, labels: Record<string, string> = {}, annotations?: Record<string, string>) => ({
  name, ...(namespace ? { namespace } : {}), labels, ...(annotations ? { annotations } : {}),
});

export function helmLabels(release: ReleaseRef, chart: Chart, name: string): Record<string, string> {
  return {
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/instance': release.name,
    'app.kubernetes.io/managed-by': 'Helm',
    'app.kubernetes.io/version': chart.appVersion,
    'helm.sh/chart': `${chart.name}-${chart.version}`,
  };
}

export function deployment(name: string, namespace: string, labels: Record<string, string>, selector: Record<string, string>, replicas: number, podSpec: Values, podLabels: Record<string, string> = selector): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta(name, namespace, labels),
    spec: { replicas, selector: { matchLabels: selector }, template: { metadata: { labels: { ...podLabels, ...selector } }, spec: podSpec } },
  };
}

export function service(name: string, namespace: string, labels: Record<string, string>, selector: Record<string, string>, ports: Values[], extra: Values = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: meta(name, namespace, labels), spec: { type: 'ClusterIP', selector, ports, ...extra } };
}

export const serviceAccount = (name: string, namespace: string, labels: Record<string, string>): KubeObject => ({
  apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(name, namespace, labels),
});

/** A minimal but valid CRD: one served+stored version per entry, permissive schema, status subresource. */
export function crd(group: string, kind: string, plural: string, versions: string[], scope: 'Namespaced' | 'Cluster' = 'Namespaced', shortNames?: string[]): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: {
      group, scope,
      names: { kind, listKind: `${kind}List`, plural, singular: kind.toLowerCase(), ...(shortNames ? { shortNames } : {}) },
      versions: versions.map((v, i) => ({
        name: v, served: true, storage: i === versions.length - 1,
        schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
        subresources: { status: {} },
      })),
    },
  };
}
