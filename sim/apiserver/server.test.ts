// HTTP-level behaviour of the API server that kubectl/client-node tests do not pin down directly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PODS, podObject, startHarness, type Harness } from './test-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ bookmarkIntervalMs: 50 }, { historyLimit: 5 });
});
afterAll(async () => {
  await h.close();
});

const api = (path: string, init?: RequestInit): Promise<Response> => fetch(`${h.server.url}${path}`, init);

describe('API server HTTP surface', () => {
  it('answers bad input with a Status and keeps serving', async () => {
    const badJson = await api('/api/v1/namespaces/default/configmaps', { method: 'POST', body: '{not json', headers: { 'Content-Type': 'application/json' } });
    expect(badJson.status).toBe(400);
    expect(await badJson.json()).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'BadRequest', code: 400 });
    const badSelector = await api('/api/v1/pods?labelSelector=a%20b%20c');
    expect(badSelector.status).toBe(400);
    const unknown = await api('/apis/nope.example.com/v1/things');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ kind: 'Status', reason: 'NotFound' });
    const badPatch = await api('/api/v1/namespaces/default', { method: 'PATCH', body: '[]', headers: { 'Content-Type': 'text/plain' } });
    expect(badPatch.status).toBe(415);
    const noManager = await api('/api/v1/namespaces/default/configmaps/x', { method: 'PATCH', body: '{}', headers: { 'Content-Type': 'application/apply-patch+yaml' } });
    expect(noManager.status).toBe(422);
    expect((await api('/version')).status).toBe(200);
  });

  it('serves an OpenAPI v3 index whose documents list fieldValidation on patch', async () => {
    const index = await (await api('/openapi/v3')).json() as { paths: Record<string, { serverRelativeURL: string }> };
    expect(Object.keys(index.paths)).toEqual(expect.arrayContaining(['api/v1', 'apis/apps/v1', 'apis/apiextensions.k8s.io/v1']));
    const url = index.paths['api/v1']?.serverRelativeURL ?? '';
    expect(url).toMatch(/^\/openapi\/v3\/api\/v1\?hash=[0-9A-F]+$/);
    const doc = await (await api(url)).json() as { paths: Record<string, { patch?: { parameters: Array<{ name: string }>; 'x-kubernetes-group-version-kind': unknown } }> };
    const patch = doc.paths['/api/v1/namespaces/{namespace}/configmaps/{name}']?.patch;
    expect(patch?.parameters.map((p) => p.name)).toContain('fieldValidation');
    expect(patch?.['x-kubernetes-group-version-kind']).toEqual({ group: '', version: 'v1', kind: 'ConfigMap' });
  });

  it('supports JSON patch and the scale subresource', async () => {
    h.store.create(PODS, podObject('jp', { a: '1' }));
    const res = await api('/api/v1/namespaces/default/pods/jp', {
      method: 'PATCH', headers: { 'Content-Type': 'application/json-patch+json' },
      body: JSON.stringify([{ op: 'add', path: '/metadata/labels/b', value: '2' }, { op: 'remove', path: '/metadata/labels/a' }]),
    });
    expect(res.status).toBe(200);
    expect(h.store.get(PODS, 'default', 'jp')?.metadata.labels).toEqual({ b: '2' });
    h.store.create({ group: 'apps', version: 'v1', resource: 'deployments' }, { apiVersion: 'apps/v1', kind: 'Deployment',
      metadata: { name: 'd', namespace: 'default' }, spec: { replicas: 1, selector: { matchLabels: { app: 'd' } } } });
    const scale = await (await api('/apis/apps/v1/namespaces/default/deployments/d/scale')).json();
    expect(scale).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 1 }, status: { selector: 'app=d' } });
  });

  it('sends a 410 ERROR event for a watch from a compacted resourceVersion', async () => {
    const rv = h.store.resourceVersion();
    for (let i = 0; i < 7; i++) h.store.create(PODS, podObject(`churn-${i}`));
    const res = await api(`/api/v1/namespaces/default/pods?watch=true&resourceVersion=${rv}`);
    expect(res.status).toBe(200);
    const line = JSON.parse((await res.text()).trim()) as { type: string; object: { code: number; reason: string } };
    expect(line).toMatchObject({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } });
  });

  it('ends a watch after timeoutSeconds and renders Table events when asked', async () => {
    const started = Date.now();
    const res = await api(`/api/v1/namespaces/default/pods?watch=true&timeoutSeconds=1&fieldSelector=metadata.name%3Djp`, {
      headers: { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' },
    });
    const lines = (await res.text()).trim().split('\n').map((l) => JSON.parse(l) as { type: string; object: { kind: string; rows: Array<{ cells: unknown[] }> } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(lines).toHaveLength(1);
    expect(lines[0]?.type).toBe('ADDED');
    expect(lines[0]?.object.kind).toBe('Table');
    expect(lines[0]?.object.rows[0]?.cells[0]).toBe('jp');
  });

  it('deletes collections by label selector', async () => {
    const res = await api('/api/v1/namespaces/default/pods?labelSelector=b%3D2', { method: 'DELETE' });
    expect(res.status).toBe(200);
    expect(h.store.get(PODS, 'default', 'jp')).toBeUndefined();
    expect(h.store.get(PODS, 'default', 'churn-0')).toBeDefined();
  });
});
