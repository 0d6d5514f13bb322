import { describe, expect, it } from 'vitest';
import { FitVerdict, type HostFacts } from './api/host.js';
import { Settings, type SettingsInput } from './api/settings.js';
import type { StackRequests } from './release.js';
import { factsFromLimits, resolveSetup, runtimesOf, settingsFit, worstLevel } from './fit.js';

const GiB = 2 ** 30;

const facts = (over: Partial<HostFacts> = {}): HostFacts => ({
  os: 'linux',
  osName: 'Ubuntu',
  osVersion: '24.04',
  arch: 'x64',
  archLabel: 'Linux x86_64',
  cpuModel: 'AMD Ryzen',
  cpuCores: 16,
  memoryBytes: 64 * GiB,
  diskFreeBytes: 500e9,
  diskPath: '/home/me',
  gpu: { nvidia: false, models: [] },
  docker: { installed: true, version: '28.2.2', running: true },
  podman: { installed: false },
  ...over,
});

const mac = (over: Partial<HostFacts> = {}): HostFacts => facts({
  os: 'darwin', arch: 'arm64', archLabel: 'Apple Silicon', cpuCores: 12, docker: { installed: false },
  podman: { installed: true, version: '5.6.0', running: false, machines: [] }, ...over,
});

/**
 * What a release's non-model pods request, as stackRequests sums them: the default release's numbers
 * (llm-d-0.9-optimized-baseline: EPP 500m / 1Gi, proxy 250m / 256Mi, Prometheus 500m / 1Gi).
 */
const STACK: StackRequests = { cpuMilli: 1250, memoryMiB: 2304, pods: ['router (epp)', 'router (proxy)', 'Prometheus (prometheus)'] };

/** The one function as every caller uses it: settings, `auto` resolved on the host, the host's facts, the release's requests. */
const judge = (f: HostFacts, over: SettingsInput = {}, opts: { rehearsal?: boolean } = {}, stack: StackRequests | null = STACK) => {
  const s = Settings.parse(over);
  return settingsFit(s, resolveSetup(s, f.os, runtimesOf(f)), f, stack, opts);
};
const check = (f: HostFacts, resource: string, over: SettingsInput = {}) => judge(f, over).fit.checks.find((c) => c.resource === resource)!;

