// The whole plan against the simulated world (fast scenario): from an empty sim state to a passing smoke
// test and back to empty, through the CLI the person uses. The route fault (x-k8s InferencePool group) is
// injected so the repair runs on the way; minikube's own "not enough memory" refusal is surfaced as is.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { simWorlds } from './sim-worlds.testkit.js';
import { listModels, streamChat } from '../chat/chat-client.js';

const { ROOT, world, cli, processesOf, cleanup } = simWorlds();
afterAll(cleanup);
/** The guide's release (Istio, helmfile, 2/2 pods); the default is today's llm-d. */
const GUIDE = ['--release', 'llm-d-0.4-cpu-guide'];

describe('the whole plan against the sim', () => {
  it('up from nothing → Ready 2/2 seen by kubectl, route repaired, chat through status\'s URL → second up touches nothing → down leaves nothing', { timeout: 300_000 }, async () => {
    const { env } = await world([{ kind: 'routeLegacyGroup', times: 1 }]);
    const mirror = pathToFileURL(path.join(ROOT, 'sim', 'mirror')).href;

    const up = await cli(['up', '--yes', ...GUIDE, '--mirror', mirror], env);
    expect(up.code, `${up.out}\n${up.err}`).toBe(0);
    expect(up.out).toContain('Warning (rehearsal'); // 2-core machine: the fit is a warning in rehearsal
    expect(up.out).toMatch(/\[route\] The route's InferencePool backend uses inference\.networking\.x-k8s\.io.*Repairing/);
    expect(up.out).toMatch(/\[smoke-test\] Model: HuggingFaceTB\/SmolLM2-360M-Instruct/);

    const kubectl = (...a: string[]) => execFileSync('kubectl', ['--context', 'llm-d-cpu', ...a], { env, encoding: 'utf8' });
    const table = kubectl('get', 'pods', '-n', 'llm-d-cpu-inference', '-l', 'llm-d.ai/inferenceServing=true', '--no-headers');
    expect(table.trim().split('\n').map((l) => l.split(/\s+/).slice(1, 3))).toEqual([['2/2', 'Running'], ['2/2', 'Running']]);
    expect(kubectl('get', 'httproute', 'llm-d-cpu-inference', '-n', 'llm-d-cpu-inference', '-o', 'jsonpath={.spec.rules[0].backendRefs[0].group}')).toBe('inference.networking.k8s.io');
    // The repaired monitoring values: one default datasource, so Grafana starts (the sim's Grafana
    // crash-loops on two, like the real one).
    kubectl('wait', '--for=condition=Ready', 'pod', '-l', 'app.kubernetes.io/name=grafana', '-n', 'llm-d-monitoring', '--timeout=60s');

    const status = await cli(['status', '--json', ...GUIDE], env);
    const doc = JSON.parse(status.out) as { gatewayUrl?: string; steps: Array<{ id: string; state: string }>; smokeTest?: { reply: string }; installedRelease?: string };
    expect(doc.steps.every((s) => s.state === 'done'), status.out).toBe(true);
    expect(doc.installedRelease).toBe('llm-d-0.4-cpu-guide');
    expect(doc.gatewayUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const [model] = await listModels(doc.gatewayUrl!);
    const reply = await streamChat({ baseUrl: doc.gatewayUrl!, model: model!, messages: [{ role: 'user', content: 'hello' }], params: { maxTokens: 8 } });
    expect(reply.content.length).toBeGreaterThan(0);

    const again = await cli(['up', '--yes', '--json', ...GUIDE], env);
    const second = JSON.parse(again.out) as { ok: boolean; steps: Array<{ id: string; state: string }> };
    expect(second.ok).toBe(true);
    expect(second.steps.filter((s) => s.state !== 'skipped')).toEqual([]);
    const journal = JSON.parse(fs.readFileSync(path.join(env.LLMD_INSTALLER_HOME!, 'journal.json'), 'utf8')) as { startedAt: string; endedAt: string };
    expect(Date.parse(journal.endedAt) - Date.parse(journal.startedAt)).toBeLessThan(3000);

    // Removed out of band since: a kept image (the Grafana image's tarball in the image cache) and one of the
    // dashboards. A quick re-run still looks at the real state: it redoes exactly those two steps.
    const cacheDir = path.join(env.LLMD_INSTALLER_HOME!, 'cache', 'images');
    const grafanaTar = fs.readdirSync(cacheDir).find((f) => f.includes('grafana%2Fgrafana'));
    expect(grafanaTar).toBeDefined();
    fs.rmSync(path.join(cacheDir, grafanaTar!));
    const dashboard = kubectl('get', 'configmap', '-n', 'llm-d-monitoring', '-l', 'grafana_dashboard=1', '-o', 'jsonpath={.items[0].metadata.name}');
    kubectl('delete', 'configmap', dashboard, '-n', 'llm-d-monitoring');
    const third = JSON.parse((await cli(['up', '--yes', '--json', ...GUIDE], env)).out) as { ok: boolean; steps: Array<{ id: string; state: string }> };
    expect(third.ok).toBe(true);
    expect(third.steps.filter((s) => s.state !== 'skipped').map((s) => s.id).sort()).toEqual(['dashboards', 'image-prepull']);
    expect(fs.existsSync(path.join(cacheDir, grafanaTar!))).toBe(true);
    expect(kubectl('get', 'configmap', dashboard, '-n', 'llm-d-monitoring', '-o', 'name').trim()).toBe(`configmap/${dashboard}`);

    const down = await cli(['down', '--delete-cluster', '--yes'], env);
    expect(down.code, `${down.out}\n${down.err}`).toBe(0);
    expect(fs.readdirSync(path.join(env.LLMD_SIM_STATE!, 'clusters'))).toEqual([]);
    expect(fs.readdirSync(path.join(env.LLMD_INSTALLER_HOME!, 'run', 'forwards')).filter((f) => f.endsWith('.json'))).toEqual([]);
    await expect.poll(() => processesOf(env.LLMD_SIM_STATE!), { timeout: 5000 }).toEqual([]);
  });

  it('the default release on the other architecture’s plan: its images for that arch, the dtype the recorded CPU allows, all Ready', { timeout: 300_000 }, async () => {
    const other = process.arch === 'arm64' ? { node: 'amd64', facts: 'x64', label: 'Linux x86_64' } : { node: 'arm64', facts: 'arm64', label: 'Linux arm64' };
    const { dir, env } = await world([], { LLMD_SIM_ARCH: other.node });
    const facts = path.join(dir, 'host.json');
    fs.writeFileSync(facts, JSON.stringify({
      os: 'linux', osName: 'Ubuntu', osVersion: '24.04', arch: other.facts, archLabel: other.label, cpuModel: 'test', cpuCores: 16,
      memoryBytes: 64 * 2 ** 30, diskFreeBytes: 500e9, diskPath: '/', gpu: { nvidia: false, models: [] },
      docker: { installed: true, running: true }, podman: { installed: false },
      cpuFeatures: { bf16: true, avx512f: other.facts === 'x64' ? true : null, from: 'recorded' },
    }));
    env.LLMD_HOST_FACTS = facts;
    const mirror = pathToFileURL(path.join(ROOT, 'sim', 'mirror')).href;
    const plan = JSON.parse((await cli(['plan', '--json', '--driver', 'docker'], env)).out) as { release: { id: string }; arch: string; dtype?: { value: string }; images: Array<{ role: string; ref: string }> };
    expect(plan.release.id).toBe('llm-d-0.9-optimized-baseline');
    expect(plan.arch).toBe(other.node);
    expect(plan.dtype?.value).toBe('bfloat16'); // the recorded CPU has bf16
    const up = await cli(['up', '--yes', '--driver', 'docker', '--mirror', mirror], env);
    expect(up.code, `${up.out}\n${up.err}`).toBe(0);
    const kubectl = (...a: string[]) => execFileSync('kubectl', ['--context', 'llm-d-cpu', ...a], { env, encoding: 'utf8' });
    const pods = JSON.parse(kubectl('get', 'pods', '-n', 'llm-d-cpu-inference', '-o', 'json')) as { items: Array<{ spec: { containers: Array<{ image: string }>; initContainers?: Array<{ image: string }> }; status: { conditions?: Array<{ type: string; status: string }> } }> };
    const running = new Set(pods.items.flatMap((p) => [...p.spec.containers, ...(p.spec.initContainers ?? [])].map((c) => c.image)));
    for (const i of plan.images) expect(running, i.role).toContain(i.ref);
    expect(kubectl('get', 'deploy', 'optimized-baseline-cpu-vllm-decode', '-n', 'llm-d-cpu-inference', '-o', 'jsonpath={.spec.template.spec.containers[0].args}')).toContain('--dtype=bfloat16');
    expect(pods.items.every((p) => p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'))).toBe(true);
    expect((await cli(['down', '--delete-cluster', '--yes'], env)).code).toBe(0);
  });

  it('switching an installed guide release to today’s llm-d (0.9, standalone): the guide’s stack goes, EPP+proxy 2/2 and model servers 1/1 come, a chat through the proxy; going back is refused before anything is applied', { timeout: 300_000 }, async () => {
    const { env } = await world([]);
    const mirror = pathToFileURL(path.join(ROOT, 'sim', 'mirror')).href;
    const guide = await cli(['up', '--yes', ...GUIDE, '--mirror', mirror], env);
    expect(guide.code, `${guide.out}\n${guide.err}`).toBe(0);
    const v09 = ['--release', 'llm-d-0.9-optimized-baseline'];
    const up = await cli(['up', '--yes', ...v09, '--mirror', mirror], env);
    expect(up.code, `${up.out}\n${up.err}`).toBe(0);
    expect(up.out).toContain('Switching stack release: removing llm-d-0.4-cpu-guide');
    // This release has no Istio or HTTPRoute steps.
    expect(up.out).not.toContain('[istio]');
    expect(up.out).not.toContain('[route]');
    const kubectl = (...a: string[]) => execFileSync('kubectl', ['--context', 'llm-d-cpu', ...a], { env, encoding: 'utf8' });
    // The guide's releases, route and model servers are gone from the namespace; only the router chart is left.
    const helmList = JSON.parse(execFileSync('helm', ['list', '-n', 'llm-d-cpu-inference', '-o', 'json', '--kube-context', 'llm-d-cpu'], { env, encoding: 'utf8' })) as Array<{ name: string }>;
    expect(helmList.map((r) => r.name)).toEqual(['optimized-baseline']);
    expect(kubectl('get', 'pods', '-n', 'llm-d-cpu-inference', '-l', 'llm-d.ai/inferenceServing=true', '-o', 'name').trim()).toBe('');
    expect(kubectl('get', 'httproute', '-n', 'llm-d-cpu-inference', '-o', 'name').trim()).toBe('');
    const rows = (sel: string) => kubectl('get', 'pods', '-n', 'llm-d-cpu-inference', '-l', sel, '--no-headers').trim().split('\n').map((l) => l.split(/\s+/).slice(1, 3));
    expect(rows('llm-d.ai/guide=optimized-baseline,llm-d.ai/role=decode')).toEqual([['1/1', 'Running'], ['1/1', 'Running']]);
    expect(rows('llm-d-router-gateway=optimized-baseline-epp')).toEqual([['2/2', 'Running']]);

    const status = JSON.parse((await cli(['status', '--json', ...v09], env)).out) as { gatewayUrl?: string; installedRelease?: string; steps: Array<{ id: string; state: string }> };
    expect(status.installedRelease).toBe('llm-d-0.9-optimized-baseline');
    expect(status.steps.every((st) => st.state === 'done'), JSON.stringify(status.steps)).toBe(true);
    const [model] = await listModels(status.gatewayUrl!);
    expect(model).toBe('HuggingFaceTB/SmolLM2-360M-Instruct');
    const reply = await streamChat({ baseUrl: status.gatewayUrl!, model: model!, messages: [{ role: 'user', content: 'hello' }], params: { maxTokens: 8 } });
    expect(reply.content.length).toBeGreaterThan(0);

    // Back to the guide's release: its Gateway API v1.4.0 CRDs would be refused by the v1.5 safe-upgrades policy.
    const back = await cli(['up', '--yes', '--json', '--release', 'llm-d-0.4-cpu-guide', '--mirror', mirror], env);
    expect(back.code).toBe(1);
    const res = JSON.parse(back.out) as { error: { message: string; hint?: string }; steps: Array<{ id: string; state: string }> };
    expect(res.steps.find((st) => st.id === 'crds')?.state).toBe('failed');
    expect(res.error.message).toMatch(/safe-upgrades/);
    expect(res.error.hint).toMatch(/delete the cluster/);
    expect(res.steps.find((st) => st.id === 'stack')?.state).not.toBe('done');
    // Nothing of the 0.9 stack was taken down by the refused switch.
    expect(rows('llm-d.ai/guide=optimized-baseline,llm-d.ai/role=decode')).toHaveLength(2);
    expect((await cli(['down', '--delete-cluster', '--yes', ...v09], env)).code).toBe(0);
  });

  it('minikube refusing the memory is surfaced with minikube\'s own message and advice', { timeout: 120_000 }, async () => {
    const { env } = await world([{ kind: 'minikubeInsufficientMemory', systemMiB: 16384 }]);
    const up = await cli(['up', '--yes', '--json', '--mirror', pathToFileURL(path.join(ROOT, 'sim', 'mirror')).href], env);
    expect(up.code).toBe(1);
    const res = JSON.parse(up.out) as { error: { message: string; hint?: string }; steps: Array<{ id: string; state: string }> };
    expect(res.steps.find((s) => s.id === 'minikube-start')?.state).toBe('failed');
    expect(res.error.message).toContain('RSRC_OVER_ALLOC_MEM');
    expect(res.error.message).toContain('Requested memory allocation 24576MB is more than your system limit 16384MB.');
    expect(res.error.hint).toContain("minikube start --memory=16384mb");
  });
});
