// REST verbs on resources: get/list/watch, create, update, patch (all four content types), delete,
// deletecollection, plus the status and scale subresources. Logs and port-forward live in their own modules.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import type { KubeObject, ResourceType } from './types.js';
import { StoreError } from './types.js';
import type { InMemoryStore } from './store.js';
import { apiVersionOf, qualifiedResource, type ResourceInfo } from './resources.js';
import type { ResourcePath } from './routes.js';
import { parseJsonBody, readBody, readRawBody, sendError, sendJson, statusObject, wantsTable } from './http.js';
import { toTable, type IncludeObject } from './table.js';
import { serveWatch } from './watch.js';
import { applyJsonPatch, applyMergePatch, strategicMerge } from './patch.js';
import { isMap, type Json, type JsonMap } from './objects.js';
import { mergeApplied } from './apply.js';
import { decodeProtobufObject } from './protobuf.js';

export interface ResourceHandlerContext {
  store: InMemoryStore;
  bookmarkIntervalMs: number;
  now: () => Date;
}

interface Call {
  req: IncomingMessage;
  res: ServerResponse;
  query: URLSearchParams;
  path: ResourcePath;
  info: ResourceInfo;
  type: ResourceType;
  ctx: ResourceHandlerContext;
}

const badRequest = (msg: string): StoreError => new StoreError(400, 'BadRequest', msg);
const methodNotAllowed = (): StoreError => new StoreError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');

function requireVerb(info: ResourceInfo, verb: string): void {
  if (!info.verbs.includes(verb)) throw methodNotAllowed();
}

function includeObject(query: URLSearchParams): IncludeObject {
  const v = query.get('includeObject');
  return v === 'None' || v === 'Object' ? v : 'PartialObjectMetadata';
}

/** The manager a non-apply write is recorded under: ?fieldManager=, else the user agent's product name. */
function fieldManagerOf(c: Call): string {
  return c.query.get('fieldManager') || (c.req.headers['user-agent'] ?? 'unknown').split('/')[0] || 'unknown';
}

function renderOne(c: Call, obj: KubeObject): unknown {
  return wantsTable(c.req) ? toTable(c.info.kind, [obj], { include: includeObject(c.query), now: c.ctx.now() }) : obj;
}

async function readObject(c: Call, yamlAllowed: boolean): Promise<unknown> {
  if (/protobuf/.test(c.req.headers['content-type'] ?? '')) return decodeProtobufObject(await readRawBody(c.req));
  const text = await readBody(c.req);
  if (text.trim() === '') throw badRequest('the body of the request was empty');
  const contentType = c.req.headers['content-type'] ?? '';
  if (yamlAllowed || /yaml/.test(contentType)) {
    try {
      return parseYaml(text) as unknown;
    } catch (e) {
      throw badRequest(`error decoding YAML: ${(e as Error).message}`);
    }
  }
  return parseJsonBody(text);
}

