// The Playground engine against an in-process simulated world: the simulated API server, two replica
// servers (sim/replicas) behind the EPP-style gateway, pods whose ports map to them. The gateway is
// reached through the real detached forwarder, the EPP log through the API server.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { InMemoryStore } from '../../../sim/apiserver/store.js';
import { startApiServer, type ApiServer } from '../../../sim/apiserver/server.js';
import { SIM_PORTS_ANNOTATION, podLogFile, type KubeObject } from '../../../sim/apiserver/types.js';
import { Gateway } from '../../../sim/replicas/gateway.js';
import { Replica } from '../../../sim/replicas/replica.js';
import { NAMES } from '../../../shared/stack.js';
import { stopAllForwards } from '../forward/forwards.js';
import { createClusterLink, type ClusterLink } from './cluster-link.js';
import { MetricsSampler, Playground } from './playground.js';

const NS = 'llm-d-cpu-inference';
const MODEL = 'HuggingFaceTB/SmolLM2-360M-Instruct';
const PODS = { group: '', version: 'v1', resource: 'pods' };
let dir: string;
let store: InMemoryStore;
let api: ApiServer;
const servers: http.Server[] = [];
let link: ClusterLink;
let stripPodHeader = false;

const listen = async (handler: http.RequestListener): Promise<number> => {
  const s = http.createServer(handler);
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return (s.address() as AddressInfo).port;
};
const pod = (name: string, labels: Record<string, string>, ip: string, ports: Record<string, number>, containers: Array<{ name: string; args?: string[] }>): KubeObject => ({
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name, namespace: NS, labels, annotations: { [SIM_PORTS_ANNOTATION]: JSON.stringify(ports) } },
  spec: { containers },
  status: { phase: 'Running', podIP: ip, conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: containers.map((c) => ({ name: c.name, ready: true, state: { running: {} } })) },
});

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'playground-'));
  store = new InMemoryStore();
  api = await startApiServer({ store, stateDir: dir, profile: 'llm-d-cpu', logPollMs: 20 });
  store.create({ group: '', version: 'v1', resource: 'namespaces' }, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });

  const replicas = ['decode-a', 'decode-b'].map((name) => new Replica({ model: MODEL, podName: name, namespace: NS, mode: 'echo', timeToFirstTokenMs: 5, interTokenLatencyMs: 2, maxModelLen: 4096 }));
  const replicaPorts = await Promise.all(replicas.map((r) => listen((req, res) => {
    // Real vLLM sends no pod header; the EPP log is then the only way to know.
    if (stripPodHeader) { const set = res.setHeader.bind(res); res.setHeader = (n, v) => (n.toLowerCase() === 'x-inference-pod' ? res : set(n, v)); }
    r.handle(req, res);
  })));
  const ips = ['10.244.0.11', '10.244.0.12'];
  const eppLog = podLogFile(dir, 'llm-d-cpu', NS, 'gaie-cpu-inference-epp-1', 'epp');
  fs.mkdirSync(path.dirname(eppLog), { recursive: true });
  fs.writeFileSync(eppLog, '');
  const gateway = new Gateway({
    endpoints: () => replicas.map((r, i) => ({ name: r.opts.podName, ip: ips[i]!, queue: r.waiting, kvCacheUsage: 0, localPort: replicaPorts[i]!, targetPort: 8000 })),
    route: () => 'ok',
    eppVerbosity: () => 3,
    eppLog: (line) => fs.appendFileSync(eppLog, `${new Date().toISOString()} ${line}\n`),
    prefixChars: 256,
  });
  const gwPort = await listen(gateway.handle);

  replicas.forEach((r, i) => store.create(PODS, pod(r.opts.podName, { 'llm-d.ai/inferenceServing': 'true' }, ips[i]!, { '8000': replicaPorts[i]!, '8200': replicaPorts[i]! }, [{ name: 'vllm' }])));
  store.create(PODS, pod('gaie-cpu-inference-epp-1', { inferencepool: 'gaie-cpu-inference-epp' }, '10.244.0.5', {}, [{ name: 'epp', args: ['--pool-name', 'gaie-cpu-inference', '--v', '3'] }]));
  store.create(PODS, pod('gw-1', { gw: 'x' }, '10.244.0.6', { '80': gwPort }, [{ name: 'istio-proxy' }]));
  store.create({ group: '', version: 'v1', resource: 'services' }, { apiVersion: 'v1', kind: 'Service', metadata: { name: NAMES.gatewayService, namespace: NS }, spec: { selector: { gw: 'x' }, ports: [{ port: 80, targetPort: 80 }] } });

  const kubeconfig = path.join(dir, 'kubeconfig');
  fs.writeFileSync(kubeconfig, YAML.stringify({
    apiVersion: 'v1', kind: 'Config', 'current-context': 'llm-d-cpu',
    clusters: [{ name: 'llm-d-cpu', cluster: { server: api.url, 'insecure-skip-tls-verify': true } }],
    users: [{ name: 'llm-d-cpu', user: {} }], contexts: [{ name: 'llm-d-cpu', context: { cluster: 'llm-d-cpu', user: 'llm-d-cpu' } }],
  }));
  link = createClusterLink({ target: () => ({ profile: 'llm-d-cpu', namespace: NS }), env: { ...process.env, KUBECONFIG: kubeconfig }, runDir: path.join(dir, 'run') });
}, 60_000);

