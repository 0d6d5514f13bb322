// gateway-backends from fixtures, for both releases: no Ready pod behind the InferencePool (scaled to 0,
// explained by another rule, or not), the gateway's own pod down, and when the rule has nothing to say.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { probeGateway } from './collect-forwards.js';
import { poolSnapshot } from './collect.js';
import { noEndpointAnswer } from '../../../shared/epp-answers.js';
import { ago, decodeDeployment, decodePod, forward, gatewayPods, guideDecodePod, guidePlan, journal, plan, pool, snapshot } from './fixtures.testkit.js';
import { gatewayBackends } from './rules/gateway-backends.js';
import { runRule } from './run.js';
import type { Snapshot } from './snapshot.js';

const installed = journal([{ id: 'stack', state: 'done' }, { id: 'ready', state: 'done' }, { id: 'access', state: 'done' }]);
const today = plan();
const guide = guidePlan();
const NS = 'llm-d-cpu-inference';
const probe = (status: number, body: string) => forward({ probe: { request: 'GET http://127.0.0.1:8000/v1/models', status, body } });
const noPods = noEndpointAnswer('llm-d-router', false);

/** A snapshot of an installed stack of `p`'s release: its pool, its gateway pods Ready, `decode` as given. */
const installedStack = (p: ReturnType<typeof plan>, decode: Snapshot['pods'], over: Partial<Snapshot> = {}): Snapshot => snapshot({
  plan: p, journal: installed, pods: [...gatewayPods(p), ...decode], inferencePools: [pool(p)], deployments: [decodeDeployment(p, 2, decode.filter((d) => d.podReady).length)], ...over,
});

