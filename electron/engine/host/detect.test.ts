import { describe, expect, it } from 'vitest';
import { HostFacts } from '../../../shared/api/host.js';
import { archLabel, detectHostFacts, normaliseArch } from './detect.js';
import { defaultSettings } from '../../../shared/api/settings.js';
import { resolveSetup, runtimesOf, settingsFit } from '../../../shared/fit.js';
import { findResourcesDir } from '../resources.js';
import { releaseRequests } from '../stack/releases.js';
import { dockerNoDaemon, fakeMachine, fakeRunner, fakeSource, GiB, type FakeMachine } from './fake-machine.js';

/** The verdict the System check shows: the default settings, `auto` resolved on these facts. */
const assessFit = (facts: HostFacts) => settingsFit(defaultSettings(), resolveSetup(defaultSettings(), facts.os, runtimesOf(facts)), facts, releaseRequests(defaultSettings().release, findResourcesDir({}))).fit;

const detect = (m: FakeMachine, calls?: string[]) => detectHostFacts({ source: fakeSource(m), run: fakeRunner(m, calls), dataDir: '/home/me/.local/share/llm-d-installer' });

describe('detectHostFacts', () => {
  it('describes a Linux x86_64 workstation and validates against the contract', async () => {
    const facts = await detect(fakeMachine());
    expect(HostFacts.parse(facts)).toEqual(facts);
    expect(facts).toMatchObject({
      os: 'linux', osName: 'Ubuntu', osVersion: '24.04', arch: 'x64', archLabel: 'Linux x86_64',
      cpuModel: 'AMD Ryzen 9 7950X', cpuCores: 16, memoryBytes: 64 * GiB, diskFreeBytes: 500e9,
      diskPath: '/home/me/.local/share/llm-d-installer',
      gpu: { nvidia: false, models: [] },
      docker: { installed: true, version: '28.2.2', running: true },
      podman: { installed: false },
    });
  });

  it('recognises Apple Silicon and reads the podman machines, never calling docker a GPU host', async () => {
    const calls: string[] = [];
    const m = fakeMachine({
      os: { platform: 'darwin', distro: 'macOS', release: '15.5', arch: 'arm64' },
      cpu: { manufacturer: 'Apple', brand: 'M3 Pro', cores: 12 },
      memoryBytes: 36 * GiB,
      gpus: [{ vendor: 'Apple', model: 'Apple M3 Pro' }],
      commands: {
        'podman version --format json': { exitCode: 0, stdout: JSON.stringify({ Client: { Version: '5.6.1' } }) },
        'podman machine list --format json': {
          exitCode: 0,
          stdout: JSON.stringify([{ Name: 'podman-machine-default*', Running: true, CPUs: 10, Memory: '30064771072', DiskSize: '128849018880' }]),
        },
      },
    });
    const facts = await detect(m, calls);
    expect(facts.archLabel).toBe('Apple Silicon');
    expect(facts.gpu).toEqual({ nvidia: false, models: [] });
    expect(facts.docker).toEqual({ installed: false });
    expect(facts.podman).toEqual({
      installed: true, version: '5.6.1', running: true,
      machines: [{ name: 'podman-machine-default', running: true, cpus: 10, memoryMiB: 28672, diskGB: 129 }],
    });
    expect(calls).toContain('podman machine list --format json');
    expect(assessFit(facts).level).toBe('fits');
  });

  it('finds an NVIDIA GPU on Linux by vendor or model name', async () => {
    const facts = await detect(fakeMachine({ gpus: [{ vendor: 'Intel Corporation', model: 'UHD 770' }, { vendor: 'NVIDIA Corporation', model: 'GeForce RTX 4090' }] }));
    expect(facts.gpu).toEqual({ nvidia: true, models: ['GeForce RTX 4090'] });
  });

  it('reports no GPU when there is none', async () => {
    expect((await detect(fakeMachine({ gpus: [] }))).gpu.nvidia).toBe(false);
  });

  it('turns too little RAM into a does-not-fit verdict with advice', async () => {
    const facts = await detect(fakeMachine({ memoryBytes: 16 * GiB }));
    const fit = assessFit(facts);
    expect(fit.level).toBe('does-not-fit');
    expect(fit.advice.join(' ')).toMatch(/smaller model|too little memory/);
  });

  it('treats a docker client without a daemon as installed but not running', async () => {
    const facts = await detect(fakeMachine({ commands: { 'docker version --format json': { exitCode: 1, stdout: dockerNoDaemon, stderr: 'Cannot connect to the Docker daemon' } } }));
    expect(facts.docker).toEqual({ installed: true, version: '28.2.2', running: false });
  });

  it('labels every OS/arch pair people use', () => {
    expect(archLabel('darwin', 'arm64')).toBe('Apple Silicon');
    expect(archLabel('darwin', 'x64')).toBe('Intel Mac');
    expect(archLabel('linux', 'x64')).toBe('Linux x86_64');
    expect(archLabel('linux', 'arm64')).toBe('Linux arm64');
    expect(archLabel('win32', 'x64')).toBe('Other');
    expect(normaliseArch('aarch64')).toBe('arm64');
    expect(normaliseArch('x86_64')).toBe('x64');
    expect(normaliseArch('ppc64')).toBe('other');
  });
});
