// The gateway, EPP, forward, kubeconfig and profile rules from fixtures: a finding (with evidence naming
// the object and its fixes), nothing to find, and not applicable.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ago, decodePod, eppPod, forward, guidePlan, journal, kube, plan, route, snapshot } from './fixtures.testkit.js';
import { kubeSnapshot, personKubeConfig } from './person-kubeconfig.js';
import { collectForwards } from './collect-forwards.js';
import { routeSnapshot } from './collect.js';
import { eppRoutingLog, verbosityOf } from './rules/epp-routing-log.js';
import { forwardDead } from './rules/forward-dead.js';
import { gatewayRoute } from './rules/gateway-route.js';
import { kubeContext } from './rules/kube-context.js';
import { parseShortfall, profileTooSmall } from './rules/profile-too-small.js';
import { cliCommand } from './rules/rule.js';
import { findFix, runDoctor, runRule } from './run.js';

const noCluster = snapshot({ cluster: { reachable: false, why: 'no cluster "llm-d-cpu" yet' }, pods: [] });
const routeDone = journal([{ id: 'minikube-start', state: 'done' }, { id: 'stack', state: 'done' }, { id: 'route', state: 'done' }]);
const tmp: string[] = [];
afterAll(() => { for (const d of tmp) fs.rmSync(d, { recursive: true, force: true }); });
const tmpDir = () => { const d = fs.mkdtempSync(path.join(os.tmpdir(), 'doctor-more-')); tmp.push(d); return d; };

