import { describe, expect, it } from 'vitest';
import type { HostFacts } from '../../../shared/api/host.js';
import { FitVerdict } from '../../../shared/api/host.js';
import { assessFit, DEFAULT_FIT_NEEDS, defaultFitNeeds, worstLevel } from './fit.js';

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

const check = (f: HostFacts, resource: string, needs = defaultFitNeeds(f.os)) =>
  assessFit(f, needs).checks.find((c) => c.resource === resource)!;

describe('assessFit', () => {
  it('says a 64 GiB, 16-core Linux box with docker running fits the default setup', () => {
    const verdict = assessFit(facts());
    expect(FitVerdict.parse(verdict)).toEqual(verdict);
    expect(verdict.level).toBe('fits');
    expect(verdict.advice).toEqual([]);
    expect(verdict.summary).toContain('2 replicas on the docker driver');
  });

  it('uses the guide defaults: docker 24 GiB / 8 CPUs / 100 GB, 2 replicas of 6 GiB', () => {
    expect(DEFAULT_FIT_NEEDS).toEqual({ driver: 'docker', memoryMiB: 24576, cpus: 8, diskGB: 100, replicas: 2, perReplicaMemoryGiB: 6 });
    expect(defaultFitNeeds('darwin').driver).toBe('podman');
    expect(defaultFitNeeds('linux').driver).toBe('docker');
  });

  it('advises 1 replica and lower cluster memory on a 24 GiB host with the docker driver', () => {
    const c = check(facts({ memoryBytes: 23.5 * GiB }), 'memory');
    expect(c.level).toBe('does-not-fit');
    expect(c.advice).toBe('Use 1 replica and lower cluster memory to 19 GiB (1 replica needs 18 GiB).');
  });

  it('keeps 2 replicas and only lowers memory when the smaller cluster still holds them', () => {
    const c = check(facts({ memoryBytes: 30 * GiB }), 'memory', { ...DEFAULT_FIT_NEEDS, memoryMiB: 32768 });
    expect(c.level).toBe('does-not-fit');
    expect(c.advice).toBe('Lower cluster memory to 26 GiB; 2 replica(s) still fit (they need 24 GiB).');
    // Enough for the cluster but not for the host's headroom: tight, not a failure.
    expect(check(facts({ memoryBytes: 26 * GiB }), 'memory').level).toBe('tight');
  });

  it('suggests a smaller model when even 1 replica does not fit', () => {
    const c = check(facts({ memoryBytes: 18 * GiB }), 'memory');
    expect(c.level).toBe('does-not-fit');
    expect(c.advice).toMatch(/^Choose a smaller model \(at most 2 GiB per replica\)/);
  });

  it('says plainly when memory is far too small for any setup', () => {
    const c = check(facts({ memoryBytes: 8 * GiB }), 'memory');
    expect(c.level).toBe('does-not-fit');
    expect(c.advice).toContain('too little memory');
    expect(c.advice).toContain('22 GiB');
  });

  it('asks a Mac for 28 GiB for the podman machine plus headroom (32 GiB Mac fits, 16 GiB does not)', () => {
    const mac = (gib: number) => facts({ os: 'darwin', arch: 'arm64', archLabel: 'Apple Silicon', memoryBytes: gib * GiB, cpuCores: 12, podman: { installed: true, version: '5.6.0', running: false, machines: [] }, docker: { installed: false } });
    expect(check(mac(32), 'memory').level).toBe('fits');
    expect(check(mac(32), 'memory').need).toContain('28 GiB for the podman machine');
    const small = check(mac(16), 'memory');
    expect(small.level).toBe('does-not-fit');
    expect(small.advice).toContain('too little memory');
    expect(check(mac(24), 'memory').advice).toContain('Choose a smaller model (at most 4 GiB per replica)');
    // The app creates the machine itself, so a Mac with podman but no machine is fine.
    expect(check(mac(32), 'runtime')).toMatchObject({ level: 'fits', have: 'installed 5.6.0, no machine yet' });
  });

  it('needs 10 CPUs on a Mac (podman machine) and 8 with docker', () => {
    const mac = facts({ os: 'darwin', arch: 'arm64', archLabel: 'Apple Silicon', cpuCores: 10, podman: { installed: true } });
    expect(check(mac, 'cpu')).toMatchObject({ level: 'tight' });
    expect(check(facts({ cpuCores: 9 }), 'cpu').level).toBe('fits');
    expect(check(facts({ cpuCores: 8 }), 'cpu').level).toBe('tight');
    expect(check(facts({ cpuCores: 4 }), 'cpu')).toMatchObject({ level: 'does-not-fit', advice: 'Lower cluster CPUs to 4; replies will be slower.' });
    expect(check(facts({ cpuCores: 1 }), 'cpu').advice).toContain('at least 2 CPU cores');
  });

  it('grades disk: 100 GB fits, 84 GB is tight with a lower disk size, 10 GB does not fit', () => {
    expect(check(facts({ diskFreeBytes: 100e9 }), 'disk').level).toBe('fits');
    expect(check(facts({ diskFreeBytes: 84e9 }), 'disk')).toMatchObject({ level: 'tight', advice: 'Lower the cluster disk size to 75 GB, or free up 16 GB.' });
    expect(check(facts({ diskFreeBytes: 10e9 }), 'disk')).toMatchObject({ level: 'does-not-fit' });
  });

  it('asks to start Docker when the client is installed but the daemon is down', () => {
    const c = check(facts({ docker: { installed: true, version: '28.2.2', running: false } }), 'runtime');
    expect(c).toMatchObject({ level: 'tight', have: 'installed 28.2.2, not running', advice: 'Start Docker (its daemon is not running).' });
  });

  it('points at the other driver when only podman is installed on Linux', () => {
    const c = check(facts({ docker: { installed: false }, podman: { installed: true, running: true } }), 'runtime');
    expect(c.advice).toBe('Install Docker in the Prerequisites step or switch to the podman driver, which is installed.');
  });

  it('reports an NVIDIA GPU without requiring one', () => {
    expect(check(facts({ gpu: { nvidia: true, models: ['RTX 4090'] } }), 'gpu')).toMatchObject({ level: 'fits', have: 'NVIDIA: RTX 4090' });
    expect(check(facts(), 'gpu')).toMatchObject({ level: 'fits', have: 'no NVIDIA GPU' });
  });

  it('takes the worst level as the verdict and lists every piece of advice', () => {
    const v = assessFit(facts({ memoryBytes: 23.5 * GiB, cpuCores: 2, diskFreeBytes: 84e9, docker: { installed: true, running: false } }));
    expect(v.level).toBe('does-not-fit');
    expect(v.advice).toHaveLength(4);
    expect(worstLevel(['fits', 'tight'])).toBe('tight');
    expect(worstLevel([])).toBe('fits');
  });

  it('flags settings whose cluster memory is below what the replicas need', () => {
    const c = check(facts(), 'memory', { ...DEFAULT_FIT_NEEDS, memoryMiB: 16384 });
    expect(c).toMatchObject({ level: 'tight', advice: 'Raise cluster memory to 24 GiB: 2 replica(s) need that much.' });
  });
});

