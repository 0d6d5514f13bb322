// The gateway, EPP, forward, kubeconfig and profile rules on the simulated world, through the CLI a person
// uses (`doctor --json`): each condition made the way it happens — the model servers scaled to 0 or
// OOMKilled behind the gateway (which then answers as the EPP does), a route re-applied with the old group,
// a `helm upgrade` that lowers the EPP's verbosity, the forwarder killed, the kubeconfig edited by hand,
// settings bigger than the existing profile — found with evidence naming the real object, then gone after
// the fix the finding offers (for the scaled-to-0 model servers: the install again, one click).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import type { DoctorReport, RuleResult } from '../../../shared/api/doctor.js';
import { noEndpointAnswer } from '../../../shared/epp-answers.js';
import { releaseNames } from '../../../shared/release.js';
import { DEFAULT_RELEASE_ID } from '../../../shared/stack.js';
import type { JournalDoc } from '../../../shared/api/engine.js';
import { pidAlive } from '../plan/journal.js';
import { loadRelease } from '../stack/releases.js';
import { hostFactsFile, simWorlds } from '../steps/sim-worlds.testkit.js';

const { ROOT, world, cli, cleanup } = simWorlds();
afterAll(cleanup);
const mirror = pathToFileURL(path.join(ROOT, 'sim', 'mirror')).href;
const NS = 'llm-d-cpu-inference';
const GUIDE = ['--release', 'llm-d-0.4-cpu-guide'];

async function doctor(env: NodeJS.ProcessEnv, flags: string[]): Promise<DoctorReport> {
  const res = await cli(['doctor', '--json', ...flags], env);
  return JSON.parse(res.out) as DoctorReport;
}
const result = (r: DoctorReport, id: string): RuleResult => r.results.find((x) => x.id === id)!;

/** Runs the doctor until `ok` holds for the rule's result (the cluster's controllers act asynchronously). */
async function doctorUntil(env: NodeJS.ProcessEnv, flags: string[], id: string, ok: (r: RuleResult) => boolean, timeoutMs = 30_000): Promise<RuleResult> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = result(await doctor(env, flags), id);
    if (ok(r)) return r;
    if (Date.now() > deadline) throw new Error(`doctor: ${id} never got there; last: ${JSON.stringify(r, null, 1)}`);
    await new Promise((res) => setTimeout(res, 300));
  }
}

/** A fix's `npm run cli -- …` command run through the CLI in-process. */
async function runFixCommand(command: string[], env: NodeJS.ProcessEnv) {
  expect(command.slice(0, 4)).toEqual(['npm', 'run', 'cli', '--']);
  return cli([...command.slice(4), ...(command.includes('up') ? ['--mirror', mirror] : [])], env);
}

/** A chat (a request with a body) and `GET /v1/models` (none) through the app's gateway forward: status and body. */
async function askGateway(home: string) {
  const { url } = JSON.parse(fs.readFileSync(path.join(home, 'run', 'forwards', 'gateway.json'), 'utf8')) as { url: string };
  const chat = await fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'HuggingFaceTB/SmolLM2-360M-Instruct', messages: [{ role: 'user', content: 'hi' }], max_tokens: 1 }) });
  const models = await fetch(`${url}/v1/models`);
  return { chat: { status: chat.status, body: await chat.text() }, models: { status: models.status, body: await models.text() } };
}

