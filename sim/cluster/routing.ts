// What Istio and the EPP know about routing, read from the cluster's objects: which HTTPRoute is attached
// to a Gateway, whether its InferencePool backend resolves (Istio 1.28 accepts only the
// inference.networking.k8s.io group — llm-d-facts.md §1), which pods are the pool's endpoints, and which
// EPP pod logs the decisions (and at what verbosity).
import { INFERENCE_POOL_GROUP, INFERENCE_POOL_GROUP_LEGACY } from '../../shared/stack.js';
import type { KubeObject, ObjectStore } from '../apiserver/types.js';
import { T } from './resources.js';

export interface BackendRef { group?: string; kind?: string; name: string; namespace?: string; port?: number }
export type Resolution = { ok: true; pool: KubeObject } | { ok: false; reason: 'InvalidKind' | 'BackendNotFound'; message: string };

const safeList = (store: ObjectStore, type: Parameters<ObjectStore['list']>[0], namespace?: string): KubeObject[] => {
  try {
    return store.list(type, namespace ? { namespace } : {}).items;
  } catch {
    return []; // the CRD is not installed
  }
};

export function backendRefsOf(route: KubeObject): BackendRef[] {
  const rules = ((route.spec as { rules?: Array<{ backendRefs?: BackendRef[] }> } | undefined)?.rules) ?? [];
  return rules.flatMap((r) => r.backendRefs ?? []);
}

export function resolveBackend(store: ObjectStore, route: KubeObject, ref: BackendRef): Resolution {
  const group = ref.group ?? '';
  const kind = ref.kind ?? 'Service';
  if (kind === 'InferencePool' && group !== INFERENCE_POOL_GROUP) {
    return { ok: false, reason: 'InvalidKind', message: `referencing unsupported backendRef: group "${group}" kind "${kind}"` };
  }
  const ns = ref.namespace ?? route.metadata.namespace;
  const type = kind === 'InferencePool' ? T.inferencepools : T.services;
  const pool = safeList(store, type, ns).find((p) => p.metadata.name === ref.name);
  return pool ? { ok: true, pool } : { ok: false, reason: 'BackendNotFound', message: `backend(${ref.name}) not found` };
}

export function routesForGateway(store: ObjectStore, gateway: string, namespace: string): KubeObject[] {
  return safeList(store, T.httproutes).filter((r) =>
    ((r.spec as { parentRefs?: Array<{ name: string; namespace?: string }> } | undefined)?.parentRefs ?? [])
      .some((p) => p.name === gateway && (p.namespace ?? r.metadata.namespace) === namespace));
}

export const isPodReady = (pod: KubeObject): boolean =>
  !pod.metadata.deletionTimestamp &&
  ((pod.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

export const podIP = (pod: KubeObject): string => String((pod.status as { podIP?: string } | undefined)?.podIP ?? '');

export function poolSelector(pool: KubeObject): Record<string, string> {
  const spec = pool.spec as { selector?: { matchLabels?: Record<string, string> } & Record<string, string> } | undefined;
  if (spec?.selector?.matchLabels) return spec.selector.matchLabels;
  const { matchLabels: _m, ...flat } = spec?.selector ?? {};
  return flat as Record<string, string>;
}

export const poolTargetPort = (pool: KubeObject): number => {
  const spec = pool.spec as { targetPorts?: Array<{ number: number }>; targetPortNumber?: number } | undefined;
  return spec?.targetPorts?.[0]?.number ?? spec?.targetPortNumber ?? 8000;
};

export const poolEppName = (pool: KubeObject): string | undefined => {
  const spec = pool.spec as { endpointPickerRef?: { name: string }; extensionRef?: { name: string } } | undefined;
  return spec?.endpointPickerRef?.name ?? spec?.extensionRef?.name;
};

export const matchesLabels = (obj: KubeObject, sel: Record<string, string>): boolean =>
  Object.keys(sel).length > 0 && Object.entries(sel).every(([k, v]) => obj.metadata.labels?.[k] === v);

/** The `--v` flag of the EPP container (chart default 1). */
export function eppVerbosity(pod: KubeObject | undefined): number {
  const c = ((pod?.spec as { containers?: Array<{ name: string; args?: string[] }> } | undefined)?.containers ?? []).find((x) => x.name === 'epp');
  const args = c?.args ?? [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    const m = /^--?v=(\d+)$/.exec(a);
    if (m) return Number(m[1]);
    if ((a === '--v' || a === '-v') && args[i + 1] !== undefined) return Number(args[i + 1]);
  }
  return 1;
}

export { INFERENCE_POOL_GROUP_LEGACY };
