// The simulated cluster's object store: what etcd plus the API server's registry logic do for a real
// cluster (resourceVersions, defaulting, watch with replay, server-side apply, namespace and owner cascades).
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { KubeObject, ListOptions, ObjectStore, ResourceType, WatchEventType, WatchOptions } from './types.js';
import { StoreError } from './types.js';
import { CRD_TYPE, NAMESPACE_TYPE, ResourceRegistry, apiVersionOf, qualifiedResource, resourcesFromCrd, type ResourceInfo } from './resources.js';
import { makeMatcher, type Matcher } from './selectors.js';
import { clone, deepEqual, type JsonMap } from './objects.js';
import { recordUpdate, serverSideApply } from './apply.js';
import { ClusterIpAllocator, applyCreateDefaults, crdStatus } from './defaults.js';
import { admit, type Operation } from './admission.js';

export interface InMemoryStoreOptions {
  /** Watch events kept for replay; a watch from an older resourceVersion gets 410 Expired. Default 5000. */
  historyLimit?: number;
  /** How long a deleted namespace stays Terminating before it and its content are gone. Default 300 ms. */
  namespaceTerminationMs?: number;
  /** Create default, kube-system, kube-public and kube-node-lease like a fresh cluster. Default true. */
  seedNamespaces?: boolean;
  now?: () => Date;
}

/** Extra options of writes that a real client passes as query parameters. */
export interface WriteOptions {
  /** Recorded in managedFields as an Update by this manager. */
  fieldManager?: string;
}

interface StoredEvent {
  rv: number;
  storageKey: string;
  type: Exclude<WatchEventType, 'BOOKMARK'>;
  obj: KubeObject;
  prev?: KubeObject;
}

interface Watcher {
  storageKey: string;
  info: ResourceInfo;
  matches: Matcher;
  onEvent: (type: WatchEventType, obj: KubeObject) => void;
  closed: boolean;
}

const DEFAULT_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];

const storageKeyOf = (t: { group: string; resource: string }): string => `${t.group}/${t.resource}`;

interface PersistedState {
  resourceVersion: number;
  objects: Array<{ group: string; resource: string; object: KubeObject }>;
}

export class InMemoryStore implements ObjectStore {
  readonly registry = new ResourceRegistry();
  private rv = 0;
  private readonly buckets = new Map<string, Map<string, KubeObject>>();
  private history: StoredEvent[] = [];
  private compactedRv = 0;
  private readonly watchers = new Set<Watcher>();
  private readonly queue: Array<() => void> = [];
  private draining = false;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly ips = new ClusterIpAllocator();
  private readonly historyLimit: number;
  private readonly namespaceTerminationMs: number;
  private readonly now: () => Date;

