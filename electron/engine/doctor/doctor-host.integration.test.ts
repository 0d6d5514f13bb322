// The doctor's rules about the machine around the cluster on the simulated world, through the CLI a person
// uses (`doctor --json`): a podman machine that is rootless and too small, then one hung in "starting"
// (sim faults podmanRootless + podmanTooSmall, podmanStuckStarting), each found with `podman machine
// inspect`'s own lines and gone after the commands the finding offers; a helm older than its minimum (fault
// oldTool); the guide's rlimits and cpuset errors in minikube start (toolFailure with crun's and kubeadm's
// words); and on a sim
// install, the gateway's port 8000 held by another process and the EPP Service's metrics port renamed away
// from what its ServiceMonitor selects.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { DoctorReport, RuleResult } from '../../../shared/api/doctor.js';
import { TOOLS } from '../../../shared/tools.js';
import { hostFactsFile, simWorlds } from '../steps/sim-worlds.testkit.js';
import { portAnswers } from './collect-forwards.js';
import { CPUSET_FLAGS } from './rules/podman-machine.js';
import { appPaths } from '../paths.js';
import { modelCacheMountArgs } from '../steps/minikube-start.js';

const { ROOT, world, cli, cleanup } = simWorlds();
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await cleanup();
});
const mirror = pathToFileURL(path.join(ROOT, 'sim', 'mirror')).href;
const NS = 'llm-d-cpu-inference';

async function doctor(env: NodeJS.ProcessEnv, flags: string[] = []): Promise<DoctorReport> {
  const res = await cli(['doctor', '--json', ...flags], env);
  return JSON.parse(res.out) as DoctorReport;
}
const result = (r: DoctorReport, id: string): RuleResult => r.results.find((x) => x.id === id)!;
const commandsOf = (r: RuleResult, fix: string): string[][] => {
  const f = r.finding?.fixes.find((x) => x.id === fix);
  return f?.kind === 'commands' ? f.commands : [];
};

/** A world whose plan uses a podman machine (Linux with `podmanMachine: true`), podman on the host. */
async function podmanWorld(faults: unknown[]) {
  const { dir, env } = await world(faults);
  env.LLMD_HOST_FACTS = hostFactsFile(dir, { podman: { installed: true, running: true } });
  fs.mkdirSync(env.LLMD_INSTALLER_HOME!, { recursive: true });
  fs.writeFileSync(path.join(env.LLMD_INSTALLER_HOME!, 'settings.json'), JSON.stringify({ driver: 'podman', podmanMachine: true, mirror }));
  return { dir, env };
}

