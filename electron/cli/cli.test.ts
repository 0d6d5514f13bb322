import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { buildTestMirror } from '../engine/prereqs/test-mirror.js';
import { runCli, type CliIo } from './main.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const dirs: string[] = [];
const tmp = () => { const d = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-')); dirs.push(d); return d; };
afterEach(() => { for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true }); });

function capture(isTTY = false) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t), isTTY, ask: async () => 'n' };
  return { io, out, err };
}

describe('cli', () => {
  it('plan --json prints the whole plan as data: steps with id, needs and commands', async () => {
    const c = capture();
    const code = await runCli(['plan', '--json', '--driver', 'docker'], c.io, { ...process.env, LLMD_INSTALLER_HOME: tmp() });
    expect(code).toBe(0);
    const plan = JSON.parse(c.out.join('\n')) as { release: { id: string }; images: Array<{ role: string; ref: string; source: string }>; steps: Array<{ id: string; needs: string[]; commands: string[][] }> };
    // The default stack release (today's llm-d, standalone: no Istio, no route) and every image with its source.
    expect(plan.release.id).toBe('llm-d-0.9-optimized-baseline');
    expect(plan.images.map((i) => i.role).sort()).toEqual(['epp', 'proxy', 'vllm']);
    for (const i of plan.images) expect(i.source.length, i.ref).toBeGreaterThan(10);
    expect(plan.steps.map((s) => s.id)).toEqual(['host-check', 'prerequisites', 'image-check', 'minikube-start', 'image-prepull', 'crds', 'monitoring', 'dashboards', 'stack', 'ready', 'access', 'smoke-test']);
    // The guide's release adds its Istio gateway and HTTPRoute.
    const guide = capture();
    expect(await runCli(['plan', '--json', '--driver', 'docker', '--release', 'llm-d-0.4-cpu-guide'], guide.io, { ...process.env, LLMD_INSTALLER_HOME: tmp() })).toBe(0);
    const g = JSON.parse(guide.out.join('\n')) as { images: Array<{ role: string }>; steps: Array<{ id: string }> };
    expect(g.images.map((i) => i.role).sort()).toEqual(['epp', 'routingSidecar', 'vllm']);
    expect(g.steps.map((s) => s.id)).toEqual(['host-check', 'prerequisites', 'image-check', 'minikube-start', 'image-prepull', 'crds', 'istio', 'monitoring', 'dashboards', 'stack', 'route', 'ready', 'access', 'smoke-test']);
    // docker on Linux: no podman machine, so the cluster step inherits the machine step's needs.
    expect(plan.steps.find((s) => s.id === 'minikube-start')).toMatchObject({ needs: ['prerequisites', 'image-check'], commands: expect.arrayContaining([expect.arrayContaining(['start', '-p', 'llm-d-cpu', '--driver=docker', '--memory=24576', '--cpus=8', '--disk-size=100g', '--output=json'])]) });
    expect(plan.steps[1]).toMatchObject({ needs: ['host-check'], commands: expect.arrayContaining([['docker', 'version', '--format', 'json']]) });
  });

  it('the plan runs the model in the dtype the recorded CPU allows, and says why', async () => {
    const home = tmp();
    const facts = (cpuFeatures?: object) => {
      const file = path.join(home, `host-${Math.random()}.json`);
      fs.writeFileSync(file, JSON.stringify({
        os: 'linux', osName: 'Ubuntu', osVersion: '24.04', arch: 'x64', archLabel: 'Linux x86_64', cpuModel: 'test', cpuCores: 16,
        memoryBytes: 64 * 2 ** 30, diskFreeBytes: 500e9, diskPath: '/', gpu: { nvidia: false, models: [] },
        docker: { installed: true, running: true }, podman: { installed: false }, ...(cpuFeatures ? { cpuFeatures } : {}),
      }));
      return file;
    };
    const plan = async (file: string, extra: string[] = []) => {
      const c = capture();
      expect(await runCli(['plan', ...extra], c.io, { ...process.env, LLMD_INSTALLER_HOME: home, LLMD_HOST_FACTS: file })).toBe(0);
      return c.out.join('\n');
    };
    const noBf16 = await plan(facts({ bf16: false, avx512f: true, from: 'lscpu' }));
    expect(noBf16).toContain('Model server dtype: float32 — this CPU has no bf16');
    expect(noBf16).toContain('--dtype=float32');
    const bf16 = await plan(facts({ bf16: true, avx512f: true, from: 'lscpu' }));
    expect(bf16).toContain('Model server dtype: bfloat16 — this CPU computes in bf16 (lscpu)');
    expect(bf16).toContain('--dtype=bfloat16');
    // Facts recorded before CPU features existed: the safe choice, not this machine's CPU.
    expect(await plan(facts())).toContain('Model server dtype: float32 — the host check could not tell');
    // The guide's release keeps its own args (bfloat16) and names no dtype choice.
    expect(await plan(facts({ bf16: false, avx512f: false, from: 'lscpu' }), ['--release', 'llm-d-0.4-cpu-guide'])).not.toContain('Model server dtype');
  });

  it('--release picks the stack release; an unknown one is a usage error naming the known ones', async () => {
    const ok = capture();
    expect(await runCli(['plan', '--release', 'llm-d-0.4-cpu-guide'], ok.io, { ...process.env, LLMD_INSTALLER_HOME: tmp() })).toBe(0);
    expect(ok.out.join('\n')).toContain('Stack release: llm-d 0.4 — CPU guide, December 2025');
    const bad = capture();
    expect(await runCli(['plan', '--release', 'llm-d-9.9'], bad.io, { ...process.env, LLMD_INSTALLER_HOME: tmp() })).toBe(2);
    expect(bad.err.join('\n')).toMatch(/no stack release "llm-d-9\.9"[\s\S]*llm-d-0\.4-cpu-guide/);
  });

  it('flags change the plan: --mirror routes every download through it', async () => {
    const c = capture();
    await runCli(['plan', '--json', '--mirror', 'file:///srv/mirror'], c.io, { ...process.env, LLMD_INSTALLER_HOME: tmp() });
    expect(c.out.join('\n')).toContain('file:///srv/mirror/get.helm.sh/helm-v3.19.0-');
  });

  it.each([
    [['frobnicate'], /Unknown command/],
    [['plan', '--replicas', 'two'], /--replicas must be a whole number/],
    [['plan', '--model', 'gpt-4'], /model: must be one of/],
    [['plan', '--stop-machine'], /only applies to down/],
    [['up'], /Refusing to Install llm-d on this machine without --yes/],
    [['down'], /without --yes/],
  ])('%j is a usage error (exit 2) that says what is wrong', async (args, message) => {
    const c = capture(false);
    expect(await runCli(args, c.io, { ...process.env, LLMD_INSTALLER_HOME: tmp() })).toBe(2);
    expect([...c.err, ...c.out].join('\n')).toMatch(message);
  });

  it('engine killed mid-step, then `up` resumes where it stopped', { timeout: 120_000 }, async () => {
    const home = tmp();
    const state = tmp();
    const mirror = tmp();
    await buildTestMirror(mirror);
    const scenario = path.join(state, 'scenario.yaml');
    // podman machine init takes 60 s × 0.05 = 3 s: long enough to kill the CLI in the middle of it.
    fs.writeFileSync(scenario, 'name: slow-init\ntimeScale: 0.05\ndurations: { podmanMachineInit: 60, podmanMachineStart: 4 }\n');
    const facts = path.join(state, 'host.json');
    fs.writeFileSync(facts, JSON.stringify({
      os: 'linux', osName: 'Ubuntu', osVersion: '24.04', arch: 'x64', archLabel: 'Linux x86_64', cpuModel: 'test', cpuCores: 16,
      memoryBytes: 64 * 2 ** 30, diskFreeBytes: 500e9, diskPath: '/', gpu: { nvidia: false, models: [] },
      docker: { installed: false }, podman: { installed: true, running: true },
    }));
    fs.mkdirSync(home, { recursive: true });
    fs.writeFileSync(path.join(home, 'settings.json'), JSON.stringify({ driver: 'podman', podmanMachine: true, mirror: pathToFileURL(mirror).href }));
    // Only the simulated podman: minikube, helm and helmfile must come from the mirror.
    const podmanOnly = tmp();
    fs.symlinkSync(path.join(ROOT, 'sim', 'bin', 'podman'), path.join(podmanOnly, 'podman'));
    const env = {
      ...process.env,
      PATH: [podmanOnly, path.dirname(process.execPath), '/usr/bin', '/bin'].join(path.delimiter),
      LLMD_INSTALLER_HOME: home, LLMD_HOST_FACTS: facts, LLMD_SIM_STATE: state, LLMD_SIM_SCENARIO: scenario,
    };
    const cli = (args: string[]) => spawn(process.execPath, [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(ROOT, 'electron', 'cli', 'main.ts'), ...args], { env, cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const journalFile = path.join(home, 'journal.json');
    const readJournal = () => { try { return JSON.parse(fs.readFileSync(journalFile, 'utf8')) as { runId: string; status: string; pid: number; steps: Array<{ id: string; state: string; logPath?: string }> }; } catch { return undefined; } };

    const first = cli(['up', '--yes']);
    let firstOut = '';
    first.stdout.on('data', (d: Buffer) => { firstOut += d.toString(); });
    const exited = new Promise<number | null>((r) => first.on('exit', (code) => r(code)));
    // Wait until the machine step is running its `podman machine init`, then kill the engine outright.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const j = readJournal();
      const step = j?.steps.find((s) => s.id === 'podman-machine');
      if (step?.state === 'running' && step.logPath && fs.existsSync(step.logPath) && fs.readFileSync(step.logPath, 'utf8').includes('machine init')) break;
      if (Date.now() > deadline) throw new Error(`the CLI never reached podman machine init:\n${firstOut}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    // SIGKILL the engine process itself (the journal names it; tsx runs it as a child of the wrapper).
    process.kill(readJournal()!.pid, 'SIGKILL');
    await exited;
    const killed = readJournal()!;
    expect(killed.status).toBe('running');
    expect(killed.steps.slice(0, 4).map((s) => [s.id, s.state])).toEqual([['host-check', 'skipped'], ['prerequisites', 'done'], ['image-check', 'done'], ['podman-machine', 'running']]);
    // The orphaned `podman machine init` loses its stdout with the engine and dies before saving the
    // machine (as after an app crash), so the resumed step finds no machine and creates it again.
    const machines = path.join(state, 'podman', 'machines.json');

    const status = cli(['status', '--json']);
    let statusOut = '';
    status.stdout.on('data', (d: Buffer) => { statusOut += d.toString(); });
    await new Promise((r) => status.on('exit', r));
    expect(JSON.parse(statusOut)).toMatchObject({ resumable: true, interrupted: true });

    const second = cli(['up', '--yes']);
    let out = '';
    second.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    second.stderr.on('data', (d: Buffer) => { out += d.toString(); });
    const code = await new Promise<number | null>((r) => second.on('exit', (c) => r(c)));
    // The test mirror's tools are stubs that only print versions: the run resumes, finishes the machine
    // and then stops at the cluster step (the stub minikube starts no cluster) — resume is what is tested.
    expect(code, out).toBe(1);
    expect(out).toContain(`The last run (${killed.runId}) was interrupted; finished: host-check, prerequisites, image-check.`);
    // Finished steps are not even detected again; the interrupted machine step runs again to the end.
    expect(out).not.toContain('[prerequisites]');
    expect(out).toContain('[podman-machine] $ podman machine start podman-machine-default');
    const done = readJournal()!;
    expect(done).toMatchObject({ runId: killed.runId, status: 'failed' });
    expect(done.steps.filter((s) => ['host-check', 'prerequisites', 'podman-machine'].includes(s.id)).map((s) => s.state)).toEqual(['skipped', 'done', 'done']);
    expect(done.steps.find((s) => s.id === 'minikube-start')?.state).toBe('failed');
    expect(JSON.parse(fs.readFileSync(machines, 'utf8'))[0]).toMatchObject({ State: 'running', Rootful: true });
    // Tools came from the mirror into the app's bin dir.
    expect(fs.readdirSync(path.join(home, 'bin'))).toEqual(expect.arrayContaining(['helm', 'helmfile', 'minikube']));
  });

  /** Recorded facts of a roomy Linux host with docker, so nothing is detected and the plan is the same everywhere. */
  const roomyHost = (dir: string) => {
    const file = path.join(dir, 'host.json');
    fs.writeFileSync(file, JSON.stringify({
      os: 'linux', osName: 'Ubuntu', osVersion: '24.04', arch: 'x64', archLabel: 'Linux x86_64', cpuModel: 'test', cpuCores: 16,
      memoryBytes: 64 * 2 ** 30, diskFreeBytes: 500e9, diskPath: '/', gpu: { nvidia: false, models: [] },
      docker: { installed: true, running: true }, podman: { installed: false },
    }));
    return file;
  };
  /** A PATH whose tools only record that they were called (and node, for the engine's own children). */
  const recordingTools = (dir: string) => {
    const bin = path.join(dir, 'tools');
    fs.mkdirSync(bin);
    const log = path.join(dir, 'calls.log');
    for (const tool of ['minikube', 'kubectl', 'helm', 'helmfile', 'docker', 'podman']) {
      fs.writeFileSync(path.join(bin, tool), `#!/bin/sh\necho "${tool} $*" >> ${JSON.stringify(log)}\nexit 1\n`, { mode: 0o755 });
    }
    return { PATH: [bin, path.dirname(process.execPath)].join(path.delimiter), log };
  };
  const isolated = (home: string) => {
    const tools = recordingTools(home);
    return {
      env: { ...process.env, LLMD_INSTALLER_HOME: home, LLMD_HOST_FACTS: roomyHost(home), PATH: tools.PATH, KUBECONFIG: path.join(home, 'no-kubeconfig'), LLMD_REGISTRY_MIRROR: 'http://127.0.0.1:9' },
      log: tools.log,
    };
  };

  it('check --replicas N judges the fit for the flags, not for the saved settings', async () => {
    const home = tmp();
    const { env } = isolated(home);
    fs.writeFileSync(path.join(home, 'settings.json'), JSON.stringify({ replicas: 3, driver: 'docker' }));
    const check = async (args: string[]) => {
      const c = capture();
      await runCli(['check', '--json', ...args], c.io, env);
      return JSON.parse(c.out.join('\n')) as { host: { needs: { replicas: number; memoryMiB: number }; fit: { summary: string } } };
    };
    const one = await check(['--replicas', '1']);
    expect(one.host.needs.replicas).toBe(1);
    expect(one.host.fit.summary).toContain('(1 replica on the docker driver)');
    const saved = await check([]);
    expect(saved.host.needs.replicas).toBe(3);
    expect(saved.host.fit.summary).toContain('(3 replicas on the docker driver)');
  });

  it('down --delete-cluster --yes refuses to act on an unreadable settings.json: exit 1, the file and why, nothing run', async () => {
    const home = tmp();
    const { env, log } = isolated(home);
    const file = path.join(home, 'settings.json');
    fs.writeFileSync(file, '{"profile": "my-cluster", "driver": "docker",');
    const c = capture();
    expect(await runCli(['down', '--delete-cluster', '--yes'], c.io, env)).toBe(1);
    const err = c.err.join('\n');
    expect(err).toContain(`Error (CONFLICT): Refusing to tear down: ${file} is not valid JSON`);
    expect(err).toContain(`It will be kept as ${file}.corrupt-<time> when settings are next saved.`);
    expect(err).toContain('What to do: Fix the file by hand, or save the settings again');
    // No tool ran (minikube delete would have targeted the default profile), no run was journaled.
    expect(fs.existsSync(log)).toBe(false);
    expect(fs.existsSync(path.join(home, 'journal.json'))).toBe(false);
    expect(fs.readFileSync(file, 'utf8')).toBe('{"profile": "my-cluster", "driver": "docker",');
    // up refuses the same way.
    const up = capture();
    expect(await runCli(['up', '--yes'], up.io, env)).toBe(1);
    expect(up.err.join('\n')).toContain('Refusing to install:');
  });

  it('status says settings.json is unreadable, why and where it will be kept, and still answers', async () => {
    const home = tmp();
    const { env } = isolated(home);
    const file = path.join(home, 'settings.json');
    fs.writeFileSync(file, JSON.stringify({ replicas: 'two' }));
    const human = capture();
    expect(await runCli(['status'], human.io, env)).toBe(0);
    expect(human.err.join('\n')).toContain(`Warning: ${file} has invalid settings (replicas: `);
    expect(human.err.join('\n')).toContain(`kept as ${file}.corrupt-<time>`);
    const json = capture();
    expect(await runCli(['status', '--json'], json.io, env)).toBe(0);
    expect(JSON.parse(json.out.join('\n'))).toMatchObject({ settingsProblem: expect.stringContaining(`${file} has invalid settings`) });
  });
});