  constructor(opts: InMemoryStoreOptions = {}) {
    this.historyLimit = opts.historyLimit ?? 5000;
    this.namespaceTerminationMs = opts.namespaceTerminationMs ?? 300;
    this.now = opts.now ?? (() => new Date());
    if (opts.seedNamespaces ?? true) {
      for (const name of DEFAULT_NAMESPACES) this.create(NAMESPACE_TYPE, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    }
  }

  // ---- reads ----

  get(type: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    const info = this.info(type);
    const obj = this.bucket(info).get(this.key(info, namespace, name));
    return obj ? this.present(info, type, obj) : undefined;
  }

  list(type: ResourceType, opts: ListOptions = {}): { items: KubeObject[]; resourceVersion: string } {
    const info = this.info(type);
    const matches = makeMatcher(info.namespaced ? opts : { ...opts, namespace: undefined });
    const items = [...this.bucket(info).entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, o]) => o)
      .filter(matches)
      .map((o) => this.present(info, type, o));
    return { items, resourceVersion: String(this.rv) };
  }

  resourceVersion(): string {
    return String(this.rv);
  }

  /** The served resource type, or a 404 like the API server's for an unknown resource. */
  info(type: ResourceType): ResourceInfo {
    const info = this.registry.find(type);
    if (!info) throw new StoreError(404, 'NotFound', 'the server could not find the requested resource');
    return info;
  }

  // ---- writes ----

  create(type: ResourceType, input: KubeObject, _opts: WriteOptions = {}): KubeObject {
    const info = this.info(type);
    const obj = clone(input);
    obj.metadata = { ...(obj.metadata ?? {}) } as KubeObject['metadata'];
    if (!obj.metadata.name && obj.metadata.generateName) {
      obj.metadata.name = `${obj.metadata.generateName}${randomUUID().replace(/-/g, '').slice(0, 5)}`;
    }
    if (!obj.metadata.name) throw new StoreError(422, 'Invalid', `${info.kind} "" is invalid: metadata.name: Required value: name or generateName is required`);
    if (info.namespaced) {
      obj.metadata.namespace = obj.metadata.namespace || 'default';
      this.requireLiveNamespace(obj.metadata.namespace);
    } else {
      delete obj.metadata.namespace;
    }
    const key = this.key(info, obj.metadata.namespace, obj.metadata.name);
    if (this.bucket(info).has(key)) {
      throw new StoreError(409, 'AlreadyExists', `${qualifiedResource(info)} "${obj.metadata.name}" already exists`);
    }
    if (info.kind === 'CustomResourceDefinition') this.checkCrd(obj);
    obj.apiVersion = apiVersionOf(info.group, info.version);
    obj.kind = info.kind;
    obj.metadata.uid = randomUUID();
    obj.metadata.creationTimestamp = this.timestamp();
    obj.metadata.generation = 1;
    delete obj.metadata.deletionTimestamp;
    applyCreateDefaults(info.kind, obj, this.ips);
    this.admit(info, 'CREATE', obj, undefined);
    return this.commit(info, type, undefined, obj);
  }

  update(type: ResourceType, input: KubeObject, opts: WriteOptions = {}): KubeObject {
    const info = this.info(type);
    const existing = this.mustGet(info, input.metadata?.namespace, input.metadata?.name);
    this.checkPrecondition(info, existing, input);
    const next = clone(input);
    next.metadata = { ...next.metadata, ...this.identity(existing) };
    if (info.subresources.includes('status')) next['status'] = clone(existing['status']);
    if (info.kind === 'CustomResourceDefinition') {
      this.checkCrd(next);
      crdStatus(next);
    }
    this.admit(info, 'UPDATE', next, existing);
    return this.commit(info, type, existing, next, opts.fieldManager);
  }

  updateStatus(type: ResourceType, namespace: string | undefined, name: string, status: unknown, opts: WriteOptions = {}): KubeObject {
    const info = this.info(type);
    const existing = this.mustGet(info, namespace, name);
    const next = clone(existing);
    next['status'] = clone(status);
    return this.commit(info, type, existing, next, opts.fieldManager);
  }

  apply(type: ResourceType, input: KubeObject, fieldManager: string, force = false): KubeObject {
    const info = this.info(type);
    const namespace = info.namespaced ? input.metadata?.namespace || 'default' : undefined;
    const name = input.metadata?.name;
    if (!name) throw new StoreError(422, 'Invalid', `${info.kind} "" is invalid: metadata.name: Required value: name is required`);
    const existing = this.bucket(info).get(this.key(info, namespace, name));
    if (existing) this.checkPrecondition(info, existing, input);
    const merged = serverSideApply({
      live: existing as JsonMap | undefined,
      applied: { ...clone(input), metadata: { ...clone(input.metadata), name, ...(namespace ? { namespace } : {}) } } as unknown as JsonMap,
      manager: fieldManager,
      force,
      apiVersion: apiVersionOf(type.group, type.version),
      now: this.timestamp(),
      ignoreStatus: info.subresources.includes('status'),
    }) as unknown as KubeObject;
    if (!existing) {
      const managedFields = merged.metadata.managedFields;
      const created = this.create(type, merged);
      if (!managedFields) return created;
      // create() started a fresh object; keep the ownership computed by apply.
      const stored = this.mustGet(info, created.metadata.namespace, created.metadata.name);
      stored.metadata.managedFields = managedFields;
      return this.present(info, type, stored);
    }
    merged.metadata = { ...merged.metadata, ...this.identity(existing) };
    if (info.kind === 'CustomResourceDefinition') {
      this.checkCrd(merged);
      crdStatus(merged);
    }
    this.admit(info, 'UPDATE', merged, existing);
    return this.commit(info, type, existing, merged);
  }

  delete(type: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    const info = this.info(type);
    const existing = this.bucket(info).get(this.key(info, namespace, name));
    if (!existing) return undefined;
    if (info.kind === 'Namespace') return this.terminateNamespace(info, type, existing);
    const finalizers = existing.metadata['finalizers'];
    if (Array.isArray(finalizers) && finalizers.length > 0) {
      if (existing.metadata.deletionTimestamp) return this.present(info, type, existing);
      const next = clone(existing);
      next.metadata.deletionTimestamp = this.timestamp();
      return this.commit(info, type, existing, next);
    }
    return this.remove(info, type, existing);
  }

  // ---- watch ----

  watch(type: ResourceType, opts: WatchOptions, onEvent: (type: WatchEventType, obj: KubeObject) => void): () => void {
    const info = this.info(type);
    const matches = makeMatcher(info.namespaced ? opts : { ...opts, namespace: undefined });
    const from = opts.resourceVersion;
    const storageKey = storageKeyOf(info);
    let replay: StoredEvent[] | undefined;
    if (from !== undefined && from !== '' && from !== '0') {
      const n = Number(from);
      if (!Number.isInteger(n) || n < 0) throw new StoreError(400, 'BadRequest', `invalid resource version "${from}"`);
      if (n < this.compactedRv) {
        throw new StoreError(410, 'Expired', `too old resource version: ${n} (${this.compactedRv + 1})`);
      }
      replay = this.history.filter((e) => e.rv > n && e.storageKey === storageKey);
    }
    const watcher: Watcher = { storageKey, info, matches, onEvent, closed: false };
    this.watchers.add(watcher);
    if (replay) {
      for (const e of replay) this.deliver(watcher, type, e);
    } else {
      // No resourceVersion: like the real server, start with the current state as ADDED events.
      const current = [...this.bucket(info).entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, o]) => o);
      for (const obj of current.filter(matches)) this.enqueue(watcher, 'ADDED', this.present(info, type, obj));
    }
    this.drain();
    return () => {
      watcher.closed = true;
      this.watchers.delete(watcher);
    };
  }

  // ---- persistence ----

  /** Writes the whole cluster state as JSON, atomically (temp file then rename). */
  save(file: string): void {
    const state: PersistedState = { resourceVersion: this.rv, objects: [] };
    for (const [storageKey, bucket] of this.buckets) {
      const slash = storageKey.indexOf('/');
      for (const object of bucket.values()) {
        state.objects.push({ group: storageKey.slice(0, slash), resource: storageKey.slice(slash + 1), object });
      }
    }
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(state));
    renameSync(tmp, file);
  }

  /** Replaces the state with a saved one. Watches from before the load get 410 Expired. */
  load(file: string): void {
    const state = JSON.parse(readFileSync(file, 'utf8')) as PersistedState;
    this.buckets.clear();
    for (const info of this.registry.all().filter((r) => r.custom)) this.registry.removeCrd(`${info.resource}.${info.group}`);
    const crds = state.objects.filter((o) => o.group === CRD_TYPE.group && o.resource === CRD_TYPE.resource);
    for (const { object } of crds) this.registry.setCrd(object.metadata.name, resourcesFromCrd(object));
    for (const { group, resource, object } of state.objects) {
      const key = object.metadata.namespace ? `${object.metadata.namespace}/${object.metadata.name}` : `/${object.metadata.name}`;
      const bucket = this.buckets.get(storageKeyOf({ group, resource })) ?? new Map<string, KubeObject>();
      bucket.set(key, object);
      this.buckets.set(storageKeyOf({ group, resource }), bucket);
    }
    this.rv = Math.max(this.rv, state.resourceVersion);
    this.history = [];
    this.compactedRv = this.rv;
    for (const ns of this.bucket(this.info(NAMESPACE_TYPE)).values()) {
      if (ns.metadata.deletionTimestamp) this.scheduleNamespaceFinalization(ns.metadata.name);
    }
  }

  /** Stops pending timers (namespace termination). */
  close(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const w of this.watchers) w.closed = true;
    this.watchers.clear();
  }

  // ---- internals ----

  private bucket(info: { group: string; resource: string }): Map<string, KubeObject> {
    const k = storageKeyOf(info);
    let b = this.buckets.get(k);
    if (!b) {
      b = new Map();
      this.buckets.set(k, b);
    }
    return b;
  }

  private key(info: ResourceInfo, namespace: string | undefined, name: string): string {
    return info.namespaced ? `${namespace || 'default'}/${name}` : `/${name}`;
  }

  private mustGet(info: ResourceInfo, namespace: string | undefined, name: string | undefined): KubeObject {
    const obj = name ? this.bucket(info).get(this.key(info, namespace, name)) : undefined;
    if (!obj) throw new StoreError(404, 'NotFound', `${qualifiedResource(info)} "${name ?? ''}" not found`);
    return obj;
  }

  private identity(existing: KubeObject): Partial<KubeObject['metadata']> {
    const m = existing.metadata;
    return {
      name: m.name,
      ...(m.namespace ? { namespace: m.namespace } : {}),
      uid: m.uid,
      creationTimestamp: m.creationTimestamp,
      ...(m.deletionTimestamp ? { deletionTimestamp: m.deletionTimestamp } : {}),
    };
  }

  private checkPrecondition(info: ResourceInfo, existing: KubeObject, input: KubeObject): void {
    const want = input.metadata?.resourceVersion;
    if (want && want !== existing.metadata.resourceVersion) {
      throw new StoreError(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedResource(info)} "${existing.metadata.name}": the object has been modified; please apply your changes to the latest version and try again`);
    }
  }

  private requireLiveNamespace(namespace: string): void {
    const ns = this.bucket(NAMESPACE_TYPE).get(`/${namespace}`);
    if (!ns) throw new StoreError(404, 'NotFound', `namespaces "${namespace}" not found`);
    if (ns.metadata.deletionTimestamp) {
      throw new StoreError(403, 'Forbidden', `unable to create new content in namespace ${namespace} because it is being terminated`);
    }
  }

  /** Validating admission (ValidatingAdmissionPolicy, sim/apiserver/admission.ts) of a write before it is stored. */
  private admit(info: ResourceInfo, op: Operation, obj: KubeObject, old: KubeObject | undefined): void {
    admit((t) => {
      const i = this.registry.find(t);
      return i ? [...this.bucket(i).values()] : [];
    }, info, op, obj, old);
  }

  private checkCrd(obj: KubeObject): void {
    const infos = resourcesFromCrd(obj);
    if (infos.length === 0) throw new StoreError(422, 'Invalid', `CustomResourceDefinition.apiextensions.k8s.io "${obj.metadata.name}" is invalid: spec: group, names.plural, names.kind and a served version are required`);
    const first = infos[0];
    if (first && obj.metadata.name !== `${first.resource}.${first.group}`) {
      throw new StoreError(422, 'Invalid', `CustomResourceDefinition.apiextensions.k8s.io "${obj.metadata.name}" is invalid: metadata.name: Invalid value: "${obj.metadata.name}": must be spec.names.plural+"."+spec.group`);
    }
  }

  private timestamp(): string {
    return this.now().toISOString().replace(/\.\d+Z$/, 'Z');
  }

  /** The object as seen through `type`'s version (storage is shared between versions). */
  private present(info: ResourceInfo, type: ResourceType, obj: KubeObject): KubeObject {
    const out = clone(obj);
    out.apiVersion = apiVersionOf(type.group, type.version);
    out.kind = info.kind;
    return out;
  }

  private commit(info: ResourceInfo, type: ResourceType, prev: KubeObject | undefined, input: KubeObject, fieldManager?: string): KubeObject {
    const next = clone(input);
    next.apiVersion = prev?.apiVersion ?? apiVersionOf(info.group, info.version);
    next.kind = info.kind;
    if (prev) {
      const strip = (o: KubeObject): unknown => ({ ...o, metadata: undefined, status: undefined, apiVersion: undefined });
      next.metadata.generation = (prev.metadata.generation ?? 1) + (deepEqual(strip(prev), strip(next)) ? 0 : 1);
      if (fieldManager) {
        next.metadata.managedFields = recordUpdate(prev as JsonMap, next as JsonMap, fieldManager,
          apiVersionOf(type.group, type.version), this.timestamp(), info.subresources.includes('status'));
      }
      next.metadata.resourceVersion = prev.metadata.resourceVersion;
      if (deepEqual(prev, next)) return this.present(info, type, prev);
      const finalizers = next.metadata['finalizers'];
      if (next.metadata.deletionTimestamp && (!Array.isArray(finalizers) || finalizers.length === 0) && info.kind !== 'Namespace') {
        return this.remove(info, type, next);
      }
    }
    next.metadata.resourceVersion = String(++this.rv);
    this.bucket(info).set(this.key(info, next.metadata.namespace, next.metadata.name), next);
    if (info.kind === 'CustomResourceDefinition') this.registry.setCrd(next.metadata.name, resourcesFromCrd(next));
    this.emit(info, prev ? 'MODIFIED' : 'ADDED', next, prev);
    return this.present(info, type, next);
  }

  private remove(info: ResourceInfo, type: ResourceType, existing: KubeObject): KubeObject {
    this.bucket(info).delete(this.key(info, existing.metadata.namespace, existing.metadata.name));
    const gone = clone(existing);
    gone.metadata.resourceVersion = String(++this.rv);
    this.emit(info, 'DELETED', gone);
    if (info.kind === 'CustomResourceDefinition') {
      // The type goes away with its objects.
      const served = this.registry.removeCrd(existing.metadata.name);
      const first = served[0];
      if (first) {
        for (const obj of [...this.bucket(first).values()]) this.remove(first, first, obj);
      }
    }
    this.collectDependents(existing.metadata.uid);
    return this.present(info, type, gone);
  }

  /** Garbage collection: objects owned (ownerReferences) by a deleted object are deleted too. */
  private collectDependents(uid: string | undefined): void {
    if (!uid) return;
    for (const [storageKey, bucket] of [...this.buckets]) {
      for (const obj of [...bucket.values()]) {
        if (!obj.metadata.ownerReferences?.some((r) => r.uid === uid)) continue;
        const slash = storageKey.indexOf('/');
        const info = this.registry.findAnyVersion(storageKey.slice(0, slash), storageKey.slice(slash + 1));
        if (info && bucket.has(this.key(info, obj.metadata.namespace, obj.metadata.name))) this.delete(info, obj.metadata.namespace, obj.metadata.name);
      }
    }
  }

  private terminateNamespace(info: ResourceInfo, type: ResourceType, existing: KubeObject): KubeObject {
    if (existing.metadata.deletionTimestamp) return this.present(info, type, existing);
    const next = clone(existing);
    next.metadata.deletionTimestamp = this.timestamp();
    next['status'] = { phase: 'Terminating' };
    const out = this.commit(info, type, existing, next);
    this.scheduleNamespaceFinalization(existing.metadata.name);
    return out;
  }

  private scheduleNamespaceFinalization(name: string): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.finalizeNamespace(name);
    }, this.namespaceTerminationMs);
    timer.unref();
    this.timers.add(timer);
  }

  private finalizeNamespace(name: string): void {
    for (const [storageKey, bucket] of [...this.buckets]) {
      const slash = storageKey.indexOf('/');
      const info = this.registry.findAnyVersion(storageKey.slice(0, slash), storageKey.slice(slash + 1));
      if (!info?.namespaced) continue;
      for (const obj of [...bucket.values()]) {
        if (obj.metadata.namespace === name && bucket.has(this.key(info, name, obj.metadata.name))) this.remove(info, info, obj);
      }
    }
    const nsInfo = this.info(NAMESPACE_TYPE);
    const ns = this.bucket(nsInfo).get(`/${name}`);
    if (ns) this.remove(nsInfo, NAMESPACE_TYPE, ns);
  }

  private emit(info: ResourceInfo, type: StoredEvent['type'], obj: KubeObject, prev?: KubeObject): void {
    const event: StoredEvent = { rv: this.rv, storageKey: storageKeyOf(info), type, obj, ...(prev ? { prev } : {}) };
    this.history.push(event);
    while (this.history.length > this.historyLimit) {
      const dropped = this.history.shift();
      if (dropped) this.compactedRv = dropped.rv;
    }
    for (const w of this.watchers) {
      if (w.storageKey === event.storageKey) this.deliver(w, w.info, event);
    }
    this.drain();
  }

  /** Translates a stored event for one watcher: objects entering/leaving its selection become ADDED/DELETED. */
  private deliver(w: Watcher, type: ResourceType, e: StoredEvent): void {
    const now = w.matches(e.obj);
    const before = e.prev ? w.matches(e.prev) : false;
    let kind: WatchEventType | undefined;
    if (e.type === 'ADDED') kind = now ? 'ADDED' : undefined;
    else if (e.type === 'DELETED') kind = now ? 'DELETED' : undefined;
    else kind = now && before ? 'MODIFIED' : now ? 'ADDED' : before ? 'DELETED' : undefined;
    if (kind) this.enqueue(w, kind, this.present(w.info, { ...type, version: w.info.version }, e.obj));
  }

  private enqueue(w: Watcher, type: WatchEventType, obj: KubeObject): void {
    this.queue.push(() => {
      if (!w.closed) w.onEvent(type, obj);
    });
  }

  /** Delivers queued events in order; a callback that writes to the store just appends to the queue. */
  private drain(): void {
    if (this.draining) return;
    this.draining = true;
    try {
      for (let next = this.queue.shift(); next; next = this.queue.shift()) {
        try {
          next();
        } catch {
          // A failing watcher must not break the store or other watchers.
        }
      }
    } finally {
      this.draining = false;
    }
  }
}
