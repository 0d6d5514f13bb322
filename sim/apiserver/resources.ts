// The resource types the simulated API server serves: built-in ones, plus those defined by CRDs in the store.
import type { KubeObject, ResourceType } from './types.js';

export interface ResourceInfo {
  group: string;
  version: string;
  /** Plural lower-case name ("pods"). */
  resource: string;
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  /** Subresources served ("status", "scale", "log", "portforward"). */
  subresources: string[];
  /** True when this came from a CustomResourceDefinition. */
  custom: boolean;
}

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function builtin(
  group: string, version: string, resource: string, kind: string, namespaced: boolean,
  extra: { shortNames?: string[]; subresources?: string[]; categories?: string[]; verbs?: string[] } = {},
): ResourceInfo {
  return {
    group, version, resource, kind, namespaced,
    singular: kind.toLowerCase(),
    listKind: `${kind}List`,
    shortNames: extra.shortNames ?? [],
    categories: extra.categories ?? [],
    verbs: extra.verbs ?? ALL_VERBS,
    subresources: extra.subresources ?? [],
    custom: false,
  };
}

export const BUILTIN_RESOURCES: readonly ResourceInfo[] = [
  builtin('', 'v1', 'namespaces', 'Namespace', false, { shortNames: ['ns'], subresources: ['status'],
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] }),
  builtin('', 'v1', 'nodes', 'Node', false, { shortNames: ['no'], subresources: ['status'] }),
  builtin('', 'v1', 'pods', 'Pod', true, { shortNames: ['po'], categories: ['all'], subresources: ['status', 'log', 'portforward'] }),
  builtin('', 'v1', 'services', 'Service', true, { shortNames: ['svc'], categories: ['all'], subresources: ['status'],
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'] }),
  builtin('', 'v1', 'endpoints', 'Endpoints', true, { shortNames: ['ep'] }),
  builtin('', 'v1', 'events', 'Event', true, { shortNames: ['ev'] }),
  builtin('', 'v1', 'configmaps', 'ConfigMap', true, { shortNames: ['cm'] }),
  builtin('', 'v1', 'secrets', 'Secret', true),
  builtin('', 'v1', 'serviceaccounts', 'ServiceAccount', true, { shortNames: ['sa'] }),
  builtin('apps', 'v1', 'deployments', 'Deployment', true, { shortNames: ['deploy'], categories: ['all'], subresources: ['status', 'scale'] }),
  builtin('apps', 'v1', 'replicasets', 'ReplicaSet', true, { shortNames: ['rs'], categories: ['all'], subresources: ['status', 'scale'] }),
  builtin('apiextensions.k8s.io', 'v1', 'customresourcedefinitions', 'CustomResourceDefinition', false,
    { shortNames: ['crd', 'crds'], categories: ['api-extensions'], subresources: ['status'] }),
  // admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy (GA in Kubernetes 1.30; minikube's default
  // 1.35.1 serves it): cluster-scoped, category api-extensions, status subresource. Enforced by admission.ts.
  builtin('admissionregistration.k8s.io', 'v1', 'validatingadmissionpolicies', 'ValidatingAdmissionPolicy', false,
    { categories: ['api-extensions'], subresources: ['status'] }),
  builtin('admissionregistration.k8s.io', 'v1', 'validatingadmissionpolicybindings', 'ValidatingAdmissionPolicyBinding', false,
    { categories: ['api-extensions'] }),
];

export const CRD_TYPE: ResourceType = { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions' };
export const NAMESPACE_TYPE: ResourceType = { group: '', version: 'v1', resource: 'namespaces' };

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const strList = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const rec = (v: unknown): Record<string, unknown> =>
  (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** Turns a CustomResourceDefinition object into the resource types it serves (one per served version). */
export function resourcesFromCrd(crd: KubeObject): ResourceInfo[] {
  const spec = rec(crd['spec']);
  const names = rec(spec['names']);
  const group = str(spec['group']);
  const plural = str(names['plural']);
  const kind = str(names['kind']);
  if (!group || !plural || !kind) return [];
  const versions = Array.isArray(spec['versions']) ? spec['versions'].map(rec) : [];
  return versions
    .filter((v) => v['served'] !== false && typeof v['name'] === 'string')
    .map((v) => ({
      group,
      version: String(v['name']),
      resource: plural,
      singular: str(names['singular']) ?? kind.toLowerCase(),
      kind,
      listKind: str(names['listKind']) ?? `${kind}List`,
      namespaced: spec['scope'] !== 'Cluster',
      shortNames: strList(names['shortNames']),
      categories: strList(names['categories']),
      verbs: ALL_VERBS,
      subresources: [
        ...('status' in rec(v['subresources']) ? ['status'] : []),
        ...('scale' in rec(v['subresources']) ? ['scale'] : []),
      ],
      custom: true,
    }));
}

/** Looks up resource types by group/version/resource; CRD-defined types come and go at run time. */
export class ResourceRegistry {
  private readonly custom = new Map<string, ResourceInfo[]>();

  /** Registers (or re-registers) the types served by a CRD named `crdName`. */
  setCrd(crdName: string, infos: ResourceInfo[]): void {
    if (infos.length === 0) this.custom.delete(crdName);
    else this.custom.set(crdName, infos);
  }

  removeCrd(crdName: string): ResourceInfo[] {
    const infos = this.custom.get(crdName) ?? [];
    this.custom.delete(crdName);
    return infos;
  }

  all(): ResourceInfo[] {
    return [...BUILTIN_RESOURCES, ...[...this.custom.values()].flat()];
  }

  find(type: ResourceType): ResourceInfo | undefined {
    return this.all().find((r) => r.group === type.group && r.version === type.version && r.resource === type.resource);
  }

  /** Any version of group/resource (storage is shared across versions). */
  findAnyVersion(group: string, resource: string): ResourceInfo | undefined {
    return this.all().find((r) => r.group === group && r.resource === resource);
  }

  /** Group → versions served, in registration order (core group is ''). */
  groupVersions(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const r of this.all()) {
      const vs = out.get(r.group) ?? [];
      if (!vs.includes(r.version)) vs.push(r.version);
      out.set(r.group, vs);
    }
    return out;
  }

  inGroupVersion(group: string, version: string): ResourceInfo[] {
    return this.all().filter((r) => r.group === group && r.version === version);
  }
}

export const apiVersionOf = (group: string, version: string): string => (group === '' ? version : `${group}/${version}`);

/** `pods` for the core group, `deployments.apps` otherwise: how the API server names resources in messages. */
export const qualifiedResource = (type: { group: string; resource: string }): string =>
  (type.group === '' ? type.resource : `${type.resource}.${type.group}`);
