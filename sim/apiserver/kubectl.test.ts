// Fidelity: the real kubectl (v1.32+) against the simulated API server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { CRD_TYPE } from './resources.js';
import { PODS, podObject, runningStatus, startHarness, type Harness } from './test-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

const NS = { group: '', version: 'v1', resource: 'namespaces' };
const CMS = { group: '', version: 'v1', resource: 'configmaps' };
const SVCS = { group: '', version: 'v1', resource: 'services' };
const EVENTS = { group: '', version: 'v1', resource: 'events' };

const widgetCrd = {
  apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com', scope: 'Namespaced',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget', shortNames: ['wd'] },
    versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
  },
};

function file(name: string, text: string): string {
  const p = join(h.dir, name);
  writeFileSync(p, text);
  return p;
}

/** Runs a long-lived kubectl (watch, follow) and resolves once its stdout satisfies `until`. */
async function streamUntil(args: string[], action: () => void, until: (out: string) => boolean, timeoutMs = 10_000): Promise<string> {
  const proc = execa('kubectl', ['--kubeconfig', h.kubeconfig, '--cache-dir', join(h.dir, 'kube-cache'), ...args], {
    reject: false, timeout: timeoutMs, env: { HOME: h.dir },
  });
  let out = '';
  let acted = false;
  return new Promise((resolve, reject) => {
    proc.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (!acted && out.length > 0) {
        acted = true;
        action();
      }
      if (until(out)) {
        proc.kill();
        resolve(out);
      }
    });
    void proc.then((r) => reject(new Error(`kubectl ended before the expected output: ${out}\n${String(r.stderr)}`)));
  });
}

