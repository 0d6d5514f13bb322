// The Playground engine against an in-process simulated world: the simulated API server, two replica
// servers (sim/replicas) behind the EPP-style gateway, pods whose ports map to them. The gateway is
// reached through the real detached forwarder, the EPP log and the replicas' /metrics through the API
// server. The replicas run a vLLM image (no pod header) unless a test says otherwise, and the gateway
// either keeps the app's x-request-id or rewrites it as Istio does for a port-forwarded request.
// At the end, the experiment's arithmetic against a fake ClusterLink whose counters lag or overshoot.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import YAML from 'yaml';
import { InMemoryStore } from '../../../sim/apiserver/store.js';
import { startApiServer, type ApiServer } from '../../../sim/apiserver/server.js';
import { SIM_PORTS_ANNOTATION, podLogFile, type KubeObject } from '../../../sim/apiserver/types.js';
import { Gateway } from '../../../sim/replicas/gateway.js';
import { Replica } from '../../../sim/replicas/replica.js';
import { releaseNames } from '../../../shared/release.js';
import { loadRelease } from '../stack/releases.js';
import { ensureForward, stopAllForwards } from '../forward/forwards.js';
import { readForwardState, stateFileFor } from '../forward/forward-state.js';
import { pidAlive } from '../plan/journal.js';
import { parsePromText, sumOf } from '../metrics/prom-text.js';
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
let replicas: Replica[];
const SIM_IMAGE = 'ghcr.io/llm-d/llm-d-inference-sim:v0.6.1';
const VLLM_IMAGE = 'quay.io/petecheslock/llm-d-cpu:v0.4.0-arm64';
let gatewayMode: 'rewrite' | 'keep' = 'keep';
/** What the sim's EPP logs at (its pod's --v stays 3, so the link still looks for lines). */
let eppVerbosity = 3;
/** The pod of every chat completion, as the replicas saw them: the ground truth. */
const served: string[] = [];
/** Each replica's vllm:request_success_total, read in-process (not through the engine). */
const successTotals = () => new Map(replicas.map((r) => [r.opts.podName, sumOf(parsePromText(r.metrics()), 'vllm:request_success_total') ?? 0]));
const growth = (before: Map<string, number>, after: Map<string, number>) =>
  Object.fromEntries([...after].filter(([pod, n]) => n > (before.get(pod) ?? 0)).map(([pod, n]) => [pod, n - (before.get(pod) ?? 0)]));
const countsOf = (arm: { replicas: Array<{ replica: string; count: number }> }) => Object.fromEntries(arm.replicas.map((r) => [r.replica, r.count]));

