// Fidelity: @kubernetes/client-node 2.x (what the app uses) against the simulated API server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, connect, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { PassThrough, Writable } from 'node:stream';
import * as k8s from '@kubernetes/client-node';
import { SIM_PORTS_ANNOTATION } from './types.js';
import { PODS, podObject, runningStatus, startHarness, type Harness } from './test-harness.js';

let h: Harness;
let kc: k8s.KubeConfig;
beforeAll(async () => {
  h = await startHarness({ bookmarkIntervalMs: 100 });
  kc = new k8s.KubeConfig();
  kc.loadFromFile(h.kubeconfig);
});
afterAll(async () => {
  await h.close();
});

const CMS = { group: '', version: 'v1', resource: 'configmaps' };

async function eventually(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

function collector(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      text += chunk.toString();
      cb();
    },
  });
  return { stream, text: () => text };
}

describe('@kubernetes/client-node against the simulated API server', () => {
  it('informer sees add, update and delete', async () => {
    const api = kc.makeApiClient(k8s.CoreV1Api);
    const informer = k8s.makeInformer(kc, '/api/v1/namespaces/default/configmaps',
      () => api.listNamespacedConfigMap({ namespace: 'default' }));
    const seen: string[] = [];
    informer.on('add', (o) => seen.push(`add ${o.metadata?.name ?? ''} ${JSON.stringify(o.data ?? {})}`));
    informer.on('update', (o) => seen.push(`update ${o.metadata?.name ?? ''} ${JSON.stringify(o.data ?? {})}`));
    informer.on('delete', (o) => seen.push(`delete ${o.metadata?.name ?? ''}`));
    h.store.create(CMS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'before', namespace: 'default' }, data: { a: '1' } });
    await informer.start();
    await eventually(() => seen.includes('add before {"a":"1"}'));
    h.store.create(CMS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'inf', namespace: 'default' }, data: { a: '1' } });
    await eventually(() => seen.includes('add inf {"a":"1"}'));
    const live = h.store.get(CMS, 'default', 'inf');
    if (!live) throw new Error('missing');
    h.store.update(CMS, { ...live, data: { a: '2' } });
    await eventually(() => seen.includes('update inf {"a":"2"}'));
    h.store.delete(CMS, 'default', 'inf');
    await eventually(() => seen.includes('delete inf'));
    await informer.stop();
    expect(seen).toEqual(['add before {"a":"1"}', 'add inf {"a":"1"}', 'update inf {"a":"2"}', 'delete inf']);
  });

  it('sends BOOKMARK events at the configured interval only when allowed', async () => {
    const watch = new k8s.Watch(kc);
    const types: string[] = [];
    const rvs: string[] = [];
    const withBookmarks = await watch.watch('/api/v1/namespaces/default/pods', { allowWatchBookmarks: true, resourceVersion: h.store.resourceVersion() },
      (type: string, obj: { metadata?: { resourceVersion?: string } }) => {
        types.push(type);
        rvs.push(obj.metadata?.resourceVersion ?? '');
      }, () => undefined);
    const plainTypes: string[] = [];
    const plain = await watch.watch('/api/v1/namespaces/default/pods', { resourceVersion: h.store.resourceVersion() },
      (type: string) => plainTypes.push(type), () => undefined);
    await new Promise((r) => setTimeout(r, 650));
    withBookmarks.abort();
    plain.abort();
    const bookmarks = types.filter((t) => t === 'BOOKMARK').length;
    expect(bookmarks).toBeGreaterThanOrEqual(4);
    expect(bookmarks).toBeLessThanOrEqual(8);
    expect(rvs.at(-1)).toBe(h.store.resourceVersion());
    expect(plainTypes).toEqual([]);
  });

  it('follows a pod log until the pod is deleted', async () => {
    h.store.create(PODS, podObject('cn-logger', {}, ['main']));
    h.appendLog('default', 'cn-logger', 'main', ['old', 'recent']);
    const out = collector();
    const ended = new Promise<void>((r) => out.stream.on('finish', () => r()));
    // No abort(): client-node 2.0.1 pipes the response without an error listener, so aborting a followed
    // log raises an uncaught AbortError in the client. The server ending the stream is the clean way out.
    await new k8s.Log(kc).log('default', 'cn-logger', 'main', out.stream, { follow: true, tailLines: 1 });
    await eventually(() => out.text() === 'recent\n');
    h.appendLog('default', 'cn-logger', 'main', ['fresh']);
    await eventually(() => out.text() === 'recent\nfresh\n');
    h.store.delete(PODS, 'default', 'cn-logger');
    await ended;
  });

  it('reports the container choice error when a pod has several containers', async () => {
    h.store.create(PODS, podObject('two', {}, ['a', 'b']));
    const res = await fetch(`${h.server.url}/api/v1/namespaces/default/pods/two/log`);
    expect(res.status).toBe(400);
    const body = await res.json() as { kind: string; reason: string; message: string };
    expect(body).toMatchObject({ kind: 'Status', reason: 'BadRequest', message: 'a container name must be specified for pod two, choose one of: [a b]' });
  });

  describe('port-forward', () => {
    let echo: Server;
    let echoPort = 0;
    beforeAll(async () => {
      echo = createServer((s) => s.pipe(s));
      await new Promise<void>((r) => echo.listen(0, '127.0.0.1', () => r()));
      echoPort = (echo.address() as AddressInfo).port;
    });
    afterAll(async () => {
      await new Promise<void>((r) => echo.close(() => r()));
    });

    it('carries bytes both ways to the local port named by the pod annotation', async () => {
      const pod = podObject('pf', {}, ['main']);
      pod.metadata.annotations = { [SIM_PORTS_ANNOTATION]: JSON.stringify({ 8000: echoPort }) };
      h.store.create(PODS, pod);
      h.store.updateStatus(PODS, 'default', 'pf', runningStatus(['main'], true));
      const forward = new k8s.PortForward(kc);
      const local = createServer((socket) => {
        void forward.portForward('default', 'pf', [8000], socket, null, socket);
      });
      await new Promise<void>((r) => local.listen(0, '127.0.0.1', () => r()));
      const client = connect((local.address() as AddressInfo).port, '127.0.0.1');
      let received = '';
      client.on('data', (d: Buffer) => {
        received += d.toString();
      });
      client.write('hello through the tunnel');
      await eventually(() => received === 'hello through the tunnel');
      client.write(' and again');
      await eventually(() => received === 'hello through the tunnel and again');
      client.destroy();
      await new Promise<void>((r) => local.close(() => r()));
    });

    it('reports a pod that is not running on the error stream', async () => {
      const pod = podObject('pf-pending', {}, ['main']);
      pod.metadata.annotations = { [SIM_PORTS_ANNOTATION]: JSON.stringify({ 8000: echoPort }) };
      h.store.create(PODS, pod);
      const out = collector();
      const err = collector();
      const ws = await new k8s.PortForward(kc).portForward('default', 'pf-pending', [8000], out.stream, err.stream, new PassThrough());
      await eventually(() => err.text().includes('is not running'));
      expect(err.text()).toBe('unable to upgrade connection: pod pf-pending is not running (phase Pending)');
      expect(out.text()).toBe('');
      if (typeof ws !== 'function') ws.close();
    });
  });

  it('creates and updates through KubernetesObjectApi server-side apply', async () => {
    const client = k8s.KubernetesObjectApi.makeApiClient(kc);
    const spec: k8s.KubernetesObject & { data: Record<string, string> } = {
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ssa-cn', namespace: 'default' }, data: { k: 'one', gone: 'soon' },
    };
    const created = await client.patch(spec, undefined, undefined, 'llmd-installer', true, k8s.PatchStrategy.ServerSideApply);
    expect(created.metadata?.uid).toBeTruthy();
    const updated = await client.patch({ ...spec, data: { k: 'two' } }, undefined, undefined, 'llmd-installer', true, k8s.PatchStrategy.ServerSideApply);
    expect((updated as unknown as { data: unknown }).data).toEqual({ k: 'two' });
    expect(updated.metadata?.uid).toBe(created.metadata?.uid);
  });

  it('surfaces 404 and 409 as ApiException with the status code', async () => {
    const api = kc.makeApiClient(k8s.CoreV1Api);
    const notFound = await api.readNamespacedPod({ name: 'nope', namespace: 'default' }).catch((e: unknown) => e);
    expect(notFound).toBeInstanceOf(k8s.ApiException);
    expect((notFound as k8s.ApiException<string>).code).toBe(404);
    const body = { metadata: { name: 'dup' } };
    await api.createNamespacedConfigMap({ namespace: 'default', body });
    const conflict = await api.createNamespacedConfigMap({ namespace: 'default', body }).catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(k8s.ApiException);
    expect((conflict as k8s.ApiException<string>).code).toBe(409);
    expect(String((conflict as k8s.ApiException<string>).body)).toContain('configmaps \\"dup\\" already exists');
  });
});