describe('the doctor on the sim: the machine around the cluster', () => {
  it('podman-machine: a rootless 4-CPU machine, then one stuck in "starting" — found with podman\'s own lines, fixed by the commands offered', { timeout: 120_000 }, async () => {
    const { env } = await podmanWorld([{ kind: 'podmanRootless' }, { kind: 'podmanTooSmall', cpus: 4, memoryMiB: 8192, diskGiB: 100 }]);
    const found = result(await doctor(env), 'podman-machine');
    expect(found.outcome, JSON.stringify(found)).toBe('finding');
    const f = found.finding!;
    expect(f.summary).toBe('The podman machine podman-machine-default cannot host minikube as set: it is rootless, and Kubernetes needs a rootful machine to set resource limits (rlimits); it has 4 CPUs where the settings need 10; it has 8192 MiB of memory where the settings need 28672; it has a 100 GB disk where the settings need 120.');
    expect(f.evidence[0]!.source).toBe('podman-machine/podman-machine-default');
    expect(f.evidence[0]!.lines).toEqual(expect.arrayContaining(['state stopped, rootless, 4 CPUs, 8192 MiB, 100 GB', '$ podman machine inspect podman-machine-default', '"Rootful": false', '"CPUs": 4']));
    const repair = commandsOf(found, 'repair');
    expect(repair).toEqual([['podman', 'machine', 'set', '--rootful', '--cpus', '10', '--memory', '28672', '--disk-size', '120', 'podman-machine-default'], ['podman', 'machine', 'start', 'podman-machine-default']]);
    for (const argv of repair) execFileSync(argv[0]!, argv.slice(1), { env, stdio: 'pipe' });
    expect(result(await doctor(env), 'podman-machine').outcome).toBe('passed');

    const stuck = await podmanWorld([{ kind: 'podmanStuckStarting' }]);
    const hung = result(await doctor(stuck.env), 'podman-machine');
    expect(hung.finding?.summary).toMatch(/stuck in "starting"/);
    expect(hung.finding!.evidence[0]!.lines).toEqual(expect.arrayContaining(['"State": "starting"']));
    for (const argv of commandsOf(hung, 'restart')) execFileSync(argv[0]!, argv.slice(1), { env: stuck.env, stdio: 'pipe' });
    expect(result(await doctor(stuck.env), 'podman-machine').outcome).toBe('passed');

    // On docker the rule has nothing to look at.
    const docker = await world([]);
    docker.env.LLMD_HOST_FACTS = hostFactsFile(docker.dir);
    expect(result(await doctor(docker.env, ['--driver', 'docker']), 'podman-machine')).toMatchObject({ outcome: 'not-applicable', note: expect.stringContaining('no podman machine') });
  });

  it('podman-machine: the guide\'s Common Issues in the install\'s minikube start — crun\'s rlimits error, then kubeadm\'s cpuset error', { timeout: 180_000 }, async () => {
    const rlimit = 'X Exiting due to GUEST_START: failed to start node: creating container: Error: crun: setrlimit `RLIMIT_NOFILE`: Operation not permitted: OCI permission denied';
    const cpuset = 'X Exiting due to K8S_KUBELET_NOT_RUNNING: wait: sudo kubeadm init: Process exited with status 1\n\t[ERROR SystemVerification]: missing required cgroups: cpuset';
    const { env } = await podmanWorld([{ tool: 'minikube', match: 'start', exitCode: 80, stderr: rlimit, times: 1 }, { tool: 'minikube', match: 'start', exitCode: 109, stderr: cpuset, times: 1 }]);
    // The model cache (on by default) is mounted into a node minikube creates.
    const mount = modelCacheMountArgs(appPaths(env.LLMD_INSTALLER_HOME!).modelCacheDir).join(' ');
    const start = `minikube start -p llm-d-cpu --driver=podman --memory=24576 --cpus=8 --disk-size=100g ${mount} ${CPUSET_FLAGS.join(' ')} --output=json`;
    expect((await cli(['up', '--yes', '--json'], env)).code).toBe(1);
    const rl = result(await doctor(env), 'podman-machine');
    expect(rl.outcome, JSON.stringify(rl)).toBe('finding');
    // The podman-machine step had made the machine rootful before minikube started: the default connection is the suspect.
    expect(rl.finding!.summary).toMatch(/step minikube-start failed with an rlimits permission error, which the guide traces to a rootless machine — podman-machine-default is rootful now/);
    expect(rl.finding!.evidence).toEqual([expect.objectContaining({ source: expect.stringMatching(/^journal\//), lines: ['step minikube-start failed:', `\`${start}\` exited with code 80: ${rlimit}`, rlimit] })]);
    expect(commandsOf(rl, 'root-connection')).toEqual([['podman', 'system', 'connection', 'list'], ['podman', 'system', 'connection', 'default', 'podman-machine-default-root']]);

    // The engine's start carries the guide's flags for a podman machine, so a cpuset error despite them
    // means the machine itself: remove and recreate it.
    expect((await cli(['up', '--yes', '--json'], env)).code).toBe(1);
    const cs = result(await doctor(env), 'podman-machine');
    expect(cs.finding!.summary).toMatch(/step minikube-start failed because kubeadm looks for the cpuset cgroup/);
    expect(cs.finding!.evidence).toEqual([expect.objectContaining({ lines: ['step minikube-start failed:', `\`${start}\` exited with code 109: [ERROR SystemVerification]: missing required cgroups: cpuset`, '\t[ERROR SystemVerification]: missing required cgroups: cpuset'] })]);
    expect(commandsOf(cs, 'recreate-machine')[1]).toEqual(['podman', 'machine', 'rm', '-f', 'podman-machine-default']);
  });

  it('tool-version: a helm older than its minimum on PATH — tool, version, minimum and the install that replaces it', { timeout: 60_000 }, async () => {
    const { dir, env } = await world([{ kind: 'oldTool', tool: 'helm', version: '3.10.3' }]);
    env.LLMD_HOST_FACTS = hostFactsFile(dir);
    const before = await doctor(env, ['--driver', 'docker']);
    const r = result(before, 'tool-version');
    expect(r.outcome, JSON.stringify(r)).toBe('finding');
    expect(r.finding!.summary).toBe(`helm 3.10.3 is older than the minimum ${TOOLS.helm.minimum} the installer needs (${path.join(ROOT, 'sim', 'bin', 'helm')}).`);
    expect(r.finding!.evidence[0]).toMatchObject({ source: 'tool/helm', lines: [`found 3.10.3 at ${path.join(ROOT, 'sim', 'bin', 'helm')} (on PATH); minimum ${TOOLS.helm.minimum}, the app installs ${TOOLS.helm.version}`, expect.any(String), 'the settings need it'] });
    expect(commandsOf(r, 'install-pinned')).toEqual([['npm', 'run', 'cli', '--', 'up', '--yes', '--driver', 'docker']]);
    const fine = await world([]);
    fine.env.LLMD_HOST_FACTS = hostFactsFile(fine.dir);
    expect(result(await doctor(fine.env, ['--driver', 'docker']), 'tool-version').outcome).toBe('passed');
  });

  it('host-fit: a rehearsal of a 24 GiB machine — the doctor judges the saved settings on the recorded host, `--fix host-fit:use-suggested` installs at the sizes that fit', { timeout: 180_000 }, async () => {
    const { dir, env } = await world([]);
    // 24 GiB: the defaults' 24 GiB cluster leaves the system no headroom; 1 replica in 20 GiB fits.
    env.LLMD_HOST_FACTS = hostFactsFile(dir, { memoryBytes: 24 * 2 ** 30 });
    const home = env.LLMD_INSTALLER_HOME!;
    fs.mkdirSync(home, { recursive: true });
    fs.writeFileSync(path.join(home, 'settings.json'), JSON.stringify({ driver: 'docker', mirror }));
    const before = result(await doctor(env), 'host-fit');
    expect(before.outcome, JSON.stringify(before)).toBe('finding');
    expect(before.finding).toMatchObject({ severity: 'warning', summary: expect.stringContaining('2 replicas on the docker driver') });
    expect(before.finding!.evidence[0]).toMatchObject({ source: 'host (recorded facts)', lines: [expect.stringMatching(/^memory: needs 24 GiB for the cluster \+ 4 GiB for your system, has 24 GiB/)] });
    const fix = before.finding!.fixes.find((f) => f.id === 'use-suggested');
    expect(fix?.kind === 'settings' ? fix.settings : undefined).toEqual({ replicas: 1, memoryMiB: 20480 });
    const fixed = await cli(['doctor', '--fix', 'host-fit:use-suggested', '--yes'], env);
    expect(fixed.code, fixed.out + fixed.err).toBe(0);
    expect(fixed.out).toMatch(/Install finished \(run-/);
    const saved = JSON.parse(fs.readFileSync(path.join(home, 'settings.json'), 'utf8')) as Record<string, unknown>;
    expect(saved).toMatchObject(fix!.kind === 'settings' ? fix!.settings : {});
    // The doctor now judges the settings the fix saved (the host check's own verdict is for the defaults).
    const after = result(await doctor(env), 'host-fit');
    expect(after.outcome, JSON.stringify(after)).toBe('passed');
    expect((await cli(['down', '--delete-cluster', '--yes'], env)).code).toBe(0);
  });

  it('on a sim install: port 8000 held by another process (local-port), the EPP Service\'s metrics port renamed (metrics-port)', { timeout: 300_000 }, async () => {
    const { dir, env } = await world([]);
    env.LLMD_HOST_FACTS = hostFactsFile(dir);
    // Another program on the gateway's port before the install. Other suites on this machine (their
    // gateway forwards prefer 8000 too) may hold it for a while: then keep trying to take it, and if their
    // holder still has it when the doctor looks, that process is the holder the finding must name. Their
    // holder may also let go between the look and the check (CI saw 'passed' so): take the port then and
    // look again.
    let holder: ChildProcess | undefined;
    const take = async (): Promise<boolean> => {
      const h = spawn(process.execPath, ['-e', "require('node:net').createServer().listen(8000, '127.0.0.1', () => console.log('listening')).on('error', () => process.exit(3))"], { stdio: ['ignore', 'pipe', 'ignore'] });
      children.push(h);
      const ok = await new Promise<boolean>((resolve) => { h.stdout!.once('data', () => resolve(true)); h.once('exit', () => resolve(false)); });
      if (ok) holder = h;
      return ok;
    };
    const takeWithin = async (ms: number): Promise<boolean> => {
      for (const end = Date.now() + ms; ;) {
        if (await take()) return true;
        if (Date.now() > end) return false;
        await new Promise((r) => setTimeout(r, 500));
      }
    };
    await takeWithin(20_000);
    expect(await portAnswers(8000)).toBe(true);
    const flags = ['--driver', 'docker'];
    const up = await cli(['up', '--yes', '--json', ...flags, '--mirror', mirror], env);
    expect(up.code, up.out).toBe(0);
    // The other suite's holder may have let go while the install ran, and this install's gateway forward
    // took 8000: stop that forward, take the port, and let `status` restart the forward elsewhere.
    const gwFile = path.join(env.LLMD_INSTALLER_HOME!, 'run', 'forwards', 'gateway.json');
    const first = JSON.parse(fs.readFileSync(gwFile, 'utf8')) as { port: number; pid: number };
    if (first.port === 8000) {
      process.kill(first.pid, 'SIGKILL'); // its state file stays, so `status` sees a dead forward
      await takeWithin(10_000);
      expect((await cli(['status', '--json', ...flags], env)).code).toBe(0);
    }
    if (!holder) await takeWithin(20_000);
    let report = await doctor(env, flags);
    for (let i = 0; i < 5 && result(report, 'local-port').outcome === 'passed' && !holder; i++) {
      if (!(await takeWithin(10_000)) && !(await portAnswers(8000))) continue;
      report = await doctor(env, flags);
    }
    const mine = holder !== undefined;
    const lp = result(report, 'local-port');
    expect(lp.outcome, JSON.stringify(lp)).toBe('finding');
    const gw = JSON.parse(fs.readFileSync(gwFile, 'utf8')) as { url: string; port: number };
    expect(gw.port).not.toBe(8000);
    expect(lp.finding!.severity).toBe('warning');
    expect(lp.finding!.summary).toContain(`Port 8000 on 127.0.0.1, where the app forwards the gateway, is held by process `);
    expect(lp.finding!.summary).toContain(`so the app's gateway forward is at ${gw.url} instead`);
    expect(lp.finding!.evidence[0]!.source).toBe('port/127.0.0.1:8000');
    if (mine) expect(lp.finding!.evidence[0]!.lines[0]).toBe(`gateway's port 8000: in use by process ${holder!.pid} (${fs.readFileSync(`/proc/${holder!.pid}/comm`, 'utf8').trim()})`);
    else {
      // Someone else's listener: the holder the finding names is the one `ss` (another reader of the same
      // kernel tables) reports.
      const ss = execFileSync('ss', ['-ltnpH', 'sport = :8000'], { encoding: 'utf8' });
      const pid = /pid=(\d+)/.exec(ss)?.[1];
      // That suite's listener may have closed since the doctor looked: then only the shape can be checked.
      expect(lp.finding!.evidence[0]!.lines[0]).toMatch(new RegExp(`^gateway's port 8000: in use by process ${pid ?? '\\d+'} \\(`));
    }
    expect(result(report, 'metrics-port').outcome).toBe('passed');

    // The EPP Service's port 9090 named `metrics` (the container port's name) instead of `http-metrics`.
    const kubectl = (...a: string[]) => execFileSync('kubectl', ['--context', 'llm-d-cpu', ...a], { env, encoding: 'utf8' });
    type Svc = { spec: { ports: Array<{ name?: string; port: number }> } };
    const svc = JSON.parse(kubectl('get', 'service', 'optimized-baseline-epp', '-n', NS, '-o', 'json')) as Svc;
    const i = svc.spec.ports.findIndex((p) => p.name === 'http-metrics');
    expect(i, JSON.stringify(svc.spec.ports)).toBeGreaterThanOrEqual(0);
    kubectl('patch', 'service', 'optimized-baseline-epp', '-n', NS, '--type=json', '-p', JSON.stringify([{ op: 'replace', path: `/spec/ports/${i}/name`, value: 'metrics' }]));
    const mp = result(await doctor(env, flags), 'metrics-port');
    expect(mp.outcome, JSON.stringify(mp)).toBe('finding');
    expect(mp.finding!.summary).toMatch(/^Prometheus does not scrape the EPP: ServiceMonitor optimized-baseline-epp-monitor selects the port named "http-metrics", but Service optimized-baseline-epp has only grpc-ext-proc 9002, metrics 9090/);
    expect(mp.finding!.evidence.map((e) => e.source)).toEqual([`servicemonitor/${NS}/optimized-baseline-epp-monitor`, `service/${NS}/optimized-baseline-epp`]);
    const rename = commandsOf(mp, 'rename-optimized-baseline-epp')[0]!;
    expect(rename.slice(0, 5)).toEqual(['kubectl', '--context', 'llm-d-cpu', '-n', NS]);
    execFileSync(rename[0]!, rename.slice(1), { env, stdio: 'pipe' });
    expect(result(await doctor(env, flags), 'metrics-port').outcome).toBe('passed');
    expect((await cli(['down', '--delete-cluster', '--yes'], env)).code).toBe(0);
  });
});