describe('assessFit: CPU instructions', () => {
  it('warns an x86 CPU without AVX-512 (vLLM\'s CPU image wants it) and says the dtype bf16 decides', () => {
    const c = check(facts({ cpuFeatures: { bf16: false, avx512f: false, from: 'lscpu' } }), 'cpu-features');
    expect(c).toMatchObject({ level: 'tight', have: 'no bf16 (the model runs in float32), no AVX-512' });
    expect(c.advice).toMatch(/AVX-512.*Illegal instruction.*#18660/);
    expect(assessFit(facts({ cpuFeatures: { bf16: false, avx512f: false, from: 'lscpu' } })).advice).toContain(c.advice);
  });

  it('fits with AVX-512, on Arm, and when the flags could not be read (float32 then)', () => {
    expect(check(facts({ cpuFeatures: { bf16: true, avx512f: true, from: 'lscpu' } }), 'cpu-features')).toMatchObject({ level: 'fits', have: 'bf16 (the model runs in bfloat16), AVX-512' });
    expect(check(facts({ arch: 'arm64', cpuFeatures: { bf16: false, avx512f: null, from: 'sysctl' } }), 'cpu-features')).toMatchObject({ level: 'fits', have: 'no bf16 (the model runs in float32)' });
    expect(check(facts(), 'cpu-features')).toMatchObject({ level: 'fits', have: expect.stringMatching(/could not read/) });
  });
});
