// Discovery documents (/api, /apis, /api/v1, /apis/<g>/<v>) in the plain JSON form kubectl accepts.
import { apiVersionOf, type ResourceInfo, type ResourceRegistry } from './resources.js';

export function coreVersions(serverAddress: string): Record<string, unknown> {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

function groupEntry(name: string, versions: string[]): Record<string, unknown> {
  const vs = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
  return { name, versions: vs, preferredVersion: vs[0] };
}

export function groupList(registry: ResourceRegistry): Record<string, unknown> {
  const groups = [...registry.groupVersions()].filter(([g]) => g !== '').map(([g, vs]) => groupEntry(g, vs));
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

export function group(registry: ResourceRegistry, name: string): Record<string, unknown> | undefined {
  const vs = registry.groupVersions().get(name);
  return vs && name !== '' ? { kind: 'APIGroup', apiVersion: 'v1', ...groupEntry(name, vs) } : undefined;
}

function subresourceEntry(r: ResourceInfo, sub: string): Record<string, unknown> {
  const base = { name: `${r.resource}/${sub}`, singularName: '', namespaced: r.namespaced };
  switch (sub) {
    case 'scale': return { ...base, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] };
    case 'log': return { ...base, kind: 'Pod', verbs: ['get'] };
    case 'portforward': return { ...base, kind: 'PodPortForwardOptions', verbs: ['create', 'get'] };
    default: return { ...base, kind: r.kind, verbs: ['get', 'patch', 'update'] };
  }
}

export function resourceList(registry: ResourceRegistry, groupName: string, version: string): Record<string, unknown> | undefined {
  const infos = registry.inGroupVersion(groupName, version);
  if (infos.length === 0) return undefined;
  const resources = infos.flatMap((r) => [
    {
      name: r.resource, singularName: r.singular, namespaced: r.namespaced, kind: r.kind, verbs: r.verbs,
      ...(r.shortNames.length > 0 ? { shortNames: r.shortNames } : {}),
      ...(r.categories.length > 0 ? { categories: r.categories } : {}),
    },
    ...r.subresources.map((s) => subresourceEntry(r, s)),
  ]);
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersionOf(groupName, version), resources };
}