describe('gateway-backends: today’s llm-d (standalone EPP + Envoy)', () => {
  it('passes while the pool selects Ready model servers and the EPP pod is Ready', () => {
    expect(runRule(gatewayBackends, installedStack(today, [decodePod('a'), decodePod('b')])).outcome).toBe('passed');
  });

  it('the Deployment scaled to 0: names it, the pool and what the gateway answered, and offers the install again (one click) or a kubectl scale back to the settings’ replicas', () => {
    const r = runRule(gatewayBackends, installedStack(today, [], { deployments: [decodeDeployment(today, 0)], forwards: [probe(noPods.status, noPods.body)] }));
    expect(r.outcome).toBe('finding');
    const f = r.finding!;
    expect(f.severity).toBe('error');
    expect(f.summary).toBe('The gateway has no model server to send requests to: Deployment optimized-baseline-cpu-vllm-decode is scaled to 0 (your settings ask for 2), so InferencePool optimized-baseline selects no pod. Through the port-forward the gateway answers 500 (the EPP’s own answer: inference error: Internal - no pods available in datastore).');
    expect(f.evidence).toEqual([
      { source: `inferencepool/${NS}/optimized-baseline`, lines: ['group inference.networking.k8s.io, selector llm-d.ai/guide=optimized-baseline, target port 8000', '0 pods match, 0 Ready'] },
      { source: `deployment/${NS}/optimized-baseline-cpu-vllm-decode`, lines: ['replicas 0, 0 Ready'] },
      { source: 'forward/gateway', lines: ['GET http://127.0.0.1:8000/v1/models → 500: inference error: Internal - no pods available in datastore'] },
    ]);
    // One click first: the install again, whose stack step sees the Deployment differ from the settings.
    expect(f.fixes[0]).toEqual({
      kind: 'settings', id: 'install-again', label: 'Run the install again (it scales optimized-baseline-cpu-vllm-decode back to 2 replicas)',
      does: 'Runs the install again with your settings: its stack step finds optimized-baseline-cpu-vllm-decode at 0 replicas where the settings want 2 and deploys the stack again, which scales it back; the steps already done are quick checks.',
      settings: { replicas: 2 },
    });
    expect(f.fixes[1]).toEqual({ kind: 'commands', id: 'scale-back', label: 'Scale optimized-baseline-cpu-vllm-decode back to 2 replicas (what your settings ask for)', commands: [['kubectl', '--context', 'llm-d-cpu', 'scale', 'deployment/optimized-baseline-cpu-vllm-decode', '-n', NS, '--replicas=2']] });
  });

  it('the Deployment deleted by hand: names it as missing and offers the install again, which creates it', () => {
    const f = runRule(gatewayBackends, installedStack(today, [], { deployments: [], forwards: [probe(noPods.status, noPods.body)] })).finding!;
    expect(f.summary).toMatch(/^The gateway has no model server to send requests to: Deployment optimized-baseline-cpu-vllm-decode is missing from llm-d-cpu-inference \(deleted outside the app\)/);
    expect(f.evidence.at(-1)).toEqual({ source: `deployment/${NS}/optimized-baseline-cpu-vllm-decode`, lines: [`no Deployment named optimized-baseline-cpu-vllm-decode in namespace ${NS}`] });
    expect(f.fixes.map((x) => x.id)).toEqual(['install-again', 'watch-pods']);
    expect(f.fixes[0]).toMatchObject({ kind: 'settings', settings: { replicas: 2 } });
    // There at 2 replicas with no pod yet, or not collected (the list was refused): no claim that it is missing.
    expect(runRule(gatewayBackends, installedStack(today, [])).finding!.summary).not.toMatch(/missing/);
    expect(runRule(gatewayBackends, installedStack(today, [], { deployments: undefined })).finding!.summary).not.toMatch(/missing/);
  });

  it('pods that another rule explains (OOMKilled): points at that rule instead of repeating its fixes', () => {
    const oom = decodePod('a', { ready: false, restartCount: 2, state: { kind: 'waiting', reason: 'CrashLoopBackOff' }, lastTerminated: { exitCode: 137, reason: 'OOMKilled', finishedAt: ago(30) } });
    const f = runRule(gatewayBackends, installedStack(today, [oom])).finding!;
    expect(f.summary).toBe('The gateway has no model server to send requests to: the one model server InferencePool optimized-baseline selects is not Ready — see “Model servers have enough memory”.');
    expect(f.evidence[1]).toEqual({ source: `pod/${NS}/${oom.name}`, at: oom.createdAt, lines: ['0/1 ready, phase Running, container modelserver waiting (CrashLoopBackOff), 2 restarts'] });
    expect(f.fixes.map((x) => x.id)).toEqual(['watch-pods']);
  });

  it('pods not Ready that no other rule explains: the commands to watch and describe them', () => {
    // Scheduled, its volumes still mounting (ContainerCreating): no rule has a story for it yet.
    const unready = decodePod('a', { ready: false, started: false, state: { kind: 'waiting', reason: 'ContainerCreating' } }, { phase: 'Pending' });
    const f = runRule(gatewayBackends, installedStack(today, [unready, { ...unready, name: `${unready.name}2` }], { forwards: [probe(503, noEndpointAnswer('llm-d-router', true).body)] })).finding!;
    expect(f.severity).toBe('error');
    expect(f.summary).toBe('The gateway has no model server to send requests to: none of the 2 model servers InferencePool optimized-baseline selects is Ready. Through the port-forward the gateway answers 503 (the EPP’s own answer: inference error: ServiceUnavailable - failed to find endpoint candidates for serving the request).');
    expect(f.evidence[1]!.lines).toEqual(['0/1 ready, phase Pending, container modelserver waiting (ContainerCreating)']);
    const sel = 'llm-d.ai/guide=optimized-baseline';
    expect(f.fixes).toEqual([
      { kind: 'commands', id: 'watch-pods', label: 'Watch the pods until they are Ready', commands: [['kubectl', '--context', 'llm-d-cpu', 'get', 'pods', '-n', NS, '-l', sel, '-w']] },
      { kind: 'commands', id: 'describe-pods', label: 'Describe them (conditions and events)', commands: [['kubectl', '--context', 'llm-d-cpu', 'describe', 'pods', '-n', NS, '-l', sel]] },
    ]);
  });

  it('model servers Ready but the EPP + proxy pod is not: names that pod', () => {
    const s = installedStack(today, [decodePod('a')]);
    const epp = s.pods[0]!;
    s.pods[0] = { ...epp, podReady: false, readyText: '1/2' };
    const f = runRule(gatewayBackends, s).finding!;
    expect(f.summary).toBe(`The gateway cannot pass requests to the 1 Ready model server: the EPP and proxy pod ${epp.name} (1/2) is not Ready.`);
    expect(f.evidence[0]).toEqual({ source: `pod/${NS}/${epp.name}`, lines: ['EPP and proxy: 1/2 ready, phase Running'] });
    expect(f.fixes.map((x) => x.id)).toEqual(['watch-gateway', 'describe-gateway']);
  });

  it('not applicable without a cluster, before the stack is installed, or while an install still waits for the model servers', () => {
    expect(runRule(gatewayBackends, snapshot({ cluster: { reachable: false, why: 'the API server does not answer' } })).note).toMatch(/^no cluster to look at/);
    expect(runRule(gatewayBackends, snapshot({ journal: journal([{ id: 'minikube-start', state: 'done' }]), inferencePools: [] })).note).toBe('the stack is not installed yet (the last install did not deploy it)');
    const waiting = journal([{ id: 'stack', state: 'done' }, { id: 'ready', state: 'running' }], { status: 'running' });
    const r = runRule(gatewayBackends, installedStack(today, [], { journal: waiting }));
    expect([r.outcome, r.note]).toEqual(['not-applicable', 'an install is running and has not finished waiting for the model servers']);
    expect(runRule(gatewayBackends, installedStack(today, [], { inferencePools: [] })).note).toBe(`there is no InferencePool optimized-baseline in ${NS}`);
  });
});

