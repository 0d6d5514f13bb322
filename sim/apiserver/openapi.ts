// OpenAPI v3 documents, as much as kubectl needs: `kubectl apply` downloads /openapi/v3 and the
// group-version documents, and only trusts server-side field validation when the patch operation lists
// the `fieldValidation` parameter. Schemas are permissive (any fields allowed) but carry the GVK.
import { createHash } from 'node:crypto';
import { apiVersionOf, type ResourceInfo, type ResourceRegistry } from './resources.js';

const gvPath = (group: string, version: string): string => (group === '' ? `api/${version}` : `apis/${group}/${version}`);

function schemaName(r: ResourceInfo): string {
  if (r.group === '') return `io.k8s.api.core.${r.version}.${r.kind}`;
  if (r.group === 'apiextensions.k8s.io') return `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.${r.version}.${r.kind}`;
  if (!r.group.includes('.')) return `io.k8s.api.${r.group}.${r.version}.${r.kind}`;
  // Built-in `*.k8s.io` groups (admissionregistration.k8s.io): io.k8s.api.<group's first label>.
  if (!r.custom && r.group.endsWith('.k8s.io')) return `io.k8s.api.${r.group.split('.')[0] ?? r.group}.${r.version}.${r.kind}`;
  return `${r.group.split('.').reverse().join('.')}.${r.version}.${r.kind}`;
}

const queryParam = (name: string, type = 'string'): Record<string, unknown> => ({ name, in: 'query', schema: { type }, uniqueItems: true });

function operations(r: ResourceInfo): Record<string, Record<string, unknown>> {
  const gvk = { group: r.group, version: r.version, kind: r.kind };
  const ref = { $ref: `#/components/schemas/${schemaName(r)}` };
  const body = (types: string[]): Record<string, unknown> => ({
    content: Object.fromEntries(types.map((t) => [t, { schema: t.includes('patch') ? { type: 'object' } : ref }])), required: true,
  });
  const ok = { '200': { description: 'OK', content: { 'application/json': { schema: ref } } } };
  const op = (action: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    operationId: `${action}${r.kind}`, 'x-kubernetes-action': action, 'x-kubernetes-group-version-kind': gvk, responses: ok, ...extra,
  });
  const writeParams = [queryParam('dryRun'), queryParam('fieldManager'), queryParam('fieldValidation')];
  const item = {
    get: op('get'),
    put: op('put', { parameters: writeParams, requestBody: body(['application/json', 'application/yaml']) }),
    delete: op('delete', { parameters: [queryParam('dryRun'), queryParam('gracePeriodSeconds', 'integer'), queryParam('propagationPolicy')] }),
    patch: op('patch', {
      parameters: [...writeParams, queryParam('force', 'boolean')],
      // strategic-merge-patch+json is left out on purpose: listing it makes kubectl compute client-side
      // apply patches from these (permissive) schemas, which fails with a warning; without it kubectl uses
      // its built-in type knowledge, as it does for a real server's types.
      requestBody: body(['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json']),
    }),
  };
  const collection = {
    get: op('list', { parameters: [queryParam('labelSelector'), queryParam('fieldSelector'), queryParam('limit', 'integer'), queryParam('watch', 'boolean')] }),
    post: op('post', { parameters: writeParams, requestBody: body(['application/json', 'application/yaml']) }),
  };
  return { item, collection };
}

export function openApiDocument(registry: ResourceRegistry, group: string, version: string, kubernetesVersion: string): Record<string, unknown> | undefined {
  const infos = registry.inGroupVersion(group, version);
  if (infos.length === 0) return undefined;
  const paths: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = {};
  const prefix = `/${gvPath(group, version)}`;
  for (const r of infos) {
    const { item, collection } = operations(r);
    const base = r.namespaced ? `${prefix}/namespaces/{namespace}/${r.resource}` : `${prefix}/${r.resource}`;
    const pathParams = [
      ...(r.namespaced ? [{ name: 'namespace', in: 'path', required: true, schema: { type: 'string' } }] : []),
    ];
    paths[base] = { ...collection, parameters: pathParams };
    paths[`${base}/{name}`] = { ...item, parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }, ...pathParams] };
    schemas[schemaName(r)] = {
      type: 'object',
      description: `${r.kind} (schema simplified by the simulated API server: any fields are accepted)`,
      properties: {
        apiVersion: { type: 'string' }, kind: { type: 'string' },
        metadata: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      },
      'x-kubernetes-preserve-unknown-fields': true,
      'x-kubernetes-group-version-kind': [{ group: r.group, version: r.version, kind: r.kind }],
    };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: kubernetesVersion },
    paths,
    components: { schemas },
    'x-sim-group-version': apiVersionOf(group, version),
  };
}

export const documentHash = (doc: unknown): string => createHash('sha512').update(JSON.stringify(doc)).digest('hex').toUpperCase();

/** The /openapi/v3 index: one entry per served group-version, each URL carrying its document's hash. */
export function openApiIndex(registry: ResourceRegistry, kubernetesVersion: string): Record<string, unknown> {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const [group, versions] of registry.groupVersions()) {
    for (const version of versions) {
      const doc = openApiDocument(registry, group, version, kubernetesVersion);
      const p = gvPath(group, version);
      paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${documentHash(doc)}` };
    }
  }
  return { paths };
}

/** `/openapi/v3/api/v1` → ['', 'v1']; `/openapi/v3/apis/apps/v1` → ['apps', 'v1']. */
export function parseOpenApiPath(pathname: string): [string, string] | undefined {
  const m = /^\/openapi\/v3\/(?:api\/([^/]+)|apis\/([^/]+)\/([^/]+))$/.exec(pathname);
  if (!m) return undefined;
  return m[1] ? ['', m[1]] : [m[2] ?? '', m[3] ?? ''];
}