describe('kubectl against the simulated API server', () => {
  it('reports a v1.33 server without a version skew warning', async () => {
    const r = await h.kubectl(['version']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('Server Version: v1.33');
    expect(r.stderr).not.toMatch(/skew/i);
  });

  it('lists built-in API resources, and a CRD-defined one once the CRD exists', async () => {
    const before = await h.kubectl(['api-resources']);
    expect(before.stdout).toMatch(/^pods\s+po\s+v1\s+true\s+Pod$/m);
    expect(before.stdout).toMatch(/^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
    expect(before.stdout).not.toContain('widgets');
    h.store.create(CRD_TYPE, structuredClone(widgetCrd));
    const after = await h.kubectl(['api-resources']);
    expect(after.stdout).toMatch(/^widgets\s+wd\s+example\.com\/v1\s+true\s+Widget$/m);
    const crd = h.store.get(CRD_TYPE, undefined, 'widgets.example.com');
    expect(JSON.stringify(crd?.['status'])).toContain('"type":"Established","status":"True"');
  });

  it('gets namespaces', async () => {
    const r = await h.kubectl(['get', 'ns']);
    expect(r.stdout).toMatch(/^NAME\s+STATUS\s+AGE$/m);
    expect(r.stdout).toMatch(/^default\s+Active\s+\d+s$/m);
    expect(r.stdout).toMatch(/^kube-system\s+Active/m);
  });

  it('prints pods with READY, STATUS and RESTARTS computed like kubectl', async () => {
    h.store.create(PODS, podObject('web-1', { app: 'web', tier: 'a' }, ['main', 'side']));
    h.store.updateStatus(PODS, 'default', 'web-1', { ...runningStatus(['main', 'side'], true), containerStatuses: [
      { name: 'main', ready: true, restartCount: 0, state: { running: {} } },
      { name: 'side', ready: false, restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } } },
    ] });
    h.store.create(PODS, podObject('web-2', { app: 'web', tier: 'b' }));
    h.store.updateStatus(PODS, 'default', 'web-2', runningStatus(['main'], true));
    h.store.create(PODS, podObject('other', { app: 'other' }));
    const r = await h.kubectl(['get', 'pods']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/m);
    expect(r.stdout).toMatch(/^web-1\s+1\/2\s+CrashLoopBackOff\s+3\s+\d+s$/m);
    expect(r.stdout).toMatch(/^web-2\s+1\/1\s+Running\s+0\s+\d+s$/m);
    expect(r.stdout).toMatch(/^other\s+0\/1\s+Pending\s+0\s+\d+s$/m);
  });

  it('filters pods by label selector with -o json', async () => {
    const r = await h.kubectl(['get', 'pods', '-l', 'app=web,tier in (b,c)', '-o', 'json']);
    const list = JSON.parse(r.stdout) as { items: Array<{ metadata: { name: string } }> };
    expect(list.items.map((p) => p.metadata.name)).toEqual(['web-2']);
    const all = JSON.parse((await h.kubectl(['get', 'pods', '-l', 'app=web', '-o', 'json'])).stdout) as typeof list;
    expect(all.items.map((p) => p.metadata.name).sort()).toEqual(['web-1', 'web-2']);
  });

  it('gets services with type, cluster IP and ports', async () => {
    h.store.create(SVCS, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'gw', namespace: 'default' },
      spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8000 }] } });
    const r = await h.kubectl(['get', 'svc', 'gw']);
    expect(r.stdout).toMatch(/^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE$/m);
    expect(r.stdout).toMatch(/^gw\s+ClusterIP\s+10\.96\.\d+\.\d+\s+<none>\s+80\/TCP\s+\d+s$/m);
  });

  it('watches pods with get -w and sees an update', async () => {
    h.store.create(PODS, podObject('watched', { w: '1' }));
    const out = await streamUntil(['get', 'pods', '-l', 'w=1', '-w'],
      () => setTimeout(() => h.store.updateStatus(PODS, 'default', 'watched', runningStatus(['main'], true)), 300),
      (o) => /watched\s+1\/1\s+Running/.test(o));
    expect(out).toMatch(/watched\s+0\/1\s+Pending/);
  });

  it('applies server-side: create, change, CRD then custom resource', async () => {
    const cm = (v: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\n  labels: {a: b}\ndata:\n  k: ${v}\n`;
    const first = await h.kubectl(['apply', '--server-side', '-f', file('ssa.yaml', cm('one'))]);
    expect(first.stderr).toBe('');
    expect(first.stdout.trim()).toBe('configmap/ssa serverside-applied');
    const second = await h.kubectl(['apply', '--server-side', '-f', file('ssa.yaml', cm('two'))]);
    expect(second.stdout.trim()).toBe('configmap/ssa serverside-applied');
    expect(h.store.get(CMS, 'default', 'ssa')?.['data']).toEqual({ k: 'two' });

    const crd = JSON.stringify({ ...widgetCrd, metadata: { name: 'gadgets.example.com' },
      spec: { ...widgetCrd.spec, names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget' } } });
    const crdOut = await h.kubectl(['apply', '--server-side', '-f', file('crd.json', crd)]);
    expect(crdOut.stdout.trim()).toBe('customresourcedefinition.apiextensions.k8s.io/gadgets.example.com serverside-applied');
    const cr = await h.kubectl(['apply', '--server-side', '-f', file('cr.yaml', 'apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g1}\nspec: {size: 3}\n')]);
    expect(cr.stderr).toBe('');
    expect(cr.stdout.trim()).toBe('gadget.example.com/g1 serverside-applied');
    const got = await h.kubectl(['get', 'gadgets', 'g1', '-o', 'jsonpath={.spec.size}']);
    expect(got.stdout).toBe('3');
  });

  it('applies client-side: created, configured, unchanged', async () => {
    const cm = (v: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: csa\ndata:\n  k: ${v}\n  drop: me\n`;
    const created = await h.kubectl(['apply', '-f', file('csa.yaml', cm('one'))]);
    expect(created.stderr).toBe('');
    expect(created.stdout.trim()).toBe('configmap/csa created');
    const changed = await h.kubectl(['apply', '-f', file('csa.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: csa\ndata:\n  k: two\n')]);
    expect(changed.stderr).toBe('');
    expect(changed.stdout.trim()).toBe('configmap/csa configured');
    const live = h.store.get(CMS, 'default', 'csa');
    expect(live?.['data']).toEqual({ k: 'two' });
    expect(live?.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration']).toContain('"k":"two"');
    const same = await h.kubectl(['apply', '-f', join(h.dir, 'csa.yaml')]);
    expect(same.stdout.trim()).toBe('configmap/csa unchanged');
  });

  it('creates a namespace, configmap and secret imperatively (protobuf bodies) and scales a deployment', async () => {
    expect((await h.kubectl(['create', 'namespace', 'imperative'])).stdout.trim()).toBe('namespace/imperative created');
    expect(h.store.get(NS, undefined, 'imperative')?.['status']).toEqual({ phase: 'Active' });
    const cm = await h.kubectl(['create', 'configmap', 'lit', '-n', 'imperative', '--from-literal=a=b', '--from-literal=c=d']);
    expect(cm.stdout.trim()).toBe('configmap/lit created');
    expect(h.store.get(CMS, 'imperative', 'lit')?.['data']).toEqual({ a: 'b', c: 'd' });
    const secret = await h.kubectl(['create', 'secret', 'generic', 'tok', '-n', 'imperative', '--from-literal=token=abc']);
    expect(secret.stdout.trim()).toBe('secret/tok created');
    expect(h.store.get({ group: '', version: 'v1', resource: 'secrets' }, 'imperative', 'tok')?.['data']).toEqual({ token: 'YWJj' });
    const dep = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: imperative}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: c, image: nginx}]}\n';
    expect((await h.kubectl(['apply', '-f', file('dep.yaml', dep)])).stdout.trim()).toBe('deployment.apps/web created');
    expect((await h.kubectl(['scale', 'deployment', 'web', '-n', 'imperative', '--replicas=3'])).stdout.trim()).toBe('deployment.apps/web scaled');
    const table = await h.kubectl(['get', 'deploy', '-n', 'imperative']);
    expect(table.stdout).toMatch(/^web\s+0\/3\s+0\s+0\s+\d+s$/m);
  });

  it('deletes an object and then reports NotFound', async () => {
    h.store.create(CMS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'gone', namespace: 'default' }, data: {} });
    const del = await h.kubectl(['delete', 'configmap', 'gone']);
    expect(del.stdout.trim()).toBe('configmap "gone" deleted');
    const get = await h.kubectl(['get', 'configmap', 'gone']);
    expect(get.exitCode).not.toBe(0);
    expect(get.stderr).toContain('Error from server (NotFound): configmaps "gone" not found');
  });

  it('serves logs, --tail and -f (following appended lines)', async () => {
    h.store.create(PODS, podObject('logger', {}, ['main']));
    h.appendLog('default', 'logger', 'main', ['line 1', 'line 2', 'line 3']);
    const all = await h.kubectl(['logs', 'logger']);
    expect(all.stdout).toBe('line 1\nline 2\nline 3\n');
    const tail = await h.kubectl(['logs', 'logger', '--tail=1']);
    expect(tail.stdout).toBe('line 3\n');
    const stamped = await h.kubectl(['logs', 'logger', '--tail=1', '--timestamps']);
    expect(stamped.stdout).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z line 3\n$/);
    const followed = await streamUntil(['logs', '-f', 'logger', '--tail=1'],
      () => setTimeout(() => h.appendLog('default', 'logger', 'main', ['line 4']), 200),
      (o) => o.includes('line 4'));
    expect(followed).toBe('line 3\nline 4\n');
  });

  it('says when a container has not started yet (no log file)', async () => {
    const r = await h.kubectl(['logs', 'other']);
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toContain('Error from server (BadRequest): container "main" in pod "other" is waiting to start: ContainerCreating');
  });

  it('waits for the Ready condition, returning once it flips', async () => {
    h.store.create(PODS, podObject('slow', { wait: 'me' }));
    const started = Date.now();
    setTimeout(() => h.store.updateStatus(PODS, 'default', 'slow', runningStatus(['main'], true)), 1000);
    const r = await h.kubectl(['wait', '--for=condition=Ready', 'pod', '-l', 'wait=me', '--timeout=15s'], { timeoutMs: 20_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('pod/slow condition met');
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('describes a pod with its events', async () => {
    const pod = h.store.get(PODS, 'default', 'web-2');
    h.store.create(EVENTS, {
      apiVersion: 'v1', kind: 'Event', metadata: { name: 'web-2.1', namespace: 'default' },
      involvedObject: { kind: 'Pod', name: 'web-2', namespace: 'default', uid: pod?.metadata.uid },
      reason: 'Pulled', message: 'Container image "sim/image:1" already present on machine', type: 'Normal',
      source: { component: 'kubelet' }, count: 1, firstTimestamp: new Date().toISOString(), lastTimestamp: new Date().toISOString(),
    });
    h.store.create(EVENTS, {
      apiVersion: 'v1', kind: 'Event', metadata: { name: 'other.1', namespace: 'default' },
      involvedObject: { kind: 'Pod', name: 'other', namespace: 'default' }, reason: 'Scheduled', message: 'not mine', type: 'Normal',
    });
    const r = await h.kubectl(['describe', 'pod', 'web-2']);
    expect(r.stdout).toMatch(/^Name:\s+web-2$/m);
    expect(r.stdout).toMatch(/^Status:\s+Running$/m);
    expect(r.stdout).toMatch(/Normal\s+Pulled\s+.*Container image "sim\/image:1" already present on machine/);
    expect(r.stdout).not.toContain('not mine');
  });

  it('deletes a namespace and everything in it', async () => {
    h.store.create(NS, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'doomed' } });
    h.store.create(PODS, podObject('inside', {}, ['main'], 'doomed'));
    h.store.create(CMS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'doomed' } });
    const r = await h.kubectl(['delete', 'ns', 'doomed'], { timeoutMs: 20_000 });
    expect(r.stdout.trim()).toBe('namespace "doomed" deleted');
    expect(h.store.get(NS, undefined, 'doomed')).toBeUndefined();
    expect(h.store.list(PODS, { namespace: 'doomed' }).items).toEqual([]);
    expect(h.store.list(CMS, { namespace: 'doomed' }).items).toEqual([]);
  });
});