describe('the doctor on the sim: gateway, EPP, forwards, kubeconfig, profile', () => {
  it('the guide\'s route re-applied with the x-k8s InferencePool group: gateway-route quotes Istio, the install again repairs it; a deleted route is missing', { timeout: 300_000 }, async () => {
    const { dir, env } = await world([]);
    env.LLMD_HOST_FACTS = hostFactsFile(dir);
    const flags = [...GUIDE, '--driver', 'docker'];
    const up = await cli(['up', '--yes', '--json', ...flags, '--mirror', mirror], env);
    expect(up.code, up.out).toBe(0);
    const healthy = await doctor(env, flags);
    for (const id of ['gateway-route', 'gateway-backends']) expect(result(healthy, id).outcome, id).toBe('passed');
    const kubectl = (...a: string[]) => execFileSync('kubectl', ['--context', 'llm-d-cpu', ...a], { env, encoding: 'utf8' });

    // gateway-backends: the model servers scaled to 0 by hand. The gateway answers as the GAIE EPP does
    // without a Ready endpoint; the doctor names the real Deployment and pool, and its command brings them back.
    const decode = releaseNames(loadRelease('llm-d-0.4-cpu-guide')).decodeDeployment;
    kubectl('scale', `deployment/${decode}`, '-n', NS, '--replicas=0');
    await expect.poll(async () => (await askGateway(env.LLMD_INSTALLER_HOME!)).chat, { timeout: 20_000, interval: 300 }).toEqual(noEndpointAnswer('gaie', true));
    expect((await askGateway(env.LLMD_INSTALLER_HOME!)).models).toEqual(noEndpointAnswer('gaie', false));
    const scaled = (await doctorUntil(env, flags, 'gateway-backends', (r) => r.outcome === 'finding')).finding!;
    expect(scaled.summary).toBe(`The gateway has no model server to send requests to: Deployment ${decode} is scaled to 0 (your settings ask for 2), so InferencePool gaie-cpu-inference selects no pod. Through the port-forward the gateway answers 500 (the EPP’s own answer: inference gateway: Internal - no pods available in datastore).`);
    expect(scaled.evidence[0]).toEqual({ source: `inferencepool/${NS}/gaie-cpu-inference`, lines: ['group inference.networking.k8s.io, selector llm-d.ai/inferenceServing=true, target port 8000', '0 pods match, 0 Ready'] });
    expect(scaled.evidence.map((e) => e.source)).toEqual([`inferencepool/${NS}/gaie-cpu-inference`, `deployment/${NS}/${decode}`, 'forward/gateway']);
    // One click: the install again. Its stack step sees the Deployment differ from the settings (the stack
    // record alone would call it done), helmfile sync scales it back, and the ready step waits for both.
    expect(scaled.fixes.map((x) => x.id)).toEqual(['install-again', 'scale-back', 'watch-pods']);
    const again = await cli(['doctor', '--fix', 'gateway-backends:install-again', '--yes', ...flags, '--mirror', mirror], env);
    expect(again.code, `${again.out}\n${again.err}`).toBe(0);
    expect(again.out).toContain(`[stack] To do: Deployment ${decode} has 0 replicas; the settings want 2 — changed outside the app`);
    expect(again.out).toMatch(/✔ stack: done/);
    expect(again.out).toMatch(/✔ ready: done/);
    expect(kubectl('get', 'deployment', decode, '-n', NS, '-o', 'jsonpath={.spec.replicas}')).toBe('2');
    await doctorUntil(env, flags, 'gateway-backends', (r) => r.outcome === 'passed');
    expect((await askGateway(env.LLMD_INSTALLER_HOME!)).models.status).toBe(200);

    // Deleted outright: named as missing, and the install again creates it (the stack step sees it gone).
    kubectl('delete', 'deployment', decode, '-n', NS);
    const gone = (await doctorUntil(env, flags, 'gateway-backends', (r) => r.outcome === 'finding' && r.finding!.summary.includes('is missing'))).finding!;
    expect(gone.summary).toContain(`Deployment ${decode} is missing from ${NS} (deleted outside the app)`);
    expect(gone.fixes[0]).toMatchObject({ id: 'install-again', kind: 'settings' });
    const recreated = await cli(['doctor', '--fix', 'gateway-backends:install-again', '--yes', ...flags, '--mirror', mirror], env);
    expect(recreated.code, `${recreated.out}\n${recreated.err}`).toBe(0);
    expect(recreated.out).toContain(`[stack] To do: Deployment ${decode} is missing`);
    expect(kubectl('get', 'deployment', decode, '-n', NS, '-o', 'jsonpath={.spec.replicas}')).toBe('2');
    await doctorUntil(env, flags, 'gateway-backends', (r) => r.outcome === 'passed');

    // The guide's own repair command, reversed: what an outdated manifest re-applied by hand does.
    kubectl('patch', 'httproute', 'llm-d-cpu-inference', '-n', NS, '--type=json', '-p', '[{"op":"replace","path":"/spec/rules/0/backendRefs/0/group","value":"inference.networking.x-k8s.io"}]');
    const found = await doctorUntil(env, flags, 'gateway-route', (r) => r.outcome === 'finding' && r.finding!.evidence.length > 1);
    const f = found.finding!;
    expect(f.severity).toBe('error');
    expect(f.summary).toMatch(/^HTTPRoute llm-d-cpu-inference sends requests to InferencePool gaie-cpu-inference in the old inference\.networking\.x-k8s\.io group, which Istio rejects — Istio reports ResolvedRefs=False \(InvalidKind\)/);
    expect(f.evidence[0]!.source).toBe(`httproute/${NS}/llm-d-cpu-inference`);
    expect(f.evidence[1]!.lines).toEqual(['ResolvedRefs=False (InvalidKind): referencing unsupported backendRef: group "inference.networking.x-k8s.io" kind "InferencePool"']);
    expect(f.fixes).toEqual([expect.objectContaining({ id: 'install-again', commands: [['npm', 'run', 'cli', '--', 'up', '--yes', ...GUIDE, '--driver', 'docker']] })]);

    const fixed = await runFixCommand(f.fixes[0]!.kind === 'commands' ? f.fixes[0]!.commands[0]! : [], env);
    expect(fixed.code, `${fixed.out}\n${fixed.err}`).toBe(0);
    expect(fixed.out).toContain("[route] To do: the route's InferencePool backend uses inference.networking.x-k8s.io; it will be repaired to inference.networking.k8s.io");
    // Nothing of the stack was changed by hand this time: its step is a quick check.
    expect(fixed.out).toContain('✔ stack: already done');
    expect(kubectl('get', 'httproute', 'llm-d-cpu-inference', '-n', NS, '-o', 'jsonpath={.spec.rules[0].backendRefs[0].group}')).toBe('inference.networking.k8s.io');
    expect((await doctorUntil(env, flags, 'gateway-route', (r) => r.outcome === 'passed')).outcome).toBe('passed');

    kubectl('delete', 'httproute', 'llm-d-cpu-inference', '-n', NS);
    const missing = (await doctorUntil(env, flags, 'gateway-route', (r) => r.outcome === 'finding')).finding!;
    expect(missing.summary).toBe(`HTTPRoute llm-d-cpu-inference is missing from ${NS}: the Istio gateway has no route to InferencePool gaie-cpu-inference, so requests to the gateway get no answer.`);
    expect((await cli(['down', '--delete-cluster', '--yes'], env)).code).toBe(0);
  });

  it('today\'s llm-d: a killed forwarder, a quiet EPP, a hand-edited kubeconfig, settings bigger than the profile — each found, each fixed as offered', { timeout: 420_000 }, async () => {
    const { dir, env } = await world([]);
    env.LLMD_HOST_FACTS = hostFactsFile(dir);
    const home = env.LLMD_INSTALLER_HOME!;
    const flags = ['--driver', 'docker'];
    const up = await cli(['up', '--yes', '--json', ...flags, '--mirror', mirror], env);
    expect(up.code, up.out).toBe(0);
    const healthy = await doctor(env, flags);
    for (const id of ['profile-too-small', 'kube-context', 'forward-dead', 'epp-routing-log', 'gateway-backends']) expect(result(healthy, id).outcome, id).toBe('passed');
    expect(result(healthy, 'gateway-route')).toMatchObject({ outcome: 'not-applicable', note: expect.stringContaining('has no Istio gateway') });
    const kubectl = (...a: string[]) => execFileSync('kubectl', ['--context', 'llm-d-cpu', ...a], { env, encoding: 'utf8' });

    // gateway-backends: the model servers' memory limit lowered by hand until vLLM is OOMKilled while it
    // loads. The gateway answers as llm-d-router's EPP does; the finding names the pool and the real pods
    // and points at the rule that says why, instead of repeating its fixes.
    const decode = releaseNames(loadRelease(DEFAULT_RELEASE_ID)).decodeDeployment;
    type Limits = { spec: { template: { spec: { containers: Array<{ name: string; resources?: { limits?: { memory?: string } } }> } } } };
    const servers = JSON.parse(kubectl('get', 'deployment', decode, '-n', NS, '-o', 'json')) as Limits;
    const mi = servers.spec.template.spec.containers.findIndex((c) => c.name === 'modelserver');
    const limit = servers.spec.template.spec.containers[mi]!.resources!.limits!.memory!;
    const setLimit = (v: string) => kubectl('patch', 'deployment', decode, '-n', NS, '--type=json', '-p', JSON.stringify([{ op: 'replace', path: `/spec/template/spec/containers/${mi}/resources/limits/memory`, value: v }]));
    setLimit('1Gi');
    const starved = (await doctorUntil(env, flags, 'gateway-backends', (r) => r.outcome === 'finding' && r.finding!.summary.includes('see “Model servers have enough memory”'))).finding!;
    expect(starved.summary).toMatch(/^The gateway has no model server to send requests to: (the one model server InferencePool optimized-baseline selects is not Ready|none of the 2 model servers InferencePool optimized-baseline selects is Ready) — see “Model servers have enough memory”\./);
    const oomPods = result(await doctor(env, flags), 'oom-killed').finding!.evidence.map((e) => e.source);
    const podEvidence = starved.evidence.filter((e) => e.source.startsWith('pod/'));
    expect(podEvidence.length).toBeGreaterThan(0);
    for (const e of podEvidence) expect(e.source).toMatch(new RegExp(`^pod/${NS}/${decode}-[a-z0-9]+-[a-z0-9]{5}$`));
    expect(podEvidence.some((e) => oomPods.includes(e.source)), JSON.stringify({ podEvidence, oomPods })).toBe(true);
    expect(starved.fixes.map((x) => x.id)).toEqual(['watch-pods']);
    expect((await askGateway(home)).chat).toEqual(noEndpointAnswer('llm-d-router', true));
    setLimit(limit);
    await doctorUntil(env, flags, 'gateway-backends', (r) => r.outcome === 'passed', 60_000);
    expect((await askGateway(home)).chat.status).toBe(200);

    // forward-dead: the gateway's forwarder killed under the app.
    const record = JSON.parse(fs.readFileSync(path.join(home, 'run', 'forwards', 'gateway.json'), 'utf8')) as { pid: number; url: string };
    process.kill(record.pid, 'SIGKILL');
    await expect.poll(() => pidAlive(record.pid), { timeout: 5000 }).toBe(false);
    const dead = (await doctor(env, flags));
    const fwd = result(dead, 'forward-dead').finding!;
    expect(fwd.severity).toBe('warning');
    expect(fwd.summary).toBe(`The gateway port-forward (${record.url} → svc/optimized-baseline-epp:80 in ${NS}) is not working: its process (pid ${record.pid}) is gone, so ${record.url} gets no answer.`);
    expect(fwd.evidence[0]).toMatchObject({ source: 'forward/gateway', lines: [expect.any(String), expect.stringContaining(`pid ${record.pid}: gone`)] });
    const restart = fwd.fixes[0]!;
    expect(restart).toMatchObject({ id: 'restart', commands: [['npm', 'run', 'cli', '--', 'status', '--driver', 'docker']] });
    const status = await runFixCommand(restart.kind === 'commands' ? restart.commands[0]! : [], env);
    expect(status.code, `${status.out}\n${status.err}`).toBe(0);
    expect(result(await doctor(env, flags), 'forward-dead').outcome).toBe('passed');

    // epp-routing-log: the EPP's Deployment edited by hand to --v=1 (the stack record's hash stays the same,
    // so the install again would skip the stack: the helm fix comes first).
    type Deployment = { spec: { template: { spec: { containers: Array<{ name: string; args?: string[] }> } } } };
    const eppDeployment = JSON.parse(kubectl('get', 'deployment', 'optimized-baseline-epp', '-n', NS, '-o', 'json')) as Deployment;
    const ci = eppDeployment.spec.template.spec.containers.findIndex((c) => c.name === 'epp');
    const ai = eppDeployment.spec.template.spec.containers[ci]!.args!.indexOf('--v=3');
    expect([ci, ai].every((i) => i >= 0), JSON.stringify(eppDeployment.spec.template.spec.containers)).toBe(true);
    const setV = (v: number) => kubectl('patch', 'deployment', 'optimized-baseline-epp', '-n', NS, '--type=json', '-p', JSON.stringify([{ op: 'replace', path: `/spec/template/spec/containers/${ci}/args/${ai}`, value: `--v=${v}` }]));
    setV(1);
    const quiet = (await doctorUntil(env, flags, 'epp-routing-log', (r) => r.outcome === 'finding')).finding!;
    expect(quiet.severity).toBe('warning');
    expect(quiet.summary).toMatch(/^The EPP does not log its routing decisions, so the Playground cannot say why a replica answered: optimized-baseline-epp-[a-z0-9]+-[a-z0-9]{5} runs with --v=1, and the "Request handled" line needs --v=3 or more\.$/);
    expect(quiet.evidence[0]!.source).toMatch(new RegExp(`^pod/${NS}/optimized-baseline-epp-`));
    expect(quiet.evidence[0]!.lines[0]).toBe('container epp: --v=1 (needs 3)');
    expect(quiet.fixes).toEqual([
      expect.objectContaining({ id: 'helm-verbosity', commands: [['helm', 'upgrade', 'optimized-baseline', 'oci://ghcr.io/llm-d/charts/llm-d-router-standalone', '--version', 'v0.10.0', '--namespace', NS, '--kube-context', 'llm-d-cpu', '--reuse-values', '--set', 'router.epp.flags.v=3']] }),
      expect.objectContaining({ id: 'install-again' }),
    ]);
    // The simulated helm does not implement --reuse-values, so the helm fix is not run here; the flag put
    // back by hand clears the finding.
    setV(3);
    await doctorUntil(env, flags, 'epp-routing-log', (r) => r.outcome === 'passed');

    // The EPP's Deployment (in this release the gateway too) deleted by hand: the install again finds it
    // missing though the settings did not change, and its `helm upgrade --install` creates it again.
    const epp = releaseNames(loadRelease(DEFAULT_RELEASE_ID)).epp;
    kubectl('delete', 'deployment', epp, '-n', NS);
    const back = await cli(['up', '--yes', ...flags, '--mirror', mirror], env);
    expect(back.code, `${back.out}\n${back.err}`).toBe(0);
    expect(back.out).toContain(`[stack] To do: Deployment ${epp} is missing — deleted outside the app`);
    expect(kubectl('get', 'deployment', epp, '-n', NS, '-o', 'jsonpath={.spec.replicas}')).toBe('1');

    // kube-context: the person's own context made current, then the profile's removed by hand.
    const kubeconfig = env.KUBECONFIG!;
    type Doc = { contexts: Array<{ name: string }>; clusters: Array<{ name: string }>; users: Array<{ name: string }>; 'current-context'?: string };
    const edit = (f: (d: Doc) => void) => { const d = YAML.parse(fs.readFileSync(kubeconfig, 'utf8')) as Doc; f(d); fs.writeFileSync(kubeconfig, YAML.stringify(d)); };
    edit((d) => {
      d.clusters.push({ name: 'work', cluster: { server: 'https://10.0.0.1:6443' } } as never);
      d.users.push({ name: 'me', user: {} } as never);
      d.contexts.push({ name: 'work', context: { cluster: 'work', user: 'me' } } as never);
      d['current-context'] = 'work';
    });
    const elsewhere = result(await doctor(env, flags), 'kube-context').finding!;
    expect(elsewhere).toMatchObject({ severity: 'info', evidence: [{ source: `kubeconfig/${kubeconfig}`, lines: ['context work → cluster work (https://10.0.0.1:6443)', expect.stringMatching(/^context llm-d-cpu → cluster llm-d-cpu \(http/)] }] });
    expect(elsewhere.summary).toMatch(/^Your current kubectl context is "work", another cluster than "llm-d-cpu".*The app never switches your context/);
    edit((d) => { d.contexts = d.contexts.filter((c) => c.name !== 'llm-d-cpu'); });
    const gone = await doctor(env, flags);
    const noContext = result(gone, 'kube-context').finding!;
    expect(noContext.severity).toBe('error');
    expect(noContext.summary).toMatch(new RegExp(`^The kubeconfig \\(${kubeconfig.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\) has no context "llm-d-cpu", though the last install started minikube profile "llm-d-cpu"`));
    expect(noContext.evidence[0]!.lines).toEqual(['contexts: work', 'current-context: work']);
    const again = await runFixCommand(noContext.fixes[0]!.kind === 'commands' ? noContext.fixes[0]!.commands[0]! : [], env);
    expect(again.code, `${again.out}\n${again.err}`).toBe(0);
    // The context is back, and the person's current one is still theirs.
    expect(result(await doctor(env, flags), 'kube-context').finding?.severity).toBe('info');
    edit((d) => { d['current-context'] = 'llm-d-cpu'; });

    // profile-too-small: settings asking for more CPUs than the running profile has.
    fs.writeFileSync(path.join(home, 'settings.json'), JSON.stringify({ cpus: 12 }));
    const bigger = await cli(['up', '--yes', '--json', ...flags, '--mirror', mirror], env);
    expect(bigger.code, bigger.out).toBe(1);
    const small = result(await doctor(env, flags), 'profile-too-small').finding!;
    expect(small.summary).toBe('The minikube profile "llm-d-cpu" already exists with 8 CPUs where the settings want 12, and minikube cannot resize a cluster: the install stopped at step minikube-start.');
    expect(small.evidence.map((e) => e.source)).toEqual([expect.stringMatching(/^journal\//), 'minikube-profile/llm-d-cpu']);
    expect(small.fixes.map((x) => x.id)).toEqual(['recreate', 'fit-profile']);
    expect(small.fixes[1]).toMatchObject({ kind: 'settings', settings: { cpus: 8 } });
    const fit = await cli(['doctor', '--fix', 'profile-too-small:fit-profile', '--yes', ...flags], env);
    expect(fit.code, `${fit.out}\n${fit.err}`).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(home, 'settings.json'), 'utf8'))).toMatchObject({ cpus: 8 });
    expect(result(await doctor(env, flags), 'profile-too-small').outcome).toBe('passed');

    // The same shortfall again, and the one-click way out: the install deletes the profile — the gateway forward
    // into it stopped first — and creates it at the 12 CPUs the settings ask for.
    fs.writeFileSync(path.join(home, 'settings.json'), JSON.stringify({ cpus: 12 }));
    expect((await cli(['up', '--yes', '--json', ...flags, '--mirror', mirror], env)).code).toBe(1);
    expect(result(await doctor(env, flags), 'profile-too-small').finding!.fixes[0]).toMatchObject({ id: 'recreate', recreatesCluster: true, settings: {} });
    const recreated = await cli(['doctor', '--fix', 'profile-too-small:recreate', '--yes', ...flags, '--mirror', mirror], env);
    expect(recreated.code, `${recreated.out}\n${recreated.err}`).toBe(0);
    const journal = JSON.parse(fs.readFileSync(path.join(home, 'journal.json'), 'utf8')) as JournalDoc;
    const startLog = fs.readFileSync(journal.steps.find((st) => st.id === 'minikube-start')!.logPath!, 'utf8');
    expect(startLog).toContain('Stopped the port-forwards into it: gateway');
    expect(startLog).toContain('Creating docker container (CPUs=12');
    for (const id of ['profile-too-small', 'forward-dead']) expect(result(await doctor(env, flags), id).outcome, id).toBe('passed');
    expect((await cli(['down', '--delete-cluster', '--yes'], env)).code).toBe(0);
  });
});
