import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { InMemoryStore } from './store.js';
import { CRD_TYPE, NAMESPACE_TYPE } from './resources.js';
import { StoreError, type KubeObject, type WatchEventType } from './types.js';

const PODS = { group: '', version: 'v1', resource: 'pods' };
const CMS = { group: '', version: 'v1', resource: 'configmaps' };
const DEPLOYS = { group: 'apps', version: 'v1', resource: 'deployments' };
const WIDGETS = { group: 'example.com', version: 'v1', resource: 'widgets' };

const stores: InMemoryStore[] = [];
const newStore = (opts: ConstructorParameters<typeof InMemoryStore>[0] = {}): InMemoryStore => {
  const s = new InMemoryStore({ namespaceTerminationMs: 20, ...opts });
  stores.push(s);
  return s;
};
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
});

const cm = (name: string, data: Record<string, string> = {}, labels: Record<string, string> = {}, namespace = 'default'): KubeObject =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, ...(Object.keys(labels).length > 0 ? { labels } : {}) }, data });
const pod = (name: string, labels: Record<string, string> = {}, extra: Record<string, unknown> = {}): KubeObject =>
  ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels }, spec: { containers: [{ name: 'c', image: 'i' }] }, ...extra });
const widgetCrd: KubeObject = {
  apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' },
  spec: { group: 'example.com', scope: 'Namespaced', names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
    versions: [{ name: 'v1', served: true, storage: true }] },
};

function thrown(fn: () => unknown): StoreError {
  try {
    fn();
  } catch (e) {
    if (e instanceof StoreError) return e;
    throw e;
  }
  throw new Error('expected a StoreError');
}

describe('InMemoryStore basics', () => {
  it('starts with the default namespaces and assigns identity on create', () => {
    const s = newStore();
    expect(s.list(NAMESPACE_TYPE).items.map((n) => n.metadata.name)).toEqual(['default', 'kube-node-lease', 'kube-public', 'kube-system']);
    const before = Number(s.resourceVersion());
    const created = s.create(CMS, cm('a'));
    expect(Number(created.metadata.resourceVersion)).toBe(before + 1);
    expect(created.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(created.metadata.generation).toBe(1);
    expect(s.get(CMS, 'default', 'a')?.metadata.uid).toBe(created.metadata.uid);
  });

  it('rejects duplicates, missing namespaces and stale resourceVersions', () => {
    const s = newStore();
    const a = s.create(CMS, cm('a'));
    expect(thrown(() => s.create(CMS, cm('a')))).toMatchObject({ status: 409, reason: 'AlreadyExists', message: 'configmaps "a" already exists' });
    expect(thrown(() => s.create(CMS, cm('b', {}, {}, 'nope')))).toMatchObject({ status: 404, message: 'namespaces "nope" not found' });
    s.update(CMS, { ...a, data: { x: '1' } });
    expect(thrown(() => s.update(CMS, { ...a, data: { x: '2' } }))).toMatchObject({ status: 409, reason: 'Conflict' });
    expect(thrown(() => s.update(CMS, cm('missing')))).toMatchObject({ status: 404, message: 'configmaps "missing" not found' });
  });

  it('does not bump the resourceVersion for a no-op update; bumps generation only on spec changes', () => {
    const s = newStore();
    const d = s.create(DEPLOYS, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'default' }, spec: { replicas: 1 } });
    const same = s.update(DEPLOYS, d);
    expect(same.metadata.resourceVersion).toBe(d.metadata.resourceVersion);
    const labelled = s.update(DEPLOYS, { ...same, metadata: { ...same.metadata, labels: { a: 'b' } } });
    expect(labelled.metadata.generation).toBe(1);
    const scaled = s.update(DEPLOYS, { ...labelled, spec: { ...(labelled['spec'] as object), replicas: 3 } });
    expect(scaled.metadata.generation).toBe(2);
    // The status subresource is separate: update() keeps status, updateStatus() changes only status.
    const withStatus = s.updateStatus(DEPLOYS, 'default', 'd', { readyReplicas: 3 });
    expect(withStatus.metadata.generation).toBe(2);
    const ignored = s.update(DEPLOYS, { ...withStatus, status: { readyReplicas: 0 } });
    expect(ignored['status']).toEqual({ readyReplicas: 3 });
  });

  it('defaults pods, services and secrets like the API server', () => {
    const s = newStore();
    expect(s.create(PODS, pod('p'))['status']).toMatchObject({ phase: 'Pending' });
    const svc = s.create({ group: '', version: 'v1', resource: 'services' },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'default' }, spec: { ports: [{ port: 80 }] } });
    expect(svc['spec']).toMatchObject({ type: 'ClusterIP', ports: [{ port: 80, targetPort: 80, protocol: 'TCP' }] });
    expect((svc['spec'] as { clusterIP: string }).clusterIP).toMatch(/^10\.96\./);
    const secret = s.create({ group: '', version: 'v1', resource: 'secrets' },
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x', namespace: 'default' }, stringData: { token: 'abc' } });
    expect(secret['data']).toEqual({ token: 'YWJj' });
    expect(secret['stringData']).toBeUndefined();
  });

  it('generates names from generateName', () => {
    const s = newStore();
    const created = s.create(CMS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: '', generateName: 'gen-', namespace: 'default' } });
    expect(created.metadata.name).toMatch(/^gen-[0-9a-f]{5}$/);
  });
});

