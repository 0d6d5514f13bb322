// Each simulated tool's commands as the engine calls them, run as processes through sim/bin, plus the
// faults that need no cluster: a tool failing once at a command, minikube refusing for lack of memory,
// a rootless or too small podman machine.
import { afterAll, describe, expect, it } from 'vitest';
import { makeWorld, type World } from '../testkit.js';

const worlds: World[] = [];
const world = (scenario?: string) => { const w = makeWorld(scenario); worlds.push(w); return w; };
afterAll(async () => { await Promise.all(worlds.map((w) => w.cleanup())); });

const FAST = 'timeScale: 0.01\n';

describe('simulated tool versions', () => {
  it('print versions like the real tools', async () => {
    const w = world();
    expect((await w.run('minikube', ['version', '--short'])).stdout.trim()).toBe('v1.37.0');
    expect(JSON.parse((await w.run('minikube', ['version', '-o', 'json'])).stdout)).toMatchObject({ minikubeVersion: 'v1.37.0' });
    expect((await w.run('helm', ['version', '--short'])).stdout.trim()).toMatch(/^v3\.19\.0\+g[0-9a-f]{7}$/);
    expect((await w.run('helmfile', ['--version'])).stdout.trim()).toBe('helmfile version 1.1.7');
    expect(JSON.parse((await w.run('podman', ['version', '--format', 'json'])).stdout)).toMatchObject({ Client: { Version: '5.6.1' } });
    expect(JSON.parse((await w.run('docker', ['version', '--format', 'json'])).stdout)).toMatchObject({ Server: { Version: '28.5.1' } });
    expect(Number((await w.run('docker', ['info', '--format', '{{.NCPU}}'])).stdout)).toBeGreaterThan(0);
  });

  it('reject unknown flags the way cobra does', async () => {
    const w = world();
    const m = await w.run('minikube', ['start', '--bogus']);
    expect(m.exitCode).toBe(14);
    expect(m.stderr).toContain('unknown flag: --bogus');
    const h = await w.run('helm', ['upgrade', 'x', 'y', '--frobnicate']);
    expect(h.exitCode).toBe(1);
    expect(h.stderr).toContain('Error: unknown flag: --frobnicate');
    const p = await w.run('podman', ['machine', 'init', '--nope']);
    expect(p.exitCode).toBe(125);
    expect((await w.run('helmfile', ['sync', '--what'])).stderr).toContain('unknown flag: --what');
  });
});