describe('gateway-backends: the guide’s stack (Istio gateway, HTTPRoute, InferencePool)', () => {
  it('passes with Ready model servers, EPP and Istio gateway', () => {
    expect(runRule(gatewayBackends, installedStack(guide, [guideDecodePod('a'), guideDecodePod('b')])).outcome).toBe('passed');
  });

  it('model servers still starting: a warning that points at decode-starting, with the pool’s own selector', () => {
    const starting = guideDecodePod('a', { ready: false, started: false, state: { kind: 'running', startedAt: ago(120) } });
    const r = runRule(gatewayBackends, installedStack(guide, [starting], { forwards: [probe(500, noEndpointAnswer('gaie', false).body)] }));
    expect(r.finding!.severity).toBe('warning');
    expect(r.finding!.summary).toBe('The gateway has no model server to send requests to: the one model server InferencePool gaie-cpu-inference selects is not Ready — see “Model servers finish starting in time”. Through the port-forward the gateway answers 500 (the EPP’s own answer: inference gateway: Internal - no pods available in datastore).');
    expect(r.finding!.evidence[0]!.lines[0]).toBe('group inference.networking.k8s.io, selector llm-d.ai/inferenceServing=true, target port 8000');
    expect(r.finding!.evidence[1]!.lines).toEqual(['1/2 ready, phase Running, container vllm running, not Ready']);
  });

  it('no pod the selector matches, the Deployment still asking for 2: says the pool matches nothing', () => {
    const f = runRule(gatewayBackends, installedStack(guide, [decodePod('a')])).finding!; // today's labels: not the guide pool's
    expect(f.summary).toBe(`The gateway has no model server to send requests to: InferencePool gaie-cpu-inference (selector llm-d.ai/inferenceServing=true) matches no pod in ${NS}.`);
    expect(f.fixes.map((x) => x.id)).toEqual(['watch-pods']);
  });

  it('the Istio gateway pod gone: says there is none', () => {
    const s = installedStack(guide, [guideDecodePod('a')]);
    s.pods = s.pods.filter((p) => p.labels['app.kubernetes.io/component'] !== 'inference-gateway');
    expect(runRule(gatewayBackends, s).finding!.summary).toBe('The gateway cannot pass requests to the 1 Ready model server: there is no gateway pod (app.kubernetes.io/component=inference-gateway).');
  });
});

describe('what gateway-backends reads', () => {
  it('an InferencePool in either group’s shape: v1 selector.matchLabels + targetPorts, v1alpha2 a flat selector + targetPortNumber', () => {
    expect(poolSnapshot({ metadata: { name: 'gaie-cpu-inference', namespace: NS }, spec: { selector: { matchLabels: { 'llm-d.ai/inferenceServing': 'true' } }, targetPorts: [{ number: 8000 }] } }, 'inference.networking.k8s.io', NS))
      .toEqual({ namespace: NS, name: 'gaie-cpu-inference', group: 'inference.networking.k8s.io', selector: { 'llm-d.ai/inferenceServing': 'true' }, targetPort: 8000 });
    expect(poolSnapshot({ metadata: { name: 'old' }, spec: { selector: { app: 'vllm' }, targetPortNumber: 8000 } }, 'inference.networking.x-k8s.io', NS))
      .toEqual({ namespace: NS, name: 'old', group: 'inference.networking.x-k8s.io', selector: { app: 'vllm' }, targetPort: 8000 });
  });

  it('probes GET /v1/models: the status and the start of the body, or why there was no answer', async () => {
    const server = http.createServer((_req, res) => { res.writeHead(500, { 'content-type': 'text/plain' }).end(`${noPods.body}\n`); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect(await probeGateway(`${url}/`)).toEqual({ request: `GET ${url}/v1/models`, status: 500, body: noPods.body });
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
    expect(await probeGateway(url)).toEqual({ request: `GET ${url}/v1/models`, error: 'ECONNREFUSED' });
  });
});