describe('selectors', () => {
  it('supports =, ==, !=, in, notin, exists and !key label requirements', () => {
    const s = newStore();
    s.create(CMS, cm('a', {}, { app: 'web', tier: 'front' }));
    s.create(CMS, cm('b', {}, { app: 'web', tier: 'back' }));
    s.create(CMS, cm('c', {}, { app: 'db' }));
    const names = (labelSelector: string): string[] => s.list(CMS, { namespace: 'default', labelSelector }).items.map((o) => o.metadata.name);
    expect(names('app=web')).toEqual(['a', 'b']);
    expect(names('app==db')).toEqual(['c']);
    expect(names('app!=web')).toEqual(['c']);
    expect(names('tier in (front, other)')).toEqual(['a']);
    expect(names('app=web,tier notin (front)')).toEqual(['b']);
    expect(names('tier')).toEqual(['a', 'b']);
    expect(names('!tier')).toEqual(['c']);
    expect(thrown(() => names('a b c'))).toMatchObject({ status: 400 });
  });

  it('supports field selectors on metadata and dotted paths', () => {
    const s = newStore();
    s.create(PODS, pod('p1'));
    s.create(PODS, pod('p2'));
    s.updateStatus(PODS, 'default', 'p2', { phase: 'Running' });
    const ev = (name: string, target: string): KubeObject => ({ apiVersion: 'v1', kind: 'Event', metadata: { name, namespace: 'default' },
      involvedObject: { kind: 'Pod', name: target, namespace: 'default' } });
    const EVENTS = { group: '', version: 'v1', resource: 'events' };
    s.create(EVENTS, ev('e1', 'p1'));
    s.create(EVENTS, ev('e2', 'p2'));
    const names = (type: typeof PODS, fieldSelector: string): string[] => s.list(type, { fieldSelector }).items.map((o) => o.metadata.name);
    expect(names(PODS, 'metadata.name=p1')).toEqual(['p1']);
    expect(names(PODS, 'status.phase=Running,metadata.namespace=default')).toEqual(['p2']);
    expect(names(PODS, 'status.phase!=Running')).toEqual(['p1']);
    expect(names(EVENTS, 'involvedObject.name=p2,involvedObject.namespace=default')).toEqual(['e2']);
  });
});

