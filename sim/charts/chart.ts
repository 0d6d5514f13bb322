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