function asKubeObject(c: Call, body: unknown): KubeObject {
  if (!isMap(body as Json)) throw badRequest('the body of the request must be an object');
  const obj = body as KubeObject;
  obj.metadata = isMap(obj.metadata as unknown as Json) ? obj.metadata : ({} as KubeObject['metadata']);
  if (c.info.namespaced) {
    const ns = c.path.namespace;
    if (obj.metadata.namespace && ns && obj.metadata.namespace !== ns) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    if (ns) obj.metadata.namespace = ns;
  }
  if (c.path.name !== undefined) {
    if (obj.metadata.name && obj.metadata.name !== c.path.name) {
      throw badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${c.path.name})`);
    }
    obj.metadata.name = c.path.name;
  }
  return obj;
}

function mustGet(c: Call, name: string): KubeObject {
  const obj = c.ctx.store.get(c.type, c.path.namespace, name);
  if (!obj) throw new StoreError(404, 'NotFound', `${qualifiedResource(c.info)} "${name}" not found`);
  return obj;
}

function scaleOf(obj: KubeObject): KubeObject {
  const spec = (obj['spec'] ?? {}) as JsonMap;
  const status = (obj['status'] ?? {}) as JsonMap;
  const matchLabels = isMap((spec['selector'] as JsonMap | undefined)?.['matchLabels'] ?? null)
    ? ((spec['selector'] as JsonMap)['matchLabels'] as JsonMap) : {};
  return {
    kind: 'Scale', apiVersion: 'autoscaling/v1',
    metadata: { name: obj.metadata.name, namespace: obj.metadata.namespace, uid: obj.metadata.uid,
      resourceVersion: obj.metadata.resourceVersion, creationTimestamp: obj.metadata.creationTimestamp },
    spec: { replicas: Number(spec['replicas'] ?? 0) },
    status: { replicas: Number(status['replicas'] ?? 0), selector: Object.entries(matchLabels).map(([k, v]) => `${k}=${String(v)}`).join(',') },
  };
}

function writeScale(c: Call, existing: KubeObject, scale: unknown): KubeObject {
  const replicas = (scale as { spec?: { replicas?: unknown } }).spec?.replicas;
  if (typeof replicas !== 'number' || replicas < 0) throw new StoreError(422, 'Invalid', 'Scale.autoscaling "" is invalid: spec.replicas: Invalid value');
  const next = { ...existing, spec: { ...(existing['spec'] as JsonMap), replicas } } as KubeObject;
  return scaleOf(c.ctx.store.update(c.type, next, { fieldManager: fieldManagerOf(c) }));
}

// ---- verbs ----

function list(c: Call): void {
  requireVerb(c.info, 'list');
  const namespace = c.info.namespaced ? c.path.namespace : undefined;
  const opts = { namespace, labelSelector: c.query.get('labelSelector') ?? undefined, fieldSelector: c.query.get('fieldSelector') ?? undefined };
  const limit = c.query.get('limit');
  if (limit !== null && !/^\d+$/.test(limit)) throw badRequest(`invalid limit "${limit}"`);
  const { items, resourceVersion } = c.ctx.store.list(c.type, opts);
  if (wantsTable(c.req)) {
    sendJson(c.res, 200, toTable(c.info.kind, items, { resourceVersion, include: includeObject(c.query), now: c.ctx.now() }));
    return;
  }
  sendJson(c.res, 200, {
    kind: c.info.listKind, apiVersion: apiVersionOf(c.type.group, c.type.version), metadata: { resourceVersion }, items,
  });
}

function watch(c: Call): void {
  requireVerb(c.info, 'watch');
  const table = wantsTable(c.req);
  const timeout = c.query.get('timeoutSeconds');
  serveWatch(c.req, c.res, c.ctx.store, {
    type: c.type,
    kind: c.info.kind,
    apiVersion: apiVersionOf(c.type.group, c.type.version),
    namespace: c.info.namespaced ? c.path.namespace : undefined,
    labelSelector: c.query.get('labelSelector') ?? undefined,
    fieldSelector: c.query.get('fieldSelector') ?? undefined,
    resourceVersion: c.query.get('resourceVersion') ?? undefined,
    allowWatchBookmarks: c.query.get('allowWatchBookmarks') === 'true',
    timeoutSeconds: timeout ? Number(timeout) : undefined,
    bookmarkIntervalMs: c.ctx.bookmarkIntervalMs,
    render: (obj) => (table ? toTable(c.info.kind, [obj], { include: includeObject(c.query), now: c.ctx.now() }) : obj),
  });
}

async function create(c: Call): Promise<void> {
  requireVerb(c.info, 'create');
  const obj = asKubeObject(c, await readObject(c, false));
  const created = c.ctx.store.create(c.type, obj, { fieldManager: fieldManagerOf(c) });
  sendJson(c.res, 201, created);
}

async function replace(c: Call, name: string): Promise<void> {
  requireVerb(c.info, 'update');
  const body = asKubeObject(c, await readObject(c, false));
  const sub = c.path.subresource;
  if (sub === 'status') {
    mustGet(c, name);
    sendJson(c.res, 200, c.ctx.store.updateStatus(c.type, c.path.namespace, name, body['status'], { fieldManager: fieldManagerOf(c) }));
  } else if (sub === 'scale') {
    sendJson(c.res, 200, writeScale(c, mustGet(c, name), body));
  } else {
    sendJson(c.res, 200, c.ctx.store.update(c.type, body, { fieldManager: fieldManagerOf(c) }));
  }
}

async function patch(c: Call, name: string): Promise<void> {
  requireVerb(c.info, 'patch');
  const contentType = (c.req.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
  const sub = c.path.subresource;
  if (contentType === 'application/apply-patch+yaml') {
    const fieldManager = c.query.get('fieldManager');
    if (!fieldManager) {
      throw new StoreError(422, 'Invalid', 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
    }
    const obj = asKubeObject(c, await readObject(c, true));
    if (sub === 'status') {
      const existing = mustGet(c, name);
      const status = mergeApplied(existing['status'] as Json | undefined, (obj['status'] ?? {}) as Json);
      sendJson(c.res, 200, c.ctx.store.updateStatus(c.type, c.path.namespace, name, status, { fieldManager }));
      return;
    }
    if (sub) throw methodNotAllowed();
    const existed = c.ctx.store.get(c.type, c.path.namespace, name) !== undefined;
    const result = c.ctx.store.apply(c.type, obj, fieldManager, c.query.get('force') === 'true');
    sendJson(c.res, existed ? 200 : 201, result);
    return;
  }
  const existing = mustGet(c, name);
  const target = (sub === 'scale' ? scaleOf(existing) : existing) as unknown as Json;
  const body = parseJsonBody(await readBody(c.req)) as Json;
  let patched: Json;
  switch (contentType) {
    case 'application/merge-patch+json': patched = applyMergePatch(target, body); break;
    case 'application/json-patch+json': patched = applyJsonPatch(target, body); break;
    case 'application/strategic-merge-patch+json':
      if (c.info.custom) {
        sendJson(c.res, 415, statusObject(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`));
        return;
      }
      patched = strategicMerge(target, body);
      break;
    default:
      sendJson(c.res, 415, statusObject(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`));
      return;
  }
  if (!isMap(patched)) throw badRequest('the patched object is not an object');
  const fieldManager = fieldManagerOf(c);
  if (sub === 'scale') {
    sendJson(c.res, 200, writeScale(c, existing, patched));
  } else if (sub === 'status') {
    sendJson(c.res, 200, c.ctx.store.updateStatus(c.type, c.path.namespace, name, patched['status'], { fieldManager }));
  } else {
    const obj = asKubeObject(c, patched);
    sendJson(c.res, 200, c.ctx.store.update(c.type, obj, { fieldManager }));
  }
}

function deletionStatus(c: Call, obj: KubeObject): Record<string, unknown> {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success',
    details: { name: obj.metadata.name, ...(c.info.group ? { group: c.info.group } : {}), kind: c.info.resource, uid: obj.metadata.uid } };
}

async function remove(c: Call, name: string): Promise<void> {
  requireVerb(c.info, 'delete');
  await readBody(c.req); // DeleteOptions: propagation and grace period do not matter in the sim
  const deleted = c.ctx.store.delete(c.type, c.path.namespace, name);
  if (!deleted) throw new StoreError(404, 'NotFound', `${qualifiedResource(c.info)} "${name}" not found`);
  const still = c.ctx.store.get(c.type, c.path.namespace, name);
  sendJson(c.res, 200, still ?? deletionStatus(c, deleted));
}

async function removeCollection(c: Call): Promise<void> {
  requireVerb(c.info, 'deletecollection');
  await readBody(c.req);
  const { items } = c.ctx.store.list(c.type, {
    namespace: c.info.namespaced ? c.path.namespace : undefined,
    labelSelector: c.query.get('labelSelector') ?? undefined,
    fieldSelector: c.query.get('fieldSelector') ?? undefined,
  });
  const deleted = items.map((o) => c.ctx.store.delete(c.type, o.metadata.namespace, o.metadata.name)).filter((o): o is KubeObject => !!o);
  sendJson(c.res, 200, { kind: c.info.listKind, apiVersion: apiVersionOf(c.type.group, c.type.version), metadata: { resourceVersion: c.ctx.store.resourceVersion() }, items: deleted });
}

/** Handles one request on a resource path; every failure is answered with a Status. */
export async function handleResource(
  req: IncomingMessage, res: ServerResponse, query: URLSearchParams, path: ResourcePath, ctx: ResourceHandlerContext,
): Promise<void> {
  try {
    const type: ResourceType = { group: path.group, version: path.version, resource: path.resource };
    const info = ctx.store.registry.find(type);
    if (!info || (!info.namespaced && path.namespace !== undefined)) {
      throw new StoreError(404, 'NotFound', 'the server could not find the requested resource');
    }
    if (path.subresource && !info.subresources.includes(path.subresource)) {
      throw new StoreError(404, 'NotFound', 'the server could not find the requested resource');
    }
    const c: Call = { req, res, query, path, info, type, ctx };
    const name = path.name;
    const method = req.method ?? 'GET';
    if (name === undefined) {
      if (method === 'GET') return query.get('watch') === 'true' || query.get('watch') === '1' ? watch(c) : list(c);
      if (method === 'POST') return await create(c);
      if (method === 'DELETE') return await removeCollection(c);
      throw methodNotAllowed();
    }
    switch (method) {
      case 'GET': {
        requireVerb(info, 'get');
        const obj = mustGet(c, name);
        sendJson(res, 200, path.subresource === 'scale' ? scaleOf(obj) : renderOne(c, obj));
        return;
      }
      case 'PUT': return await replace(c, name);
      case 'PATCH': return await patch(c, name);
      case 'DELETE':
        if (path.subresource) throw methodNotAllowed();
        return await remove(c, name);
      default: throw methodNotAllowed();
    }
  } catch (err) {
    sendError(res, err, path.name ? { name: path.name, ...(path.group ? { group: path.group } : {}), kind: path.resource } : undefined);
  }
}
