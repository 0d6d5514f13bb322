import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeConfig } from '@kubernetes/client-node';
import { InMemoryStore } from '../../../sim/apiserver/store.js';
import { startApiServer, type ApiServer } from '../../../sim/apiserver/server.js';
import { SIM_PORTS_ANNOTATION, podLogFile } from '../../../sim/apiserver/types.js';
import { podHttpGet } from './pod-http.js';
import { followPodLog } from './pod-logs.js';

let dir: string;
let store: InMemoryStore;
let server: ApiServer;
let web: http.Server;
let kc: KubeConfig;
const NS = 'llm-d-cpu-inference';
const PODS = { group: '', version: 'v1', resource: 'pods' };

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'podhttp-'));
  store = new InMemoryStore();
  server = await startApiServer({ store, stateDir: dir, profile: 'p', logPollMs: 20 });
  web = http.createServer((req, res) => res.end(`metrics for ${req.url}`));
  await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
  store.create({ group: '', version: 'v1', resource: 'namespaces' }, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  store.create(PODS, {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'decode-a', namespace: NS, annotations: { [SIM_PORTS_ANNOTATION]: JSON.stringify({ '8200': (web.address() as AddressInfo).port }) } },
    spec: { containers: [{ name: 'vllm' }] },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: 'vllm', ready: true, state: { running: {} } }] },
  });
  kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'p', server: server.url, skipTLSVerify: true }], users: [{ name: 'p' }],
    contexts: [{ name: 'p', cluster: 'p', user: 'p' }], currentContext: 'p',
  });
});
afterAll(async () => {
  await server.close();
  web.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('pod HTTP and logs through the API server', () => {
  it('GETs a pod port over the port-forward channel', async () => {
    expect(await podHttpGet(kc, NS, 'decode-a', 8200, '/metrics')).toEqual({ status: 200, body: 'metrics for /metrics' });
  });

  it('fails clearly when the pod has nothing on that port', async () => {
    await expect(podHttpGet(kc, NS, 'decode-a', 9999, '/metrics', 2000)).rejects.toThrow();
  });

  it('follows a container log as lines arrive, and stops without an uncaught error', async () => {
    const file = podLogFile(dir, 'p', NS, 'decode-a', 'vllm');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${new Date().toISOString()} first\n`);
    const lines: string[] = [];
    const ends: Array<string | undefined> = [];
    const f = await followPodLog(kc, { namespace: NS, pod: 'decode-a', container: 'vllm', follow: true, onLine: (l) => lines.push(l), onEnd: (e) => ends.push(e) });
    await expect.poll(() => lines).toEqual(['first']);
    fs.appendFileSync(file, `${new Date().toISOString()} second\n`);
    await expect.poll(() => lines).toEqual(['first', 'second']);
    f.stop();
    expect(ends).toEqual([undefined]);
  });

  it('reports the API server’s message for a missing pod', async () => {
    const ends: Array<string | undefined> = [];
    await followPodLog(kc, { namespace: NS, pod: 'nope', container: 'vllm', follow: false, onLine: () => undefined, onEnd: (e) => ends.push(e) });
    await expect.poll(() => ends).toHaveLength(1);
    expect(ends[0]).toMatch(/not found/);
  });
});