describe('watch', () => {
  const record = (s: InMemoryStore, opts: Parameters<InMemoryStore['watch']>[1], type = CMS): { events: string[]; stop: () => void } => {
    const events: string[] = [];
    const stop = s.watch(type, opts, (t: WatchEventType, o) => events.push(`${t} ${o.metadata.name}`));
    return { events, stop };
  };

  it('starts with ADDED for existing objects when no resourceVersion is given, then streams changes', () => {
    const s = newStore();
    s.create(CMS, cm('a'));
    const w = record(s, { namespace: 'default' });
    const b = s.create(CMS, cm('b'));
    s.update(CMS, { ...b, data: { k: 'v' } });
    s.delete(CMS, 'default', 'a');
    w.stop();
    s.create(CMS, cm('after-stop'));
    expect(w.events).toEqual(['ADDED a', 'ADDED b', 'MODIFIED b', 'DELETED a']);
  });

  it('replays history after a resourceVersion and answers 410 when it is too old', () => {
    const s = newStore({ historyLimit: 3 });
    s.create(CMS, cm('a'));
    const rv = s.resourceVersion();
    s.create(CMS, cm('b'));
    s.create(CMS, cm('c'));
    const w = record(s, { resourceVersion: rv });
    expect(w.events).toEqual(['ADDED b', 'ADDED c']);
    s.create(CMS, cm('d'));
    s.create(CMS, cm('e'));
    expect(thrown(() => s.watch(CMS, { resourceVersion: rv }, () => undefined))).toMatchObject({ status: 410, reason: 'Expired' });
  });

  it('turns objects entering or leaving a selection into ADDED and DELETED', () => {
    const s = newStore();
    const a = s.create(CMS, cm('a', {}, { app: 'x' }));
    const w = record(s, { labelSelector: 'app=y', resourceVersion: s.resourceVersion() });
    const moved = s.update(CMS, { ...a, metadata: { ...a.metadata, labels: { app: 'y' } } });
    const edited = s.update(CMS, { ...moved, data: { k: '1' } });
    s.update(CMS, { ...edited, metadata: { ...edited.metadata, labels: { app: 'z' } } });
    expect(w.events).toEqual(['ADDED a', 'MODIFIED a', 'DELETED a']);
  });

  it('delivers events in order even when a watcher writes to the store from its callback', () => {
    const s = newStore();
    const order: string[] = [];
    s.watch(CMS, { resourceVersion: s.resourceVersion() }, (t, o) => {
      order.push(`first ${t} ${o.metadata.name}`);
      if (o.metadata.name === 'a' && t === 'ADDED') s.create(CMS, cm('b'));
    });
    s.watch(CMS, { resourceVersion: s.resourceVersion() }, (t, o) => order.push(`second ${t} ${o.metadata.name}`));
    s.create(CMS, cm('a'));
    expect(order).toEqual(['first ADDED a', 'second ADDED a', 'first ADDED b', 'second ADDED b']);
  });
});

describe('server-side apply', () => {
  it('creates, merges maps, merges containers by name, and removes fields the manager stopped applying', () => {
    const s = newStore();
    const applied = (spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'default' }, spec });
    const created = s.apply(DEPLOYS, applied({ replicas: 2, template: { spec: { containers: [{ name: 'a', image: 'a:1', args: ['x'] }] } } }), 'me');
    expect(created.metadata.managedFields).toHaveLength(1);
    // Another writer adds a sidecar container; my next apply must keep it.
    const live = s.get(DEPLOYS, 'default', 'd') as KubeObject;
    const spec = live['spec'] as { template: { spec: { containers: unknown[] } } };
    spec.template.spec.containers.push({ name: 'side', image: 's:1' });
    s.update(DEPLOYS, live, { fieldManager: 'controller' });
    const next = s.apply(DEPLOYS, applied({ template: { spec: { containers: [{ name: 'a', image: 'a:2' }] } } }), 'me');
    const nextSpec = next['spec'] as Record<string, unknown> & { template: { spec: { containers: Array<Record<string, unknown>> } } };
    expect(nextSpec.template.spec.containers).toEqual([{ name: 'a', image: 'a:2' }, { name: 'side', image: 's:1' }]);
    expect(nextSpec['replicas']).toBeUndefined();
  });

  it('conflicts when another manager owns a changed field, unless forced', () => {
    const s = newStore();
    s.apply(CMS, cm('c', { k: 'one' }), 'alice');
    const err = thrown(() => s.apply(CMS, cm('c', { k: 'two' }), 'bob'));
    expect(err).toMatchObject({ status: 409, reason: 'Conflict' });
    expect(err.message).toBe('Apply failed with 1 conflict: conflict with "alice" using v1: .data.k');
    expect(err.causes?.[0]).toMatchObject({ reason: 'FieldManagerConflict', field: '.data.k' });
    // Same value: shared ownership, no conflict.
    expect(s.apply(CMS, cm('c', { k: 'one' }), 'bob')['data']).toEqual({ k: 'one' });
    const forced = s.apply(CMS, cm('c', { k: 'two' }), 'carol', true);
    expect(forced['data']).toEqual({ k: 'two' });
    const managers = (forced.metadata.managedFields as Array<{ manager: string }>).map((m) => m.manager);
    expect(managers).toEqual(['carol']);
  });

  it('conflicts with a field last written by an update (e.g. kubectl scale)', () => {
    const s = newStore();
    s.apply(DEPLOYS, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'default' }, spec: { replicas: 1 } }, 'me');
    const live = s.get(DEPLOYS, 'default', 'd') as KubeObject;
    s.update(DEPLOYS, { ...live, spec: { ...(live['spec'] as object), replicas: 5 } }, { fieldManager: 'kubectl' });
    expect(thrown(() => s.apply(DEPLOYS, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'default' }, spec: { replicas: 1 } }, 'me')).message)
      .toContain('conflict with "kubectl"');
  });
});

