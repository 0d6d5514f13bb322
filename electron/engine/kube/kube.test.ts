// The engine's Kubernetes layer against the simulated API server (sim/apiserver): kubeconfig context
// selection, server-side apply, informer-driven pod status and waiting, and the per-connection forward.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { InMemoryStore } from '../../../sim/apiserver/store.js';
import { startApiServer, type ApiServer } from '../../../sim/apiserver/server.js';
import { SIM_PORTS_ANNOTATION, type KubeObject } from '../../../sim/apiserver/types.js';
import { applyObjects, parseManifests } from './apply.js';
import { ClusterWatch } from './cluster-watch.js';
import { loadClusterConfig } from './kubeconfig.js';
import { startForwardServer } from '../forward/forward-server.js';

const PODS = { group: '', version: 'v1', resource: 'pods' };
const SERVICES = { group: '', version: 'v1', resource: 'services' };
let dir: string;
let store: InMemoryStore;
let server: ApiServer;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-test-'));
  store = new InMemoryStore();
  server = await startApiServer({ store, stateDir: dir, profile: 'llm-d-cpu', bookmarkIntervalMs: 200 });
  const kubeconfig = {
    apiVersion: 'v1', kind: 'Config', 'current-context': 'someone-elses',
    // client-node refuses plain http unless TLS verification is off (minikube's sim writes the same).
    clusters: [{ name: 'llm-d-cpu', cluster: { server: server.url, 'insecure-skip-tls-verify': true } }, { name: 'other', cluster: { server: 'http://127.0.0.1:1' } }],
    users: [{ name: 'llm-d-cpu', user: {} }, { name: 'other', user: {} }],
    contexts: [{ name: 'llm-d-cpu', context: { cluster: 'llm-d-cpu', user: 'llm-d-cpu' } }, { name: 'someone-elses', context: { cluster: 'other', user: 'other' } }],
  };
  const file = path.join(dir, 'config');
  fs.writeFileSync(file, YAML.stringify(kubeconfig));
  env = { KUBECONFIG: file };
  store.create({ group: '', version: 'v1', resource: 'namespaces' }, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'llm-d-cpu-inference' } });
});
afterAll(async () => {
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const readyPod = (name: string, labels: Record<string, string>, ready: boolean, ports?: Record<string, number>): KubeObject => ({
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name, namespace: 'llm-d-cpu-inference', labels, ...(ports ? { annotations: { [SIM_PORTS_ANNOTATION]: JSON.stringify(ports) } } : {}) },
  spec: { containers: [{ name: 'c', ports: [{ containerPort: 8080, name: 'http' }] }] },
  status: {
    phase: 'Running', podIP: '10.244.0.7',
    conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
    containerStatuses: [{ name: 'c', ready, restartCount: 0, state: { running: { startedAt: new Date().toISOString() } } }],
  },
});

describe('kube layer against the simulated API server', () => {
  it('selects the profile context in memory and leaves the kubeconfig’s current context alone', () => {
    const before = fs.readFileSync(env.KUBECONFIG!, 'utf8');
    const kc = loadClusterConfig({ context: 'llm-d-cpu', env });
    expect(kc.getCurrentCluster()?.server).toBe(server.url);
    expect(fs.readFileSync(env.KUBECONFIG!, 'utf8')).toBe(before);
  });

  it('merges KUBECONFIG files as kubectl does: a name defined twice is the first file\'s, a missing file is skipped', () => {
    const second = path.join(dir, 'second');
    fs.writeFileSync(second, YAML.stringify({
      apiVersion: 'v1', kind: 'Config', 'current-context': 'elsewhere',
      clusters: [{ name: 'llm-d-cpu', cluster: { server: 'http://127.0.0.1:2' } }, { name: 'far', cluster: { server: 'http://127.0.0.1:3' } }],
      users: [{ name: 'llm-d-cpu', user: {} }, { name: 'far', user: {} }],
      contexts: [{ name: 'llm-d-cpu', context: { cluster: 'llm-d-cpu', user: 'llm-d-cpu' } }, { name: 'elsewhere', context: { cluster: 'far', user: 'far' } }],
    }));
    const merged = { KUBECONFIG: [env.KUBECONFIG!, path.join(dir, 'not-yet'), second].join(path.delimiter) };
    expect(loadClusterConfig({ context: 'llm-d-cpu', env: merged }).getCurrentCluster()?.server).toBe(server.url);
    expect(loadClusterConfig({ context: 'elsewhere', env: merged }).getCurrentCluster()?.server).toBe('http://127.0.0.1:3');
  });

  it('refuses a context that does not exist, saying what to do', () => {
    expect(() => loadClusterConfig({ context: 'nope', env })).toThrow(/no context named "nope"/);
  });

  it('server-side applies a CRD, its custom resource, a namespace and a configmap, idempotently', async () => {
    const kc = loadClusterConfig({ context: 'llm-d-cpu', env });
    const text = `
apiVersion: v1
kind: ConfigMap
metadata: {name: c1, namespace: llm-d-cpu-inference}
data: {a: "1"}
---
apiVersion: inference.networking.k8s.io/v1
kind: InferencePool
metadata: {name: pool, namespace: llm-d-cpu-inference}
spec: {selector: {matchLabels: {a: b}}, targetPorts: [{number: 8000}]}
---
apiVersion: v1
kind: Namespace
metadata: {name: llm-d-cpu-inference}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: inferencepools.inference.networking.k8s.io}
spec:
  group: inference.networking.k8s.io
  scope: Namespaced
  names: {plural: inferencepools, singular: inferencepool, kind: InferencePool, listKind: InferencePoolList}
  versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}}]
`;
    const objects = parseManifests(text);
    const applied: string[] = [];
    await applyObjects(kc, objects, { onApplied: (r) => applied.push(r) });
    // CRD first, then the namespace, then the rest.
    expect(applied[0]).toBe('customresourcedefinition/inferencepools.inference.networking.k8s.io');
    expect(applied[1]).toBe('namespace/llm-d-cpu-inference');
    expect(store.get({ group: 'inference.networking.k8s.io', version: 'v1', resource: 'inferencepools' }, 'llm-d-cpu-inference', 'pool')).toBeDefined();
    await applyObjects(kc, objects);
    expect((store.get({ group: '', version: 'v1', resource: 'configmaps' }, 'llm-d-cpu-inference', 'c1') as unknown as { data: unknown }).data).toEqual({ a: '1' });
  });

  it('surfaces the API server’s message naming the object that failed', async () => {
    const kc = loadClusterConfig({ context: 'llm-d-cpu', env });
    const bad = parseManifests('apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w, namespace: default}\n');
    await expect(applyObjects(kc, bad)).rejects.toMatchObject({ code: 'KUBE', message: expect.stringContaining('widget/w') });
  });

  it('refuses YAML that is not a Kubernetes object', () => {
    expect(() => parseManifests('just: a map\n', 'x.yaml')).toThrow(/x.yaml, document 1 is not a Kubernetes object/);
  });

  it('sees pods change through informers and resolves a readiness wait without polling', async () => {
    const kc = loadClusterConfig({ context: 'llm-d-cpu', env });
    const seen: string[][] = [];
    const watch = new ClusterWatch(kc, { namespaces: ['llm-d-cpu-inference'], onPods: (p) => seen.push(p.map((x) => `${x.name} ${x.readyText}`)) });
    await watch.start();
    try {
      const progress: number[] = [];
      const waiting = watch.waitForReady({ namespace: 'llm-d-cpu-inference', selector: 'app=decode', count: 2, timeoutMs: 10_000, onProgress: (n) => progress.push(n) });
      store.create(PODS, readyPod('decode-a', { app: 'decode' }, true));
      store.create(PODS, readyPod('decode-b', { app: 'decode' }, false));
      await expect.poll(() => seen.flat()).toContain('decode-b 0/1');
      const b = store.get(PODS, 'llm-d-cpu-inference', 'decode-b')!;
      store.updateStatus(PODS, 'llm-d-cpu-inference', 'decode-b', { ...(readyPod('decode-b', {}, true).status as object) });
      const ready = await waiting;
      expect(ready.map((p) => p.name).sort()).toEqual(['decode-a', 'decode-b']);
      expect(progress).toContain(1);
      expect(b).toBeDefined();
    } finally {
      await watch.stop();
    }
  });

  it('times out a readiness wait with what the pods are doing, and honours abort', async () => {
    const kc = loadClusterConfig({ context: 'llm-d-cpu', env });
    const watch = new ClusterWatch(kc, { namespaces: ['llm-d-cpu-inference'] });
    await watch.start();
    try {
      store.create(PODS, readyPod('epp-x', { app: 'epp' }, false));
      await expect(watch.waitForReady({ namespace: 'llm-d-cpu-inference', selector: 'app=epp', count: 1, timeoutMs: 300 }))
        .rejects.toMatchObject({ code: 'TIMEOUT', message: expect.stringContaining('epp-x 0/1') });
      const ac = new AbortController();
      const p = watch.waitForReady({ namespace: 'llm-d-cpu-inference', selector: 'app=epp', count: 1, timeoutMs: 10_000, signal: ac.signal });
      ac.abort();
      await expect(p).rejects.toMatchObject({ code: 'CANCELLED' });
    } finally {
      await watch.stop();
    }
  });

  it('forwards each connection to a Ready pod behind the service, surviving a pod replacement', async () => {
    const echo = (tag: string) => net.createServer((s) => s.on('data', (d) => s.write(`${tag}:${d.toString()}`)));
    const e1 = echo('one');
    const e2 = echo('two');
    await Promise.all([e1, e2].map((e) => new Promise<void>((r) => e.listen(0, '127.0.0.1', r))));
    const port = (s: net.Server) => (s.address() as net.AddressInfo).port;
    store.create(SERVICES, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'gw', namespace: 'llm-d-cpu-inference' }, spec: { selector: { app: 'gw' }, ports: [{ port: 80, targetPort: 'http' }] } });
    store.create(PODS, readyPod('gw-1', { app: 'gw' }, true, { '8080': port(e1) }));
    const kc = loadClusterConfig({ context: 'llm-d-cpu', env });
    const local = await startForwardServer({ kc, namespace: 'llm-d-cpu-inference', service: 'gw', servicePort: 80, localPort: 0 });
    const localPort = (local.address() as net.AddressInfo).port;
    const roundTrip = (msg: string) => new Promise<string>((resolve, reject) => {
      const c = net.connect(localPort, '127.0.0.1', () => c.write(msg));
      c.once('data', (d) => { resolve(d.toString()); c.destroy(); });
      c.once('error', reject);
      setTimeout(() => reject(new Error('no answer')), 5000).unref();
    });
    try {
      // The forward admits a connection only after an HTTP head with a loopback Host (DNS rebinding).
      const head = (path: string) => `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${localPort}\r\n\r\n`;
      expect(await roundTrip(head('/hi'))).toBe(`one:${head('/hi')}`);
      store.delete(PODS, 'llm-d-cpu-inference', 'gw-1');
      store.create(PODS, readyPod('gw-2', { app: 'gw' }, true, { '8080': port(e2) }));
      expect(await roundTrip(head('/again'))).toBe(`two:${head('/again')}`);
    } finally {
      local.close();
      e1.close();
      e2.close();
    }
  });
});