describe('settingsFit: the verdict', () => {
  it('says a 64 GiB, 16-core Linux box with docker running fits the default setup', () => {
    const { fit, needs, issues } = judge(facts());
    expect(FitVerdict.parse(fit)).toEqual(fit);
    expect(fit.level).toBe('fits');
    expect(fit.advice).toEqual([]);
    expect(fit.suggested).toBeUndefined();
    expect(fit.summary).toContain('2 replicas on the docker driver');
    expect(issues).toEqual([]);
    expect(needs).toEqual({ driver: 'docker', usesPodmanMachine: false, memoryMiB: 24576, cpus: 8, diskGB: 100, replicas: 2, perReplicaMemoryGiB: 6 });
  });

  it('advises 1 replica and lower cluster memory on a 24 GiB host with the docker driver', () => {
    const { fit } = judge(facts({ memoryBytes: 23.5 * GiB }));
    expect(fit.checks.find((c) => c.resource === 'memory')).toMatchObject({ level: 'does-not-fit', advice: 'Use 1 replica and lower cluster memory to 19 GiB (1 replica needs 18 GiB).' });
    expect(fit.suggested).toEqual({ replicas: 1, memoryMiB: 19 * 1024 });
  });

  it('keeps 2 replicas and only lowers memory when the smaller cluster still holds them', () => {
    const c = check(facts({ memoryBytes: 30 * GiB }), 'memory', { memoryMiB: 32768 });
    expect(c.level).toBe('does-not-fit');
    expect(c.advice).toBe('Lower cluster memory to 26 GiB; 2 replica(s) still fit (they need 24 GiB).');
    // Enough for the cluster but not for the host's headroom: tight, not a failure.
    expect(check(facts({ memoryBytes: 26 * GiB }), 'memory').level).toBe('tight');
  });

  it('suggests a smaller model when even 1 replica does not fit', () => {
    const { fit } = judge(facts({ memoryBytes: 18 * GiB }));
    expect(fit.checks.find((c) => c.resource === 'memory')?.advice).toMatch(/^Choose a smaller model \(at most 2 GiB per replica\)/);
    expect(fit.suggested).toEqual({ replicas: 1, memoryMiB: 14 * 1024 });
  });

  it('says plainly when memory is far too small for any setup, and suggests no memory then', () => {
    const { fit } = judge(facts({ memoryBytes: 8 * GiB }));
    const c = fit.checks.find((x) => x.resource === 'memory')!;
    expect(c.level).toBe('does-not-fit');
    expect(c.advice).toContain('too little memory');
    expect(c.advice).toContain('22 GiB');
    expect(fit.suggested?.memoryMiB).toBeUndefined();
  });

  it('asks a Mac for 28 GiB for the podman machine plus headroom (32 GiB Mac fits, 16 GiB does not)', () => {
    expect(check(mac({ memoryBytes: 32 * GiB }), 'memory').level).toBe('fits');
    expect(check(mac({ memoryBytes: 32 * GiB }), 'memory').need).toContain('28 GiB for the podman machine');
    const small = check(mac({ memoryBytes: 16 * GiB }), 'memory');
    expect(small.level).toBe('does-not-fit');
    expect(small.advice).toContain('too little memory');
    expect(check(mac({ memoryBytes: 24 * GiB }), 'memory').advice).toContain('Choose a smaller model (at most 4 GiB per replica)');
    // The app creates the machine itself, so a Mac with podman but no machine is fine.
    expect(check(mac({ memoryBytes: 32 * GiB }), 'runtime')).toMatchObject({ level: 'fits', have: 'installed 5.6.0, no machine yet' });
  });

  it('needs 10 CPUs on a Mac (podman machine) and 8 with docker', () => {
    expect(check(mac({ cpuCores: 10 }), 'cpu')).toMatchObject({ level: 'tight' });
    expect(check(facts({ cpuCores: 9 }), 'cpu').level).toBe('fits');
    expect(check(facts({ cpuCores: 8 }), 'cpu').level).toBe('tight');
    expect(check(facts({ cpuCores: 4 }), 'cpu')).toMatchObject({ level: 'does-not-fit', advice: 'Lower cluster CPUs to 4; replies will be slower.' });
    expect(judge(facts({ cpuCores: 4 })).fit.suggested).toMatchObject({ cpus: 4 });
    // The stack (1250m) and one replica (500m) on top of the control plane (750m) request 2.5 CPUs.
    expect(check(facts({ cpuCores: 1 }), 'cpu').advice).toContain('at least 3 CPU cores for the stack and one replica');
  });

  it('grades disk: 100 GB fits, 84 GB is tight with a lower disk size, 10 GB does not fit', () => {
    expect(check(facts({ diskFreeBytes: 100e9 }), 'disk').level).toBe('fits');
    expect(check(facts({ diskFreeBytes: 84e9 }), 'disk')).toMatchObject({ level: 'tight', advice: 'Lower the cluster disk size to 75 GB, or free up 16 GB.' });
    expect(judge(facts({ diskFreeBytes: 84e9 })).fit.suggested).toEqual({ diskGB: 75 });
    expect(check(facts({ diskFreeBytes: 10e9 }), 'disk')).toMatchObject({ level: 'does-not-fit' });
  });

  it('asks to start Docker when the client is installed but the daemon is down', () => {
    const c = check(facts({ docker: { installed: true, version: '28.2.2', running: false } }), 'runtime');
    expect(c).toMatchObject({ level: 'tight', have: 'installed 28.2.2, not running', advice: 'Start Docker (its daemon is not running).' });
  });

  it('points at the other driver when the chosen one is missing and the other is installed', () => {
    const c = check(facts({ docker: { installed: false }, podman: { installed: true, running: true } }), 'runtime', { driver: 'docker' });
    expect(c.advice).toBe('Install Docker in the Prerequisites step or switch to the podman driver, which is installed.');
  });

  it('reports an NVIDIA GPU without requiring one', () => {
    expect(check(facts({ gpu: { nvidia: true, models: ['RTX 4090'] } }), 'gpu')).toMatchObject({ level: 'fits', have: 'NVIDIA: RTX 4090' });
    expect(check(facts(), 'gpu')).toMatchObject({ level: 'fits', have: 'no NVIDIA GPU' });
  });

  it('takes the worst level as the verdict and lists every piece of advice', () => {
    const v = judge(facts({ memoryBytes: 23.5 * GiB, cpuCores: 2, diskFreeBytes: 84e9, docker: { installed: true, running: false } })).fit;
    expect(v.level).toBe('does-not-fit');
    expect(v.advice).toHaveLength(4);
    expect(worstLevel(['fits', 'tight'])).toBe('tight');
    expect(worstLevel([])).toBe('fits');
  });

  it('counts the rest of the stack: cluster memory that holds the replicas but not the stack is tight, with a raise suggested', () => {
    const { fit, issues } = judge(facts(), { memoryMiB: 16384 });
    expect(fit.checks.find((c) => c.resource === 'memory')).toMatchObject({ level: 'tight', advice: 'Raise cluster memory to 24 GiB: 2 replica(s) need that much.' });
    expect(fit.suggested).toEqual({ memoryMiB: 24576 });
    expect(issues).toEqual([]);
  });

  it('warns an x86 CPU without AVX-512 (vLLM\'s CPU image wants it) and says the dtype bf16 decides', () => {
    const c = check(facts({ cpuFeatures: { bf16: false, avx512f: false, from: 'lscpu' } }), 'cpu-features');
    expect(c).toMatchObject({ level: 'tight', have: 'no bf16 (the model runs in float32), no AVX-512' });
    expect(c.advice).toMatch(/AVX-512.*Illegal instruction.*#18660/);
    expect(judge(facts({ cpuFeatures: { bf16: false, avx512f: false, from: 'lscpu' } })).fit.advice).toContain(c.advice);
  });

  it('fits with AVX-512, on Arm, and when the flags could not be read (float32 then)', () => {
    expect(check(facts({ cpuFeatures: { bf16: true, avx512f: true, from: 'lscpu' } }), 'cpu-features')).toMatchObject({ level: 'fits', have: 'bf16 (the model runs in bfloat16), AVX-512' });
    expect(check(facts({ arch: 'arm64', cpuFeatures: { bf16: false, avx512f: null, from: 'sysctl' } }), 'cpu-features')).toMatchObject({ level: 'fits', have: 'no bf16 (the model runs in float32)' });
    expect(check(facts(), 'cpu-features')).toMatchObject({ level: 'fits', have: expect.stringMatching(/could not read/) });
  });
});

describe('settingsFit: field issues and fit checks are one rule', () => {
  // Hosts and settings across the edges; for each, the field issues must be exactly the verdict's
  // does-not-fit sizes (Configure's red fields and the panel can never tell two stories).
  const cases: Array<[string, HostFacts, SettingsInput]> = [
    ['big Linux, defaults', facts(), {}],
    ['84 GB free disk (sparse disk: tight, not a blocker)', facts({ diskFreeBytes: 84e9 }), {}],
    ['10 GB free disk', facts({ diskFreeBytes: 10e9 }), {}],
    ['24 GiB Linux', facts({ memoryBytes: 23.5 * GiB }), {}],
    ['26 GiB Linux (no headroom)', facts({ memoryBytes: 26 * GiB }), {}],
    ['4-core Linux', facts({ cpuCores: 4 }), {}],
    ['Linux with a podman machine on 9 cores', facts({ cpuCores: 9, podman: { installed: true, running: true } }), { driver: 'podman', podmanMachine: true }],
    ['16 GiB Mac', mac({ memoryBytes: 16 * GiB }), {}],
    ['3 × Qwen2 in 24 GiB', facts(), { model: 'Qwen/Qwen2-0.5B-Instruct', replicas: 3 }],
    ['2 × SmolLM2 in 16 GiB', facts(), { memoryMiB: 16384 }],
  ];
  const field: Record<string, string> = { memory: 'memoryMiB', cpu: 'cpus', disk: 'diskGB' };

  it.each(cases)('%s', (_name, f, over) => {
    const { fit, issues } = judge(f, over);
    const failing = fit.checks.filter((c) => c.level === 'does-not-fit').map((c) => c.resource);
    const fields = issues.map((i) => i.path);
    // Every does-not-fit check marks its field (memory: the memory, or the replicas that overflow it)…
    for (const r of failing) expect(r === 'memory' ? fields.some((p) => p === 'memoryMiB' || p === 'replicas') : fields.includes(field[r]!)).toBe(true);
    // …and no field is marked unless its check does not fit.
    for (const p of fields) expect(failing).toContain(p === 'replicas' ? 'memory' : Object.keys(field).find((k) => field[k] === p));
    expect(fit.level === 'does-not-fit').toBe(issues.length > 0);
  });

  it('adds the podman machine margin on Linux when the settings ask for a machine — in the verdict as in the field', () => {
    const f = facts({ cpuCores: 9, podman: { installed: true, running: true } });
    const { fit, issues, needs } = judge(f, { driver: 'podman', podmanMachine: true });
    expect(needs.usesPodmanMachine).toBe(true);
    expect(fit.checks.find((c) => c.resource === 'cpu')).toMatchObject({ level: 'does-not-fit', need: '10 for the podman machine (8 for the cluster)' });
    expect(issues[0]).toMatchObject({ path: 'cpus', message: expect.stringContaining('needs 10 CPUs') });
    expect(judge(f, { driver: 'podman' }).issues).toEqual([]);
    // On a Mac the podman driver always runs in a machine; docker never does.
    expect(judge(mac({ cpuCores: 9 }), { driver: 'podman' }).issues[0]).toMatchObject({ path: 'cpus', message: expect.stringContaining('needs 10 CPUs') });
    expect(judge(mac({ cpuCores: 9 }), { driver: 'docker' }).issues).toEqual([]);
  });

  it('refuses more replicas than the cluster memory holds (their own limits), naming what they need', () => {
    const { issues, fit } = judge(facts(), { model: 'Qwen/Qwen2-0.5B-Instruct', replicas: 3 });
    expect(issues).toEqual([expect.objectContaining({ path: 'replicas', message: expect.stringContaining('need 30 GiB') })]);
    expect(fit.suggested).toEqual({ memoryMiB: 42 * 1024 });
  });

  it('allows the GPU only on Linux with an NVIDIA GPU — also in a rehearsal, where it is not a matter of size', () => {
    expect(judge(mac(), { gpu: true }).issues[0]?.message).toMatch(/only available on Linux/);
    expect(judge(facts(), { gpu: true }).issues[0]?.message).toMatch(/no NVIDIA GPU/);
    expect(judge(facts(), { gpu: true }, { rehearsal: true }).issues[0]?.message).toMatch(/no NVIDIA GPU/);
    expect(judge(facts({ gpu: { nvidia: true, models: ['L4'] } }), { gpu: true }).issues).toEqual([]);
  });

  it('in a rehearsal turns a host too small for the settings into warnings, with the verdict unchanged', () => {
    const small = facts({ cpuCores: 2, memoryBytes: 8 * GiB, diskFreeBytes: 10e9 });
    const real = judge(small);
    const rehearsal = judge(small, {}, { rehearsal: true });
    expect(real.issues.map((i) => i.path)).toEqual(['memoryMiB', 'cpus', 'diskGB']);
    expect(rehearsal.issues).toEqual([]);
    expect(rehearsal.warnings).toEqual(real.issues);
    expect(rehearsal.fit).toEqual(real.fit);
  });

  it('suggests values that fit: filled in, the sizes are no longer marked', () => {
    for (const f of [facts({ memoryBytes: 23.5 * GiB, cpuCores: 4 }), facts({ memoryBytes: 30 * GiB }), mac({ memoryBytes: 24 * GiB, cpuCores: 8 }), facts({ memoryBytes: 18 * GiB, cpuCores: 6 })]) {
      const first = judge(f, { memoryMiB: 32768 });
      expect(first.fit.suggested).toBeDefined();
      const again = judge(f, { memoryMiB: 32768, ...first.fit.suggested });
      expect(again.issues).toEqual([]);
    }
  });

  it('judges the settings.validate request\'s bare host sizes with the same rule', () => {
    const s = Settings.parse({});
    const limits = { os: 'linux', cpus: 4, memoryBytes: 16 * GiB, diskFreeBytes: 30e9, nvidiaGpu: false };
    const fromLimits = settingsFit(s, resolveSetup(s, 'linux', { docker: true, podman: false }), factsFromLimits(limits), STACK).issues.map((i) => i.path);
    expect(fromLimits).toEqual(['memoryMiB', 'cpus', 'diskGB']);
  });
});

describe('settingsFit: the cluster must hold what every pod of the stack requests', () => {
  // Default release, 2 × SmolLM2 (500m each): 750m control plane + 1250m stack + 1000m = 3000m → 3 CPUs.
  it('refuses 2 cluster CPUs for 2 replicas with the stack, naming what they request, and suggests 3', () => {
    const { fit, issues } = judge(facts(), { cpus: 2 });
    expect(issues).toEqual([{ path: 'cpus', message: 'the cluster needs 3 CPUs for what its pods request (the control plane 750m + the stack 1250m (router (epp), router (proxy), Prometheus (prometheus)) + 2 replicas × 500m = 3000m); it has 2' }]);
    expect(fit.checks.find((c) => c.resource === 'cpu')).toMatchObject({ level: 'does-not-fit', need: '3 for the cluster: its pods request 3000m', advice: 'Raise cluster CPUs to 3: the stack and 2 replicas request 3000m.' });
    expect(fit.suggested).toEqual({ cpus: 3 });
    expect(fit.level).toBe('does-not-fit');
  });

  it('accepts exactly the CPUs the requests need (the boundary), and one replica in 2 CPUs', () => {
    expect(judge(facts(), { cpus: 3 }).issues).toEqual([]);
    // 750m + 1250m + 500m = 2500m: still 3 CPUs; 2 are refused.
    expect(judge(facts(), { cpus: 2, replicas: 1 }).issues.map((i) => i.message)).toEqual([expect.stringContaining('needs 3 CPUs') as string]);
    // With a release whose other pods request nothing: 750m + 500m = 1250m fits 2.
    expect(judge(facts(), { cpus: 2, replicas: 1 }, {}, { cpuMilli: 0, memoryMiB: 0, pods: [] }).issues).toEqual([]);
  });

  it('counts every replica: 3 replicas request 3500m and 4 request 4000m (4 CPUs each), 5 request 4500m (5)', () => {
    expect(judge(facts(), { cpus: 3, replicas: 3, memoryMiB: 32768 }).issues.map((i) => i.path)).toEqual(['cpus']);
    expect(judge(facts(), { cpus: 4, replicas: 3, memoryMiB: 32768 }).issues).toEqual([]);
    expect(judge(facts(), { cpus: 4, replicas: 4, memoryMiB: 40960 }).issues).toEqual([]);
    expect(judge(facts(), { cpus: 4, replicas: 5, memoryMiB: 49152 }).issues.map((i) => i.path)).toEqual(['cpus']);
  });

  it('suggests fewer replicas when the host cannot give the CPUs they request', () => {
    // 3 cores, docker: the cluster can have 3; 3 replicas request 3500m → 4 CPUs; 2 replicas fit 3.
    const { fit, issues } = judge(facts({ cpuCores: 3 }), { cpus: 3, replicas: 3, memoryMiB: 32768 });
    expect(issues.map((i) => i.path)).toEqual(['cpus']);
    expect(fit.suggested).toEqual({ replicas: 2 });
    expect(judge(facts({ cpuCores: 3 }), { cpus: 3, replicas: 2, memoryMiB: 32768 }).issues).toEqual([]);
  });

  it('when memory and CPUs both propose fewer replicas, suggests the fewer, and the suggestion fits', () => {
    // 3 cores: 3 replicas request 3500m (4 CPUs), 2 fit 3; 23.5 GiB: memory holds only 1 replica with the stack.
    const f = facts({ cpuCores: 3, memoryBytes: 23.5 * GiB });
    const first = judge(f, { cpus: 3, replicas: 3, memoryMiB: 32768 });
    expect(first.fit.suggested?.replicas).toBe(1);
    expect(judge(f, { cpus: 3, replicas: 3, memoryMiB: 32768, ...first.fit.suggested }).issues).toEqual([]);
  });

  it('counts memory requests too: 2 replicas with a 1 GiB limit and the stack do not fit 4096 MiB', () => {
    // 170 + 2304 + 2 × 1024 = 4522 MiB of requests; the limits alone (2 GiB) would fit.
    const { issues } = judge(facts(), { memoryMiB: 4096, memoryLimitGi: 1, cpus: 4 });
    expect(issues).toContainEqual({ path: 'memoryMiB', message: 'the cluster needs 4522 MiB for what its pods request; it has 4096 MiB' });
    expect(judge(facts(), { memoryMiB: 4608, memoryLimitGi: 1, cpus: 4 }).issues.filter((i) => i.path === 'memoryMiB')).toEqual([]);
  });

  it('is a warning in a rehearsal, as the other size checks are', () => {
    const { issues, warnings } = judge(facts(), { cpus: 2 }, { rehearsal: true });
    expect(issues).toEqual([]);
    expect(warnings.map((w) => w.path)).toEqual(['cpus']);
  });

  it('says when the release is unknown and then counts the control plane and the replicas only', () => {
    // 750m + 2 × 500m = 1750m: 2 CPUs hold it.
    expect(judge(facts(), { cpus: 2 }, {}, null).issues).toEqual([]);
    expect(judge(facts(), { cpus: 2, replicas: 3, memoryMiB: 32768 }, {}, null).issues[0]!.message).toContain('the stack (release unknown: not counted)');
  });
});

describe('resolveSetup: one rule for the driver and the podman machine', () => {
  it('resolves auto to podman when installed, else docker; a machine on macOS with podman, or on Linux when asked', () => {
    const auto = Settings.parse({});
    expect(resolveSetup(auto, 'linux', { docker: true, podman: true })).toEqual({ driver: 'podman', usesPodmanMachine: false });
    expect(resolveSetup(auto, 'linux', { docker: true, podman: false })).toEqual({ driver: 'docker', usesPodmanMachine: false });
    expect(resolveSetup(auto, 'darwin', { docker: false, podman: true })).toEqual({ driver: 'podman', usesPodmanMachine: true });
    expect(resolveSetup(Settings.parse({ podmanMachine: true }), 'linux', { docker: false, podman: true })).toEqual({ driver: 'podman', usesPodmanMachine: true });
    expect(resolveSetup(Settings.parse({ driver: 'docker', podmanMachine: true }), 'darwin', { docker: true, podman: true })).toEqual({ driver: 'docker', usesPodmanMachine: false });
  });
});