describe('gateway-route', () => {
  const guide = guidePlan();
  const withRoutes = (items: ReturnType<typeof route>[], over: Parameters<typeof snapshot>[0] = {}) =>
    snapshot({ plan: guide, httpRoutes: { crd: true, items }, journal: routeDone, ...over });

  it('the legacy x-k8s group: names the route and the pool, quotes Istio, offers the install again', () => {
    const legacy = route({
      backendRefs: [{ group: 'inference.networking.x-k8s.io', kind: 'InferencePool', name: 'gaie-cpu-inference' }],
      parents: [{ parent: 'gateway/llm-d-cpu-inference/infra-cpu-inference-inference-gateway', conditions: [
        { type: 'Accepted', status: 'True', reason: 'Accepted', observedGeneration: 1 },
        { type: 'ResolvedRefs', status: 'False', reason: 'InvalidKind', message: 'referencing unsupported backendRef: group "inference.networking.x-k8s.io" kind "InferencePool"', observedGeneration: 1, lastTransitionTime: ago(60) },
      ] }],
    });
    const f = gatewayRoute.check(withRoutes([legacy]))!;
    expect(f.severity).toBe('error');
    expect(f.summary).toBe('HTTPRoute llm-d-cpu-inference sends requests to InferencePool gaie-cpu-inference in the old inference.networking.x-k8s.io group, which Istio rejects — Istio reports ResolvedRefs=False (InvalidKind): referencing unsupported backendRef: group "inference.networking.x-k8s.io" kind "InferencePool": the gateway cannot reach the model servers.');
    expect(f.evidence[0]).toEqual({ source: 'httproute/llm-d-cpu-inference/llm-d-cpu-inference', lines: ['backendRef InferencePool/gaie-cpu-inference in group inference.networking.x-k8s.io (Istio accepts only inference.networking.k8s.io)'] });
    expect(f.evidence[1]).toMatchObject({ source: 'httproute/llm-d-cpu-inference/llm-d-cpu-inference (parent gateway/llm-d-cpu-inference/infra-cpu-inference-inference-gateway)', at: ago(60), lines: [expect.stringMatching(/^ResolvedRefs=False \(InvalidKind\): referencing unsupported backendRef/)] });
    // The guide is not the default release: the command names it, so it cannot install another stack.
    expect(f.fixes).toEqual([{ kind: 'commands', id: 'install-again', label: expect.stringContaining('repairs the group to inference.networking.k8s.io'), commands: [['npm', 'run', 'cli', '--', 'up', '--yes', '--release', 'llm-d-0.4-cpu-guide']] }]);
  });

  it('Istio refusing the route (BackendNotFound): its reason and message, and how to see more', () => {
    const refused = route({ parents: [{ parent: 'gateway/llm-d-cpu-inference/infra-cpu-inference-inference-gateway', conditions: [
      { type: 'Accepted', status: 'True', observedGeneration: 1 },
      { type: 'ResolvedRefs', status: 'False', reason: 'BackendNotFound', message: 'backend(gaie-cpu-inference) not found', observedGeneration: 1 },
    ] }] });
    const f = gatewayRoute.check(withRoutes([refused]))!;
    expect(f.summary).toBe('Istio refuses HTTPRoute llm-d-cpu-inference: ResolvedRefs=False (BackendNotFound): backend(gaie-cpu-inference) not found. The gateway cannot reach InferencePool gaie-cpu-inference.');
    expect(f.fixes.map((x) => x.id)).toEqual(['describe-route', 'install-again']);
    expect(f.fixes[0]).toMatchObject({ commands: [['kubectl', '--context', 'llm-d-cpu', 'describe', 'httproute', 'llm-d-cpu-inference', '-n', 'llm-d-cpu-inference']] });
    // Accepted=False counts too; a condition for an older generation does not.
    expect(gatewayRoute.check(withRoutes([route({ parents: [{ parent: 'gateway/x/y', conditions: [{ type: 'Accepted', status: 'False', reason: 'NotAllowedByListeners', observedGeneration: 1 }] }] })]))!.summary).toMatch(/Accepted=False \(NotAllowedByListeners\)/);
    expect(gatewayRoute.check(withRoutes([{ ...refused, generation: 2 }]))).toBeUndefined();
  });

  it('the route missing after the route step had made it; with the CRD gone, says so', () => {
    const f = gatewayRoute.check(withRoutes([route({ name: 'someone-elses' })]))!;
    expect(f.summary).toBe('HTTPRoute llm-d-cpu-inference is missing from llm-d-cpu-inference: the Istio gateway has no route to InferencePool gaie-cpu-inference, so requests to the gateway get no answer.');
    expect(f.evidence[0]!.source).toBe('httproute/llm-d-cpu-inference/llm-d-cpu-inference');
    expect(gatewayRoute.check(withRoutes([], { httpRoutes: { crd: false, items: [] } }))!.summary).toMatch(/\(the cluster has no HTTPRoute CRD at all\)/);
  });

  it('passes a resolved route; not applicable on the standalone release, without a cluster, or before the route step', () => {
    expect(gatewayRoute.check(withRoutes([route()]))).toBeUndefined();
    expect(runRule(gatewayRoute, snapshot({ httpRoutes: { crd: true, items: [] } }))).toMatchObject({ outcome: 'not-applicable', note: expect.stringContaining('has no Istio gateway') });
    expect(runRule(gatewayRoute, { ...noCluster, plan: guide })).toMatchObject({ outcome: 'not-applicable', note: expect.stringContaining('no cluster') });
    expect(runRule(gatewayRoute, withRoutes([], { journal: journal([{ id: 'stack', state: 'failed' }, { id: 'route', state: 'pending' }]) }))).toMatchObject({ outcome: 'not-applicable', note: expect.stringContaining('has not reached') });
  });

  it('collect maps an HTTPRoute object: backends, parents, conditions', () => {
    const r = routeSnapshot({
      metadata: { name: 'llm-d-cpu-inference', namespace: 'llm-d-cpu-inference', generation: 3 },
      spec: { rules: [{ backendRefs: [{ group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'gaie-cpu-inference' }] }] },
      status: { parents: [{ parentRef: { name: 'infra-cpu-inference-inference-gateway' }, conditions: [{ type: 'ResolvedRefs', status: 'True', reason: 'ResolvedRefs', observedGeneration: 3 }] }] },
    }, 'llm-d-cpu-inference');
    expect(r).toEqual({ namespace: 'llm-d-cpu-inference', name: 'llm-d-cpu-inference', generation: 3,
      backendRefs: [{ group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'gaie-cpu-inference' }],
      parents: [{ parent: 'gateway/llm-d-cpu-inference/infra-cpu-inference-inference-gateway', conditions: [{ type: 'ResolvedRefs', status: 'True', reason: 'ResolvedRefs', observedGeneration: 3 }] }] });
  });
});