describe('cascades and CRDs', () => {
  it('deleting a namespace marks it Terminating, then removes it and its content', async () => {
    const s = newStore();
    s.create(NAMESPACE_TYPE, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns1' } });
    s.create(CMS, cm('a', {}, {}, 'ns1'));
    s.create(CMS, cm('keep'));
    const terminating = s.delete(NAMESPACE_TYPE, undefined, 'ns1');
    expect(terminating?.['status']).toEqual({ phase: 'Terminating' });
    expect(thrown(() => s.create(CMS, cm('late', {}, {}, 'ns1')))).toMatchObject({ status: 403, reason: 'Forbidden' });
    await new Promise((r) => setTimeout(r, 60));
    expect(s.get(NAMESPACE_TYPE, undefined, 'ns1')).toBeUndefined();
    expect(s.get(CMS, 'ns1', 'a')).toBeUndefined();
    expect(s.get(CMS, 'default', 'keep')).toBeDefined();
  });

  it('garbage-collects objects whose owner is deleted', () => {
    const s = newStore();
    const d = s.create(DEPLOYS, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'default' }, spec: {} });
    const owner = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'd', uid: d.metadata.uid ?? '', controller: true };
    s.create(PODS, { ...pod('owned'), metadata: { name: 'owned', namespace: 'default', ownerReferences: [owner] } });
    s.create(PODS, pod('free'));
    s.delete(DEPLOYS, 'default', 'd');
    expect(s.get(PODS, 'default', 'owned')).toBeUndefined();
    expect(s.get(PODS, 'default', 'free')).toBeDefined();
  });

  it('keeps an object with finalizers until they are removed', () => {
    const s = newStore();
    s.create(CMS, { ...cm('f'), metadata: { name: 'f', namespace: 'default', finalizers: ['x/y'] } });
    const marked = s.delete(CMS, 'default', 'f');
    expect(marked?.metadata.deletionTimestamp).toBeTruthy();
    const live = s.get(CMS, 'default', 'f') as KubeObject;
    s.update(CMS, { ...live, metadata: { ...live.metadata, finalizers: [] } });
    expect(s.get(CMS, 'default', 'f')).toBeUndefined();
  });

  it('serves a CRD-defined type while the CRD exists', () => {
    const s = newStore();
    expect(thrown(() => s.list(WIDGETS))).toMatchObject({ status: 404 });
    const crd = s.create(CRD_TYPE, structuredClone(widgetCrd));
    expect((crd['status'] as { conditions: Array<{ type: string; status: string }> }).conditions)
      .toContainEqual(expect.objectContaining({ type: 'Established', status: 'True' }));
    s.create(WIDGETS, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'default' }, spec: { size: 1 } });
    expect(s.list(WIDGETS).items).toHaveLength(1);
    s.delete(CRD_TYPE, undefined, 'widgets.example.com');
    expect(thrown(() => s.list(WIDGETS))).toMatchObject({ status: 404 });
    s.create(CRD_TYPE, structuredClone(widgetCrd));
    expect(s.list(WIDGETS).items).toEqual([]);
  });
});

describe('persistence', () => {
  it('saves and loads the whole state, including CRD types; old watches expire', () => {
    const dir = mkdtempSync(join(tmpdir(), 'store-'));
    try {
      const s = newStore();
      s.create(CRD_TYPE, structuredClone(widgetCrd));
      s.create(WIDGETS, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'default' } });
      const a = s.create(CMS, cm('a', { k: 'v' }));
      const rv = s.resourceVersion();
      s.save(join(dir, 'state.json'));
      const t = newStore();
      t.load(join(dir, 'state.json'));
      expect(t.get(CMS, 'default', 'a')).toEqual(a);
      expect(t.list(WIDGETS).items.map((w) => w.metadata.name)).toEqual(['w']);
      expect(t.resourceVersion()).toBe(rv);
      expect(Number(t.create(CMS, cm('b')).metadata.resourceVersion)).toBe(Number(rv) + 1);
      expect(thrown(() => t.watch(CMS, { resourceVersion: '1' }, () => undefined))).toMatchObject({ status: 410 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