afterAll(async () => {
  link.close();
  await stopAllForwards(path.join(dir, 'run'));
  for (const s of servers) s.close();
  await api.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('Playground engine', () => {
  it('lists the served model from /v1/models through the gateway forward', async () => {
    const pg = new Playground({ link, onDelta: () => undefined });
    const { models, gatewayUrl } = await pg.models();
    expect(models).toEqual([MODEL]);
    expect(gatewayUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  }, 60_000);

  it('streams a reply in coalesced deltas and says which replica answered', async () => {
    const deltas: string[] = [];
    const pg = new Playground({ link, onDelta: (_id, t) => deltas.push(t) });
    const reply = await pg.send('t1', { model: MODEL, messages: [{ role: 'user', content: 'Say hello to the routing table' }], params: { maxTokens: 8 } }, new AbortController().signal);
    expect(reply.content.length).toBeGreaterThan(0);
    expect(deltas.join('')).toBe(reply.content);
    expect(reply.usage?.completionTokens).toBeGreaterThan(0);
    expect(reply.attribution).toMatchObject({ known: true, source: 'header' });
  }, 60_000);

  it('falls back to the EPP "Request handled" line when the server sends no pod header', async () => {
    stripPodHeader = true;
    try {
      const pg = new Playground({ link, onDelta: () => undefined });
      const reply = await pg.send('t2', { model: MODEL, messages: [{ role: 'user', content: 'Which replica am I on?' }], params: { maxTokens: 4 } }, new AbortController().signal);
      expect(reply.attribution).toMatchObject({ known: true, source: 'epp-log' });
      expect(['decode-a', 'decode-b']).toContain((reply.attribution as { pod: string }).pod);
    } finally {
      stripPodHeader = false;
    }
  }, 60_000);

  it('runs the routing experiment: shared prefixes stay on one replica, distinct prompts spread', async () => {
    const pg = new Playground({ link, onDelta: () => undefined });
    const progress: number[] = [];
    const r = await pg.experiment('e1', { requests: 6, concurrency: 2, maxTokens: 4 }, new AbortController().signal, (d) => progress.push(d));
    expect(progress.at(-1)).toBe(12);
    expect(r.shared.total).toBe(6);
    expect(r.shared.failed).toBe(0);
    expect(r.shared.replicas).toHaveLength(1);
    expect(r.distinct.replicas.length).toBe(2);
    expect(r.reading.join(' ')).toContain('stayed together');
    expect(r.replicas).toBe(2);
  }, 120_000);

  it('samples each replica’s metrics through the cluster and derives a request rate', async () => {
    let t = 0;
    const sampler = new MetricsSampler(link, () => (t += 1000));
    const first = await sampler.sample();
    expect(first.map((s) => s.pod).sort()).toEqual(['decode-a', 'decode-b']);
    expect(first[0]).toMatchObject({ running: expect.any(Number), waiting: expect.any(Number), kvCacheUsage: expect.any(Number) });
    const second = await sampler.sample();
    expect(second.every((s) => s.requestRate !== undefined)).toBe(true);
  }, 60_000);
});