const listen = async (handler: http.RequestListener): Promise<number> => {
  const s = http.createServer(handler);
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return (s.address() as AddressInfo).port;
};
const pod = (name: string, labels: Record<string, string>, ip: string, ports: Record<string, number>, containers: Array<{ name: string; image?: string; args?: string[] }>): KubeObject => ({
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

  replicas = ['decode-a', 'decode-b'].map((name) => new Replica({ model: MODEL, podName: name, namespace: NS, mode: 'echo', timeToFirstTokenMs: 5, interTokenLatencyMs: 2, maxModelLen: 4096, image: VLLM_IMAGE }));
  const replicaPorts = await Promise.all(replicas.map((r) => listen((req, res) => {
    if (req.method === 'POST' && req.url === '/v1/chat/completions') served.push(r.opts.podName);
    r.handle(req, res);
  })));
  const ips = ['10.244.0.11', '10.244.0.12'];
  const eppLog = podLogFile(dir, 'llm-d-cpu', NS, 'gaie-cpu-inference-epp-1', 'epp');
  fs.mkdirSync(path.dirname(eppLog), { recursive: true });
  fs.writeFileSync(eppLog, '');
  const gateway = new Gateway({
    endpoints: () => replicas.map((r, i) => ({ name: r.opts.podName, ip: ips[i]!, queue: r.waiting, kvCacheUsage: 0, localPort: replicaPorts[i]!, targetPort: 8000 })),
    route: () => 'ok',
    eppVerbosity: () => eppVerbosity,
    eppLog: (line) => fs.appendFileSync(eppLog, `${new Date().toISOString()} ${line}\n`),
    prefixChars: 256,
    requestId: () => gatewayMode,
  });
  const gwPort = await listen(gateway.handle);

  replicas.forEach((r, i) => store.create(PODS, pod(r.opts.podName, { 'llm-d.ai/inferenceServing': 'true' }, ips[i]!, { '8000': replicaPorts[i]!, '8200': replicaPorts[i]! }, [{ name: 'vllm', image: VLLM_IMAGE }])));
  store.create(PODS, pod('gaie-cpu-inference-epp-1', { inferencepool: 'gaie-cpu-inference-epp' }, '10.244.0.5', {}, [{ name: 'epp', args: ['--pool-name', 'gaie-cpu-inference', '--v', '3'] }]));
  store.create(PODS, pod('gw-1', { gw: 'x' }, '10.244.0.6', { '80': gwPort }, [{ name: 'istio-proxy' }]));
  store.create({ group: '', version: 'v1', resource: 'services' }, { apiVersion: 'v1', kind: 'Service', metadata: { name: releaseNames(loadRelease('llm-d-0.4-cpu-guide')).gatewayService, namespace: NS }, spec: { selector: { gw: 'x' }, ports: [{ port: 80, targetPort: 80 }] } });

  const kubeconfig = path.join(dir, 'kubeconfig');
  fs.writeFileSync(kubeconfig, YAML.stringify({
    apiVersion: 'v1', kind: 'Config', 'current-context': 'llm-d-cpu',
    clusters: [{ name: 'llm-d-cpu', cluster: { server: api.url, 'insecure-skip-tls-verify': true } }],
    users: [{ name: 'llm-d-cpu', user: {} }], contexts: [{ name: 'llm-d-cpu', context: { cluster: 'llm-d-cpu', user: 'llm-d-cpu' } }],
  }));
  link = createClusterLink({ target: () => ({ profile: 'llm-d-cpu', namespace: NS, release: 'llm-d-0.4-cpu-guide' }), env: { ...process.env, KUBECONFIG: kubeconfig }, runDir: path.join(dir, 'run') });
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

  it('streams a reply in coalesced deltas and, from llm-d-inference-sim, takes the replica from its header', async () => {
    // Only llm-d-inference-sim names its pod; the replicas are vLLM everywhere else in this file.
    for (const r of replicas) r.opts.image = SIM_IMAGE;
    try {
      const deltas: string[] = [];
      const pg = new Playground({ link, onDelta: (_id, t) => deltas.push(t) });
      const reply = await pg.send('t1', { model: MODEL, messages: [{ role: 'user', content: 'Say hello to the routing table' }], params: { maxTokens: 8 } }, new AbortController().signal);
      expect(reply.content.length).toBeGreaterThan(0);
      expect(deltas.join('')).toBe(reply.content);
      expect(reply.usage?.completionTokens).toBeGreaterThan(0);
      expect(reply.attribution).toEqual({ known: true, source: 'header', pod: served.at(-1) });
    } finally {
      for (const r of replicas) r.opts.image = VLLM_IMAGE;
    }
  }, 20_000);

  it('re-uses the gateway forward it checked, without checking it again per reply, and opens a new one once that forwarder is gone', async () => {
    const runDir = path.join(dir, 'run-reuse');
    let ensured = 0;
    const counted = createClusterLink({
      target: () => ({ profile: 'llm-d-cpu', namespace: NS, release: 'llm-d-0.4-cpu-guide' }), env: { ...process.env, KUBECONFIG: path.join(dir, 'kubeconfig') }, runDir,
      ensure: (spec, o) => { ensured += 1; return ensureForward(spec, o); },
    });
    try {
      const pg = new Playground({ link: counted, onDelta: () => undefined });
      const send = (i: number) => pg.send(`reuse${i}`, { model: MODEL, messages: [{ role: 'user', content: `Hello ${i}` }], params: { maxTokens: 2 } }, new AbortController().signal);
      expect((await send(1)).content.length).toBeGreaterThan(0);
      expect((await send(2)).content.length).toBeGreaterThan(0);
      expect(ensured).toBe(1);
      // Killed out of band (its state file stays): the link sees the pid gone and opens a new forward.
      const first = readForwardState(stateFileFor(runDir, 'gateway'))!;
      process.kill(first.pid, 'SIGKILL');
      for (const deadline = Date.now() + 5000; pidAlive(first.pid) && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 20));
      const third = await send(3);
      expect(third.error).toBeUndefined();
      expect(third.content.length).toBeGreaterThan(0);
      expect(ensured).toBe(2);
      expect(readForwardState(stateFileFor(runDir, 'gateway'))!.pid).not.toBe(first.pid);
    } finally {
      counted.close();
      await stopAllForwards(runDir);
    }
  }, 30_000);

  it('with a gateway that keeps the request id, attributes each vLLM reply by the EPP line carrying that id', async () => {
    gatewayMode = 'keep';
    const pg = new Playground({ link, onDelta: () => undefined });
    for (let i = 0; i < 3; i++) {
      const reply = await pg.send(`k${i}`, { model: MODEL, messages: [{ role: 'user', content: `Which replica am I on? (${i})` }], params: { maxTokens: 4 } }, new AbortController().signal);
      expect(reply.attribution).toMatchObject({ known: true, source: 'epp-log', pod: served.at(-1) });
    }
    expect(link.idRewritten()).toBe(false);
  }, 20_000);

  it('with a gateway that keeps the id, the experiment counts per replica from the counters and times each reply', async () => {
    gatewayMode = 'keep';
    const pg = new Playground({ link, onDelta: () => undefined });
    const start = successTotals();
    let mid = start;
    const r = await pg.experiment('ek', { requests: 4, concurrency: 2, maxTokens: 4 }, new AbortController().signal, (d) => { if (d === 4) mid = successTotals(); });
    expect(countsOf(r.shared)).toEqual(growth(start, mid));
    expect(countsOf(r.distinct)).toEqual(growth(mid, successTotals()));
    // Every reply was attributed on its own (epp-log), so every row has the timings of all its requests.
    for (const row of [...r.shared.replicas, ...r.distinct.replicas]) expect(row.latency?.count).toBe(row.count);
  }, 20_000);

  it('when the gateway rewrites the request id, attributes each vLLM reply by the EPP line carrying the id its replica received, and learns ours are replaced', async () => {
    gatewayMode = 'rewrite';
    const pg = new Playground({ link, onDelta: () => undefined });
    for (let i = 0; i < 4; i++) {
      const reply = await pg.send(`v${i}`, { model: MODEL, messages: [{ role: 'user', content: `Which replica is this? (${i})` }], params: { maxTokens: 4 } }, new AbortController().signal);
      expect(reply.attribution).toMatchObject({ known: true, source: 'epp-log', pod: served.at(-1) });
    }
    expect(new Set(served.slice(-4)).size).toBe(2);
    // The waits for lines with our own ids run out in the background and teach the link they are replaced.
    await vi.waitFor(() => expect(link.idRewritten()).toBe(true), { timeout: 5000, interval: 50 });
    // Once learnt, nobody waits for a line with one of our ids that will never come: this would otherwise outlast the test.
    await expect(link.handled(randomUUID(), 10 * 60_000)).resolves.toBeUndefined();
  }, 20_000);

  it('when the gateway rewrites the id and the EPP logs no decisions, attributes each reply by the replicas’ counters', async () => {
    gatewayMode = 'rewrite';
    eppVerbosity = 2;
    // The counters are read while the request goes out and count if they come before the reply ends (a
    // replica counts a request when it finishes): a first token at once, then a reply lasting ~400 ms, so
    // the reads arrive after the first token — and must still decide (on a loaded machine they always do).
    for (const r of replicas) { r.opts.timeToFirstTokenMs = 1; r.opts.interTokenLatencyMs = 100; }
    try {
      const pg = new Playground({ link, onDelta: () => undefined });
      for (let i = 0; i < 4; i++) {
        const reply = await pg.send(`w${i}`, { model: MODEL, messages: [{ role: 'user', content: `Which replica now? (${i})` }], params: { maxTokens: 4 } }, new AbortController().signal);
        expect(reply.attribution).toEqual({ known: true, source: 'metrics', pod: served.at(-1) });
      }
      expect(new Set(served.slice(-4)).size).toBe(2);
    } finally {
      eppVerbosity = 3;
      for (const r of replicas) { r.opts.timeToFirstTokenMs = 5; r.opts.interTokenLatencyMs = 2; }
    }
  }, 30_000);

  it('runs the routing experiment with rewritten ids: per-replica counts equal the counters’ growth, shared prefixes together, distinct spread', async () => {
    gatewayMode = 'rewrite';
    const pg = new Playground({ link, onDelta: () => undefined });
    const progress: number[] = [];
    const start = successTotals();
    let mid = start;
    // The groups run one after the other: when the 6th request is done, the shared-prefix group is.
    const r = await pg.experiment('e1', { requests: 6, concurrency: 2, maxTokens: 4 }, new AbortController().signal, (d) => {
      progress.push(d);
      if (d === 6) mid = successTotals();
    });
    expect(progress.at(-1)).toBe(12);
    expect(countsOf(r.shared)).toEqual(growth(start, mid));
    expect(countsOf(r.distinct)).toEqual(growth(mid, successTotals()));
    expect(r.shared).toMatchObject({ total: 6, failed: 0, unattributed: 0 });
    expect(r.distinct).toMatchObject({ total: 6, failed: 0, unattributed: 0 });
    expect(r.shared.replicas).toHaveLength(1);
    expect(r.distinct.replicas.length).toBe(2);
    expect(r.reading.join(' ')).toContain('stayed together');
    expect(r.replicas).toBe(2);
  }, 20_000);

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

// A fake ClusterLink over a tiny OpenAI-style server: the test decides which "replica" serves each
// request and when its counter moves; no EPP line ever carries our id (the gateway rewrote them all).
interface Fake {
  link: ClusterLink;
  served: string[];
  /** Completions not yet visible in /metrics (lag mode): each becomes visible after `lag` scrapes of its pod. */
  pending: Array<{ pod: string; reads: number }>;
  counters: Map<string, number>;
  /** Scrapes answered so far. */
  scrapesDone: number;
}
const FAKE_IPS: Record<string, string> = { 'decode-a': '10.0.0.1', 'decode-b': '10.0.0.2' };
/**
 * `eppNames`: the replies carry vLLM's `chatcmpl-<id the replica received>` and the EPP's log has a line for
 * that id (never for ours).
 */
async function fakeCluster(route: (n: number, prompt: string) => string, opts: { lag?: number; onServe?: (f: Fake, pod: string) => void; scrapeMs?: number; eppNames?: boolean } = {}): Promise<Fake> {
  const gatewayIds = new Map<string, string>();
  const f: Fake = { served: [], pending: [], counters: new Map([['decode-a', 0], ['decode-b', 0]]), scrapesDone: 0, link: undefined as unknown as ClusterLink };
  const bump = (pod: string) => f.counters.set(pod, (f.counters.get(pod) ?? 0) + 1);
  const port = await listen((req, res) => {
    if (req.method === 'GET') { res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: [{ id: MODEL }] })); return; }
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const prompt = (JSON.parse(body) as { messages: Array<{ content: string }> }).messages.at(-1)?.content ?? '';
      const pod = route(f.served.length, prompt);
      f.served.push(pod);
      opts.onServe?.(f, pod);
      const gatewayId = `gw-${f.served.length}`;
      gatewayIds.set(gatewayId, pod);
      const id = opts.eppNames ? { id: `chatcmpl-${gatewayId}` } : {};
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`data: ${JSON.stringify({ ...id, choices: [{ index: 0, delta: { role: 'assistant', content: 'ok' }, finish_reason: null }] })}\n\n`);
      res.write(`data: ${JSON.stringify({ ...id, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`);
      if (opts.lag) f.pending.push({ pod, reads: opts.lag });
      else bump(pod);
      res.end('data: [DONE]\n\n');
    });
  });
  // One completion per scrape moves closer to being counted; until then it is still "running".
  const scrape = (p: string): string => {
    const first = f.pending.find((x) => x.pod === p);
    if (first && --first.reads <= 0) { f.pending.splice(f.pending.indexOf(first), 1); bump(p); }
    const running = f.pending.filter((x) => x.pod === p).length;
    return [
      `vllm:request_success_total{model_name="${MODEL}",finished_reason="stop"} ${f.counters.get(p) ?? 0}`,
      `vllm:request_success_total{model_name="${MODEL}",finished_reason="length"} 0`,
      `vllm:num_requests_running{model_name="${MODEL}"} ${running}`,
      `vllm:num_requests_waiting{model_name="${MODEL}"} 0`,
    ].join('\n');
  };
  f.link = {
    gatewayUrl: async () => `http://127.0.0.1:${port}`,
    forgetGateway: () => undefined,
    decodePods: async () => Object.entries(FAKE_IPS).map(([name, ip]) => ({ name, ip, ready: true })),
    noteSent: () => undefined,
    handled: async (id) => {
      const pod = opts.eppNames ? gatewayIds.get(id) : undefined;
      return pod ? { requestId: id, endpoints: [{ ip: FAKE_IPS[pod]!, port: 8000 }] } : undefined;
    },
    idRewritten: () => true,
    idKept: () => false,
    eppVerbose: async () => true,
    metrics: async (p) => {
      // A loaded machine: each scrape's answer takes this long to come back (it reflects the moment it was asked).
      const text = scrape(p);
      if (opts.scrapeMs) await new Promise((r) => setTimeout(r, opts.scrapeMs));
      f.scrapesDone += 1;
      return text;
    },
    close: () => undefined,
  };
  return f;
}
const isShared = (prompt: string) => prompt.startsWith('llm-d is a Kubernetes-native');
const tally = (pods: string[]) => pods.reduce<Record<string, number>>((o, p) => ({ ...o, [p]: (o[p] ?? 0) + 1 }), {});