describe('podman machine', () => {
  it('inits rootful with the guide sizes, starts, lists and inspects as JSON', async () => {
    const w = world();
    expect((await w.run('podman', ['machine', 'init', '--cpus', '10', '--memory', '28672', '--disk-size', '120', '--rootful'])).exitCode).toBe(0);
    expect((await w.run('podman', ['machine', 'start'])).stdout).toContain('started successfully');
    const list = JSON.parse((await w.run('podman', ['machine', 'list', '--format', 'json'])).stdout) as Array<Record<string, unknown>>;
    expect(list[0]).toMatchObject({ Name: 'podman-machine-default', Running: true, CPUs: 10, Memory: String(28672 * 1024 * 1024), DiskSize: String(120 * 1024 ** 3) });
    const inspect = JSON.parse((await w.run('podman', ['machine', 'inspect'])).stdout) as Array<Record<string, unknown>>;
    expect(inspect[0]).toMatchObject({ Rootful: true, State: 'running', Resources: { CPUs: 10, Memory: 28672, DiskSize: 120 } });
    expect((await w.run('podman', ['machine', 'stop'])).exitCode).toBe(0);
    expect((await w.run('podman', ['machine', 'rm', '-f'])).exitCode).toBe(0);
    expect(JSON.parse((await w.run('podman', ['machine', 'list', '--format', 'json'])).stdout)).toEqual([]);
  });

  it('fault podmanRootless: an existing rootless machine that `machine set --rootful` fixes while stopped', async () => {
    const w = world(`${FAST}faults:\n  - kind: podmanRootless\n`);
    const before = JSON.parse((await w.run('podman', ['machine', 'inspect'])).stdout) as Array<{ Rootful: boolean }>;
    expect(before[0]?.Rootful).toBe(false);
    await w.run('podman', ['machine', 'start']);
    expect((await w.run('podman', ['machine', 'set', '--rootful'])).stderr).toContain('unable to change settings unless vm is stopped');
    await w.run('podman', ['machine', 'stop']);
    expect((await w.run('podman', ['machine', 'set', '--rootful'])).exitCode).toBe(0);
    expect((JSON.parse((await w.run('podman', ['machine', 'inspect'])).stdout) as Array<{ Rootful: boolean }>)[0]?.Rootful).toBe(true);
  });

  it('fault podmanTooSmall: an existing machine below the guide sizes, resizable (disk only grows)', async () => {
    const w = world(`${FAST}faults:\n  - { kind: podmanTooSmall, cpus: 4, memoryMiB: 8192, diskGiB: 100 }\n`);
    const m = (JSON.parse((await w.run('podman', ['machine', 'list', '--format', 'json'])).stdout) as Array<{ CPUs: number; Memory: string }>)[0];
    expect(m).toMatchObject({ CPUs: 4, Memory: String(8192 * 1024 * 1024) });
    expect((await w.run('podman', ['machine', 'set', '--disk-size', '50'])).stderr).toContain('new disk size must be larger than 100 GB');
    expect((await w.run('podman', ['machine', 'set', '--cpus', '10', '--memory', '28672', '--disk-size', '120'])).exitCode).toBe(0);
    expect((JSON.parse((await w.run('podman', ['machine', 'inspect'])).stdout) as Array<{ Resources: unknown }>)[0]?.Resources).toMatchObject({ CPUs: 10, Memory: 28672, DiskSize: 120 });
  });

  it('fault podmanStuckStarting: a machine hung in "starting" that refuses start and set until stopped', async () => {
    const w = world(`${FAST}faults:\n  - kind: podmanStuckStarting\n`);
    const listed = (JSON.parse((await w.run('podman', ['machine', 'list', '--format', 'json'])).stdout) as Array<{ Running: boolean; Starting: boolean }>)[0];
    expect(listed).toMatchObject({ Running: false, Starting: true });
    expect((JSON.parse((await w.run('podman', ['machine', 'inspect'])).stdout) as Array<{ State: string }>)[0]?.State).toBe('starting');
    expect((await w.run('podman', ['machine', 'start'])).stderr).toContain('VM already running or starting');
    expect((await w.run('podman', ['machine', 'set', '--rootful'])).stderr).toContain('unable to change settings unless vm is stopped');
    expect((await w.run('podman', ['machine', 'stop'])).exitCode).toBe(0);
    expect((await w.run('podman', ['machine', 'start'])).exitCode).toBe(0);
    expect((JSON.parse((await w.run('podman', ['machine', 'inspect'])).stdout) as Array<{ State: string }>)[0]?.State).toBe('running');
  });

  it('fault oldTool: helm, minikube and podman report the version the fault names', async () => {
    const w = world(`${FAST}faults:\n  - { kind: oldTool, tool: helm, version: 3.10.3 }\n  - { kind: oldTool, tool: minikube, version: 1.30.1 }\n  - { kind: oldTool, tool: podman, version: 4.0.2 }\n`);
    expect((await w.run('helm', ['version', '--short'])).stdout.trim()).toMatch(/^v3\.10\.3\+g/);
    expect((await w.run('minikube', ['version', '--short'])).stdout.trim()).toBe('v1.30.1');
    expect((await w.run('podman', ['--version'])).stdout.trim()).toBe('podman version 4.0.2');
  });
});