describe('epp-routing-log', () => {
  it('reads klog verbosity in each spelling, the last one winning', () => {
    expect(verbosityOf(['--v=3'])).toBe(3);
    expect(verbosityOf(['--pool-name', 'gaie', '--v', '4'])).toBe(4);
    expect(verbosityOf(['-v=2'])).toBe(2);
    expect(verbosityOf(['-v', '5', '--v=1'])).toBe(1);
    expect(verbosityOf(['/bin/sh', '-c', '/epp --v 3 --zap-encoder json'])).toBe(3);
    expect(verbosityOf(['--version', '--vmodule=x=4', '--zap-log-level=debug'])).toBeUndefined();
  });

  it('an EPP below the routing verbosity: names the pod and its flag, offers helm and the install again', () => {
    const p = plan();
    const quiet = eppPod(p, ['--pool-name=optimized-baseline', '--v=1', '--grpc-port=9002']);
    const f = eppRoutingLog.check(snapshot({ pods: [decodePod('a'), quiet] }))!;
    expect(f.severity).toBe('warning');
    expect(f.summary).toBe(`The EPP does not log its routing decisions, so the Playground cannot say why a replica answered: ${quiet.name} runs with --v=1, and the "Request handled" line needs --v=3 or more.`);
    expect(f.evidence).toEqual([{ source: `pod/llm-d-cpu-inference/${quiet.name}`, lines: ['container epp: --v=1 (needs 3)', 'args: --pool-name=optimized-baseline --v=1 --grpc-port=9002'] }]);
    expect(f.fixes).toEqual([
      { kind: 'commands', id: 'helm-verbosity', label: expect.stringContaining('optimized-baseline'), commands: [['helm', 'upgrade', 'optimized-baseline', 'oci://ghcr.io/llm-d/charts/llm-d-router-standalone', '--version', 'v0.10.0', '--namespace', 'llm-d-cpu-inference', '--kube-context', 'llm-d-cpu', '--reuse-values', '--set', 'router.epp.flags.v=3']] },
      { kind: 'commands', id: 'install-again', label: expect.any(String), commands: [['npm', 'run', 'cli', '--', 'up', '--yes']] },
    ]);
    // The guide's EPP comes from the gaie chart, its flag rendered as two args; no flag at all is klog's 0.
    const g = guidePlan();
    const guideQuiet = eppRoutingLog.check(snapshot({ plan: g, pods: [eppPod(g, ['--pool-name', 'gaie-cpu-inference'])] }))!;
    expect(guideQuiet.summary).toMatch(/^The EPP does not log its routing decisions.*gaie-cpu-inference-epp-5c9d8-x7k2p runs with no --v flag \(klog's default, 0\)/);
    expect(guideQuiet.fixes[0]).toMatchObject({ commands: [expect.arrayContaining(['gaie-cpu-inference', 'inferenceExtension.flags.v=3'])] });
  });

  it('passes an EPP at --v=3 (either spelling); not applicable without an EPP pod or a cluster', () => {
    const g = guidePlan();
    expect(eppRoutingLog.check(snapshot({ pods: [eppPod(plan(), ['--v=3'])] }))).toBeUndefined();
    expect(eppRoutingLog.check(snapshot({ plan: g, pods: [eppPod(g, ['--pool-name', 'gaie-cpu-inference', '--v', '3'])] }))).toBeUndefined();
    expect(runRule(eppRoutingLog, snapshot())).toMatchObject({ outcome: 'not-applicable', note: 'no EPP pod (llm-d-router-gateway=optimized-baseline-epp) yet' });
    expect(runRule(eppRoutingLog, noCluster)).toMatchObject({ outcome: 'not-applicable', note: expect.stringContaining('no cluster') });
  });
});

describe('forward-dead', () => {
  it('a gateway forward whose process is gone: the URL, the service, the pid; `status` restarts it', () => {
    const f = forwardDead.check(snapshot({ forwards: [forward({ alive: false, answers: false }), forward({ name: 'grafana', port: 3000, url: 'http://127.0.0.1:3000', service: 'llmd-grafana', namespace: 'llm-d-monitoring' })] }))!;
    expect(f.severity).toBe('warning');
    expect(f.summary).toBe('The gateway port-forward (http://127.0.0.1:8000 → svc/optimized-baseline-epp:80 in llm-d-cpu-inference) is not working: its process (pid 4242) is gone, so http://127.0.0.1:8000 gets no answer.');
    expect(f.evidence).toEqual([{ source: 'forward/gateway', at: ago(900), lines: [
      `http://127.0.0.1:8000 → svc/optimized-baseline-epp:80 in llm-d-cpu-inference (context llm-d-cpu), started ${ago(900)}`, 'pid 4242: gone; 127.0.0.1:8000: no answer'] }]);
    expect(f.fixes).toEqual([expect.objectContaining({ kind: 'commands', id: 'restart', commands: [['npm', 'run', 'cli', '--', 'status']] })]);
  });

  it('a live process whose port takes no connection counts too; only Grafana dead is information', () => {
    expect(forwardDead.check(snapshot({ forwards: [forward({ answers: false })] }))!.summary).toMatch(/its process \(pid 4242\) runs but 127\.0\.0\.1:8000 takes no connection/);
    expect(forwardDead.check(snapshot({ forwards: [forward(), forward({ name: 'grafana', alive: false, answers: false })] }))!.severity).toBe('info');
  });

  it('passes live forwards; not applicable without the run dir or any record', () => {
    expect(forwardDead.check(snapshot({ forwards: [forward()] }))).toBeUndefined();
    expect(runRule(forwardDead, snapshot())).toMatchObject({ outcome: 'not-applicable', note: 'the doctor was not given the app’s run directory' });
    expect(runRule(forwardDead, snapshot({ forwards: [] }))).toMatchObject({ outcome: 'not-applicable', note: expect.stringContaining('no port-forward is recorded') });
  });

  it('collect reads the records: a gone pid is not alive and its port is not tried; a bad file is skipped', async () => {
    const runDir = tmpDir();
    fs.mkdirSync(path.join(runDir, 'forwards'));
    const rec = { name: 'gateway', pid: 2 ** 22 + 17, port: 8000, url: 'http://127.0.0.1:8000', context: 'llm-d-cpu', namespace: 'llm-d-cpu-inference', service: 'optimized-baseline-epp', servicePort: 80, startedAt: ago(5) };
    fs.writeFileSync(path.join(runDir, 'forwards', 'gateway.json'), JSON.stringify(rec));
    fs.writeFileSync(path.join(runDir, 'forwards', 'broken.json'), '{');
    expect(await collectForwards(runDir)).toEqual([{ ...rec, alive: false, answers: false }]);
    expect(await collectForwards(path.join(runDir, 'nowhere'))).toEqual([]);
  });
});

describe('kube-context', () => {
  const started = journal([{ id: 'minikube-start', state: 'skipped', outcome: 'already-done' }]);
  it('the profile context missing after the cluster was started: an error naming the file and the contexts there', () => {
    const f = kubeContext.check(snapshot({ journal: started, kube: kube({ contexts: ['kind-dev'], current: 'kind-dev', clusterOf: { 'kind-dev': { cluster: 'kind-dev' } } }) }))!;
    expect(f.severity).toBe('error');
    expect(f.summary).toMatch(/^The kubeconfig \(\/home\/me\/\.kube\/config\) has no context "llm-d-cpu", though the last install started minikube profile "llm-d-cpu": the app cannot reach its cluster/);
    expect(f.evidence).toEqual([{ source: 'kubeconfig//home/me/.kube/config', lines: ['contexts: kind-dev', 'current-context: kind-dev'] }]);
    expect(f.fixes[0]).toMatchObject({ id: 'install-again', commands: [['npm', 'run', 'cli', '--', 'up', '--yes']] });
  });

  it('a current context on another cluster: information only, the app never switches it', () => {
    const k = kube({ contexts: ['llm-d-cpu', 'prod'], current: 'prod', clusterOf: { 'llm-d-cpu': { cluster: 'llm-d-cpu', server: 'https://192.168.49.2:8443' }, prod: { cluster: 'prod-eu', server: 'https://prod.example.com' } } });
    const f = kubeContext.check(snapshot({ journal: started, kube: k }))!;
    expect(f.severity).toBe('info');
    expect(f.summary).toBe('Your current kubectl context is "prod", another cluster than "llm-d-cpu": kubectl without --context talks to that one. The app never switches your context; it always uses "llm-d-cpu" explicitly, so this is only for your own commands.');
    expect(f.evidence[0]!.lines).toEqual(['context prod → cluster prod-eu (https://prod.example.com)', 'context llm-d-cpu → cluster llm-d-cpu (https://192.168.49.2:8443)']);
    expect(f.fixes[0]).toMatchObject({ id: 'use-context', commands: [['kubectl', 'config', 'use-context', 'llm-d-cpu']] });
  });

  it('passes the profile current, another name for the same cluster, or no context before the cluster exists; not applicable without the kubeconfig', () => {
    expect(kubeContext.check(snapshot({ journal: started, kube: kube() }))).toBeUndefined();
    const alias = kube({ contexts: ['llm-d-cpu', 'mine'], current: 'mine', clusterOf: { 'llm-d-cpu': { cluster: 'llm-d-cpu', server: 'https://192.168.49.2:8443' }, mine: { cluster: 'x', server: 'https://192.168.49.2:8443' } } });
    expect(kubeContext.check(snapshot({ journal: started, kube: alias }))).toBeUndefined();
    expect(kubeContext.check(snapshot({ journal: journal([{ id: 'minikube-start', state: 'pending' }]), kube: kube({ contexts: [], clusterOf: {} }) }))).toBeUndefined();
    // A teardown's minikube-start "done" is its undo, not a start.
    expect(kubeContext.check(snapshot({ journal: journal([{ id: 'minikube-start', state: 'done' }], { kind: 'down' }), kube: kube({ contexts: [], clusterOf: {} }) }))).toBeUndefined();
    expect(runRule(kubeContext, snapshot())).toMatchObject({ outcome: 'not-applicable', note: 'the doctor was not given your kubeconfig' });
  });

  it('reads the person\'s kubeconfig as kubectl merges it, current context untouched', () => {
    const dir = tmpDir();
    const a = path.join(dir, 'a.yaml');
    const b = path.join(dir, 'b.yaml');
    fs.writeFileSync(a, 'apiVersion: v1\nkind: Config\ncurrent-context: prod\nclusters: [{name: prod-eu, cluster: {server: "https://prod.example.com"}}]\ncontexts: [{name: prod, context: {cluster: prod-eu, user: me}}]\nusers: [{name: me, user: {}}]\n');
    fs.writeFileSync(b, 'apiVersion: v1\nkind: Config\ncurrent-context: llm-d-cpu\nclusters: [{name: llm-d-cpu, cluster: {server: "https://192.168.49.2:8443"}}, {name: prod-eu, cluster: {server: "https://shadowed"}}]\ncontexts: [{name: llm-d-cpu, context: {cluster: llm-d-cpu, user: llm-d-cpu}}]\nusers: [{name: llm-d-cpu, user: {}}]\n');
    const k = kubeSnapshot(personKubeConfig({ KUBECONFIG: [a, path.join(dir, 'missing'), b].join(path.delimiter) }));
    expect(k).toEqual({ files: [a, b], contexts: ['prod', 'llm-d-cpu'], current: 'prod', clusterOf: { prod: { cluster: 'prod-eu', server: 'https://prod.example.com' }, 'llm-d-cpu': { cluster: 'llm-d-cpu', server: 'https://192.168.49.2:8443' } } });
    expect(kubeSnapshot(personKubeConfig({ KUBECONFIG: path.join(dir, 'none') }))).toEqual({ files: [path.join(dir, 'none')], contexts: [], clusterOf: {} });
  });
});

describe('profile-too-small', () => {
  const message = 'The existing minikube profile "llm-d-cpu" has 4 CPUs (settings want 8) and 8192 MiB (settings want 24576). minikube cannot resize an existing cluster.';
  const failed = journal([{ id: 'prerequisites', state: 'done' }, { id: 'minikube-start', state: 'failed', endedAt: ago(12), error: { code: 'CONFLICT', message, hint: 'Delete it (`minikube delete -p llm-d-cpu`, or tear down with "delete the cluster") and retry, or lower the CPUs/memory in the settings.' } }]);

  it('parses the step\'s sentence, from run (error) and detect (blocked) alike', () => {
    expect(parseShortfall(message)).toEqual({ profile: 'llm-d-cpu', cpus: { have: 4, want: 8 }, memoryMiB: { have: 8192, want: 24576 } });
    expect(parseShortfall('Start the cluster: The existing minikube profile "lab" has 12288 MiB (settings want 24576).')).toEqual({ profile: 'lab', memoryMiB: { have: 12288, want: 24576 } });
    expect(parseShortfall('minikube start failed: exit status 80')).toBeUndefined();
  });

  it('names the profile and both sizes; offers recreating it, or the settings lowered to what it has', () => {
    const f = profileTooSmall.check(snapshot({ journal: failed }))!;
    expect(f.severity).toBe('error');
    expect(f.summary).toBe('The minikube profile "llm-d-cpu" already exists with 4 CPUs where the settings want 8 and 8192 MiB of memory where the settings want 24576, and minikube cannot resize a cluster: the install stopped at step minikube-start.');
    expect(f.evidence.map((e) => e.source)).toEqual(['journal/run-42', 'minikube-profile/llm-d-cpu']);
    expect(f.evidence[0]).toMatchObject({ at: ago(12), lines: [`CONFLICT: ${message}`, expect.stringMatching(/^What to do: Delete it/)] });
    // One click: the settings already ask for the size, so nothing changes but the install deleting the profile first.
    expect(f.fixes[0]).toEqual({
      kind: 'settings', id: 'recreate', recreatesCluster: true, settings: {}, label: 'Recreate the cluster with 8 CPUs / 24 GiB',
      does: 'Deletes the cluster "llm-d-cpu" and everything in it first (every pod, volume and deployed chart), then runs the install again to create it with 8 CPUs and 24 GiB of memory; the model weights and the images cached on this computer survive and go into the new cluster.',
    });
    expect(f.fixes[1]).toMatchObject({ kind: 'settings', id: 'fit-profile', settings: { cpus: 4, memoryMiB: 8192 }, does: expect.stringContaining('Sets CPUs from 8 to 4 and memory from 24576 MiB to 8192 MiB') });
    expect(findFix(runDoctor(snapshot({ journal: failed })), 'profile-too-small:fit-profile')).toMatchObject({ settings: { cpus: 4, memoryMiB: 8192 } });
  });

  it('no settings fix when the profile\'s size is not a valid setting (below minikube\'s 4096 MiB)', () => {
    const tiny = journal([{ id: 'minikube-start', state: 'failed', error: { code: 'CONFLICT', message: 'The existing minikube profile "llm-d-cpu" has 2048 MiB (settings want 24576). minikube cannot resize an existing cluster.' } }]);
    expect(profileTooSmall.check(snapshot({ journal: tiny }))!.fixes.map((x) => x.id)).toEqual(['recreate']);
  });

  it('passes another failure or a finished run; not applicable before any run', () => {
    expect(profileTooSmall.check(snapshot({ journal: journal([{ id: 'minikube-start', state: 'failed', error: { code: 'TOOL', message: 'minikube start failed' } }]) }))).toBeUndefined();
    expect(profileTooSmall.check(snapshot({ journal: routeDone }))).toBeUndefined();
    expect(runRule(profileTooSmall, snapshot())).toMatchObject({ outcome: 'not-applicable', note: 'nothing has run yet' });
  });
});

describe('cliCommand', () => {
  it('carries the settings that differ from the defaults, so the command acts on the same stack', () => {
    expect(cliCommand(snapshot(), 'status')).toEqual(['npm', 'run', 'cli', '--', 'status']);
    expect(cliCommand(snapshot({ plan: guidePlan({ driver: 'docker', replicas: 1 }) }), 'up', '--yes'))
      .toEqual(['npm', 'run', 'cli', '--', 'up', '--yes', '--release', 'llm-d-0.4-cpu-guide', '--driver', 'docker', '--replicas', '1']);
  });
});