describe('Playground engine against a fake cluster', () => {
  it('counts each experiment group from the counters’ deltas, re-reading until they account for every request', async () => {
    // Shared prefixes all on decode-a; distinct prompts a, b, b, a, b, a…; counters lag behind the replies.
    const f = await fakeCluster((n, prompt) => (isShared(prompt) ? 'decode-a' : ['decode-a', 'decode-b', 'decode-b'][n % 3]!), { lag: 2 });
    const pg = new Playground({ link: f.link, onDelta: () => undefined });
    const r = await pg.experiment('f1', { requests: 6, concurrency: 3, maxTokens: 4 }, new AbortController().signal, () => undefined);
    expect(countsOf(r.shared)).toEqual({ 'decode-a': 6 });
    expect(countsOf(r.distinct)).toEqual(tally(f.served.slice(6)));
    expect(r.distinct).toMatchObject({ total: 6, failed: 0, unattributed: 0 });
    // No reply could be attributed on its own (ids rewritten, several in flight): counts, but no timings.
    expect(r.distinct.replicas.every((row) => row.latency === undefined && row.share > 0)).toBe(true);
    expect(r.reading.join(' ')).toContain('stayed together');
  }, 20_000);

  it('does not trust a group’s deltas when other requests reached the replicas too', async () => {
    // Someone else's request finishes on decode-b with each distinct one of ours.
    const f = await fakeCluster((n) => (n % 2 ? 'decode-a' : 'decode-b'), { onServe: (fk, pod) => { if (fk.served.length > 4 && pod === 'decode-a') fk.counters.set('decode-b', (fk.counters.get('decode-b') ?? 0) + 1); } });
    const pg = new Playground({ link: f.link, onDelta: () => undefined });
    const r = await pg.experiment('f2', { requests: 4, concurrency: 2, maxTokens: 4 }, new AbortController().signal, () => undefined);
    expect(r.shared.unattributed).toBe(0);
    expect(r.distinct.replicas).toEqual([]);
    expect(r.distinct.unattributed).toBe(4);
    expect(r.reading.join(' ')).toMatch(/distinct group is counted from the replies attributed one by one: the replicas finished \d+ requests while this group completed 4/);
  }, 20_000);

  it('reads the counters only after the first token is out once the EPP log names our ids (they are a fallback then); before it when they are the only evidence', async () => {
    const f = await fakeCluster(() => 'decode-a');
    let scrapes = 0;
    const atFirstDelta: number[] = [];
    const watched = (kept: boolean): ClusterLink => ({ ...f.link, idKept: () => kept, metrics: (p) => { scrapes += 1; return f.link.metrics(p); } });
    const send = (kept: boolean) => {
      const before = scrapes;
      let first = true;
      return new Playground({ link: watched(kept), onDelta: () => { if (first) atFirstDelta.push(scrapes - before); first = false; } })
        .send('order', { model: MODEL, messages: [{ role: 'user', content: 'hi' }], params: {} }, new AbortController().signal);
    };
    await send(true);
    expect(atFirstDelta).toEqual([0]);
    // Ids rewritten: the counters are what attributes the reply, so they are read while the request is under way.
    const reply = await send(false);
    expect(reply.attribution).toEqual({ known: true, source: 'metrics', pod: 'decode-a' });
    expect(atFirstDelta[1]).toBeGreaterThan(0);
  }, 20_000);

  it('with rewritten ids, reads the counters after the first token once the EPP has named a reply by the id its replica received', async () => {
    const f = await fakeCluster((n) => (n % 2 ? 'decode-b' : 'decode-a'), { eppNames: true });
    let scrapes = 0;
    const atFirstDelta: number[] = [];
    const link: ClusterLink = { ...f.link, metrics: (p) => { scrapes += 1; return f.link.metrics(p); } };
    let before = 0;
    let first = true;
    const pg = new Playground({ link, onDelta: () => { if (first) atFirstDelta.push(scrapes - before); first = false; } });
    const send = (i: number) => {
      before = scrapes;
      first = true;
      return pg.send(`named${i}`, { model: MODEL, messages: [{ role: 'user', content: 'hi' }], params: {} }, new AbortController().signal);
    };
    expect((await send(1)).attribution).toEqual({ known: true, source: 'epp-log', pod: 'decode-a', ip: '10.0.0.1' });
    expect((await send(2)).attribution).toEqual({ known: true, source: 'epp-log', pod: 'decode-b', ip: '10.0.0.2' });
    expect(atFirstDelta[1]).toBe(0);
  }, 20_000);

  it('sends once more through a freshly checked forward when nothing listens at the URL the link re-used', async () => {
    const f = await fakeCluster(() => 'decode-a');
    const live = await f.link.gatewayUrl();
    const gone = http.createServer();
    await new Promise<void>((r) => gone.listen(0, '127.0.0.1', r));
    const deadUrl = `http://127.0.0.1:${(gone.address() as AddressInfo).port}`;
    await new Promise<void>((r) => gone.close(() => r()));
    let forgotten = 0;
    const link: ClusterLink = { ...f.link, gatewayUrl: async () => (forgotten ? live : deadUrl), forgetGateway: () => { forgotten += 1; } };
    const reply = await new Playground({ link, onDelta: () => undefined }).send('dead', { model: MODEL, messages: [{ role: 'user', content: 'hi' }], params: {} }, new AbortController().signal);
    expect(reply.content).toBe('ok');
    expect(forgotten).toBe(1);
    expect(f.served).toHaveLength(1);
  }, 20_000);

  it('attributes a reply whose counter reads come back only after it ended, from the last quiet read before it was sent', async () => {
    // Each scrape answers 300 ms late, the reply takes a few ms: the reads started with the request cannot
    // show it was not yet counted, and were left unused — the reply came out "unknown" on a loaded machine.
    const f = await fakeCluster((n) => (n % 2 ? 'decode-b' : 'decode-a'), { scrapeMs: 300 });
    const pg = new Playground({ link: f.link, onDelta: () => undefined });
    await pg.models();
    // The Playground reads a first baseline when it opens (off any reply's path); wait for it to come back.
    await vi.waitFor(() => expect(f.scrapesDone).toBe(2), { timeout: 5000, interval: 20 });
    await new Promise((r) => setImmediate(r));
    const send = (i: number) => pg.send(`late${i}`, { model: MODEL, messages: [{ role: 'user', content: `hi ${i}` }], params: {} }, new AbortController().signal);
    // The first from the opening read; the second from the reads after the first reply, when all was quiet.
    expect((await send(1)).attribution).toEqual({ known: true, source: 'metrics', pod: 'decode-a' });
    expect((await send(2)).attribution).toEqual({ known: true, source: 'metrics', pod: 'decode-b' });
    expect(f.served).toEqual(['decode-a', 'decode-b']);
  }, 20_000);

  it('with late counter reads and no quiet read before the reply, says so rather than guess', async () => {
    // Another request runs on decode-b the whole time: no read is quiet, so none may stand in as "before".
    const f = await fakeCluster(() => 'decode-a', { scrapeMs: 300 });
    f.pending.push({ pod: 'decode-b', reads: Number.POSITIVE_INFINITY });
    const pg = new Playground({ link: f.link, onDelta: () => undefined });
    await pg.models();
    await vi.waitFor(() => expect(f.scrapesDone).toBe(2), { timeout: 5000, interval: 20 });
    const reply = await pg.send('late', { model: MODEL, messages: [{ role: 'user', content: 'hi' }], params: {} }, new AbortController().signal);
    expect(reply.attribution).toEqual({ known: false, reason: 'The gateway rewrote the request id (and the reply did not name the one its replica received), and the replicas’ request counters could not be read (they arrived only after the reply had ended).' });
  }, 20_000);

  it('attributes a chat reply by the counters once they show it, and says why not when another replica finished one too', async () => {
    // Counted only on the third scrape after the reply ended: the first reads show nothing yet.
    const f = await fakeCluster(() => 'decode-b', { lag: 3 });
    const pg = new Playground({ link: f.link, onDelta: () => undefined });
    const send = () => pg.send('c', { model: MODEL, messages: [{ role: 'user', content: 'hi' }], params: {} }, new AbortController().signal);
    expect((await send()).attribution).toEqual({ known: true, source: 'metrics', pod: 'decode-b' });

    const g = await fakeCluster(() => 'decode-b', { onServe: (fk) => fk.counters.set('decode-a', (fk.counters.get('decode-a') ?? 0) + 1) });
    const reply = await new Playground({ link: g.link, onDelta: () => undefined }).send('c', { model: MODEL, messages: [{ role: 'user', content: 'hi' }], params: {} }, new AbortController().signal);
    expect(reply.attribution).toEqual({ known: false, reason: 'The gateway rewrote the request id (and the reply did not name the one its replica received), and 2 replicas finished requests during this reply.' });
  }, 20_000);
});