describe('faults without a cluster', () => {
  it('toolFailure: a tool exits non-zero at a matching command, `times` times, then works', async () => {
    const w = world(`${FAST}faults:\n  - { tool: helm, match: "repo add", exitCode: 3, stderr: "Error: looks like the repo URL is not a valid chart repository", times: 1 }\n`);
    const first = await w.run('helm', ['repo', 'add', 'istio', 'https://istio-release.storage.googleapis.com/charts']);
    expect(first.exitCode).toBe(3);
    expect(first.stderr).toContain('not a valid chart repository');
    const second = await w.run('helm', ['repo', 'add', 'istio', 'https://istio-release.storage.googleapis.com/charts']);
    expect(second.exitCode).toBe(0);
    expect(second.stdout).toBe('"istio" has been added to your repositories');
    expect((await w.run('helm', ['repo', 'add', 'istio', 'https://istio-release.storage.googleapis.com/charts'])).stdout).toContain('already exists with the same configuration');
  });

  it('minikubeInsufficientMemory: refuses like minikube (RSRC_OVER_ALLOC_MEM, exit 23, JSON error event)', async () => {
    const w = world(`${FAST}faults:\n  - { kind: minikubeInsufficientMemory, systemMiB: 15972 }\n`);
    const r = await w.run('minikube', ['start', '-p', 'llm-d-cpu', '--memory=24576', '--cpus=8', '--output=json']);
    expect(r.exitCode).toBe(23);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; data: Record<string, string> });
    expect(events.at(-1)).toMatchObject({ type: 'io.k8s.sigs.minikube.error', data: { name: 'RSRC_OVER_ALLOC_MEM', exitcode: '23', message: 'Requested memory allocation 24576MB is more than your system limit 15972MB.' } });
    expect((await w.run('minikube', ['profile', 'list', '-o', 'json'])).stdout).toBe('{"invalid":[],"valid":[]}\n'.trim());
  });

  it('minikubeInsufficientMemory with RSRC_INSUFFICIENT_SYS_MEMORY prints minikube\'s text on stderr', async () => {
    const w = world(`${FAST}faults:\n  - { kind: minikubeInsufficientMemory, systemMiB: 8000, reason: RSRC_INSUFFICIENT_SYS_MEMORY }\n`);
    const r = await w.run('minikube', ['start', '-p', 'p', '--memory=24576']);
    expect(r.exitCode).toBe(23);
    expect(r.stderr).toContain('X Exiting due to RSRC_INSUFFICIENT_SYS_MEMORY: System only has 8000MiB available, less than the required 24576MiB for Kubernetes');
  });

  it('a scenario file with an unknown fault kind is refused with the reason', async () => {
    const w = world(`${FAST}faults:\n  - { kind: gremlins }\n`);
    const r = await w.run('docker', ['version']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('invalid scenario');
  });
});

describe('minikube cannot resize a cluster', () => {
  it('start on an existing profile with another --memory/--cpus warns like minikube and keeps the size; delete then start makes the new size', async () => {
    const w = world(FAST);
    const profileOf = async () => (JSON.parse((await w.run('minikube', ['profile', 'list', '-o', 'json'])).stdout) as { valid: Array<{ Config: { CPUs: number; Memory: number } }> }).valid[0]?.Config;
    const node = async () => (JSON.parse((await w.kubectl(['get', 'node', 'p', '-o', 'json'])).stdout) as { status: { capacity: { cpu: string; memory: string } } }).status.capacity;
    expect((await w.run('minikube', ['start', '-p', 'p', '--memory=4096', '--cpus=2', '--output=json'])).exitCode).toBe(0);
    expect((await w.kubectl(['create', 'namespace', 'kept-until-delete'])).exitCode).toBe(0);
    const again = await w.run('minikube', ['start', '-p', 'p', '--memory=8192', '--cpus=4', '--output=json']);
    expect(again.exitCode).toBe(0);
    const warnings = again.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string; data: { message: string } }).filter((e) => e.type === 'io.k8s.sigs.minikube.warning');
    expect(warnings.map((e) => e.data.message)).toEqual([
      'You cannot change the memory size for an existing minikube cluster. Please first delete the cluster.',
      'You cannot change the CPUs for an existing minikube cluster. Please first delete the cluster.',
    ]);
    expect(await profileOf()).toMatchObject({ CPUs: 2, Memory: 4096 });
    expect(await node()).toMatchObject({ cpu: '2', memory: `${4096 * 1024}Ki` });
    // The same size again is no change: no warning (minikube compares with the existing config).
    expect((await w.run('minikube', ['start', '-p', 'p', '--memory=4096', '--cpus=2'])).stdout).not.toContain('You cannot change');
    expect((await w.run('minikube', ['delete', '-p', 'p'])).exitCode).toBe(0);
    expect((await w.run('minikube', ['start', '-p', 'p', '--memory=8192', '--cpus=4'])).stdout).not.toContain('You cannot change');
    expect(await profileOf()).toMatchObject({ CPUs: 4, Memory: 8192 });
    expect(await node()).toMatchObject({ cpu: '4', memory: `${8192 * 1024}Ki` });
    // Nothing of the deleted cluster is left in the new one.
    expect((await w.kubectl(['get', 'namespace', 'kept-until-delete'])).exitCode).not.toBe(0);
  }, 60_000);
});
