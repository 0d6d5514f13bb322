import { describe, expect, it } from 'vitest';
import { Settings, defaultSettings, hostIssues, podmanMachineSize, schemaIssues, type HostLimits } from './settings.js';
import { methods } from '../contract.js';

const bigLinux: HostLimits = { os: 'linux', cpus: 16, memoryBytes: 64 * 2 ** 30, diskFreeBytes: 500e9, nvidiaGpu: false };

describe('settings', () => {
  it('defaults to the guide\'s sizes and today\'s llm-d: llm-d-cpu, llm-d-cpu-inference, auto driver, 24576 MiB, 8 CPUs, 100 GB, SmolLM2, 2 replicas, monitoring on, GPU off, no mirror, the 0.9 release, no image overrides, dtype by the CPU', () => {
    expect(defaultSettings()).toEqual({
      profile: 'llm-d-cpu', namespace: 'llm-d-cpu-inference', driver: 'auto', memoryMiB: 24576, cpus: 8, diskGB: 100,
      model: 'HuggingFaceTB/SmolLM2-360M-Instruct', replicas: 2, monitoring: true, gpu: false, podmanMachine: false,
      release: 'llm-d-0.9-optimized-baseline', images: {}, dtype: 'auto',
    });
  });

  it('sizes the podman machine like the guide: 10 CPUs, 28672 MiB, 120 GB for the defaults', () => {
    expect(podmanMachineSize(defaultSettings())).toEqual({ cpus: 10, memoryMiB: 28672, diskGB: 120 });
  });

  it.each([
    [{ namespace: 'LLM_D' }, 'namespace', 'DNS-1123'],
    [{ profile: 'a'.repeat(64) }, 'profile', '63'],
    [{ namespace: '-bad' }, 'namespace', 'DNS-1123'],
    [{ replicas: 0 }, 'replicas', 'at least 1'],
    [{ replicas: 1.5 }, 'replicas', 'whole'],
    [{ memoryMiB: 1024 }, 'memoryMiB', 'at least 4096'],
    [{ model: 'gpt-4' }, 'model', 'must be one of'],
    [{ driver: 'kvm' }, 'driver', ''],
    [{ mirror: 'ftp://x' }, 'mirror', 'https://, http:// or file://'],
    [{ hfToken: 'x' }, '(settings)', ''],
  ])('rejects %j with a message on %s', (input, pathName, words) => {
    const r = Settings.safeParse(input);
    expect(r.success).toBe(false);
    const issues = schemaIssues(r.error!);
    const issue = issues.find((i) => i.path === pathName) ?? issues[0]!;
    if (pathName !== '(settings)') expect(issue.path).toBe(pathName);
    expect(issue.message).toContain(words);
  });

  it('accepts a file:// mirror and the three models', () => {
    for (const model of ['HuggingFaceTB/SmolLM2-360M-Instruct', 'Qwen/Qwen2-0.5B-Instruct', 'TinyLlama/TinyLlama-1.1B-Chat-v1.0']) {
      expect(Settings.safeParse({ model, mirror: 'file:///srv/mirror' }).success).toBe(true);
    }
  });
});

describe('host-dependent checks', () => {
  it('accepts the defaults on a large Linux host', () => {
    expect(hostIssues(defaultSettings(), bigLinux)).toEqual([]);
  });

  it('says what the host lacks: CPUs, memory, disk', () => {
    const small: HostLimits = { os: 'linux', cpus: 4, memoryBytes: 16 * 2 ** 30, diskFreeBytes: 50e9, nvidiaGpu: false };
    const paths = hostIssues(defaultSettings(), small).map((i) => i.path);
    expect(paths).toEqual(['cpus', 'memoryMiB', 'diskGB']);
  });

  it('adds the podman machine margin on macOS', () => {
    const mac: HostLimits = { os: 'darwin', cpus: 9, memoryBytes: 64 * 2 ** 30, diskFreeBytes: 500e9, nvidiaGpu: false };
    const s = Settings.parse({ driver: 'podman' });
    expect(hostIssues(s, mac)[0]).toMatchObject({ path: 'cpus', message: expect.stringContaining('needs 10 CPUs') });
    expect(hostIssues(Settings.parse({ driver: 'docker' }), mac)).toEqual([]);
  });

  it('refuses more replicas than the cluster memory holds', () => {
    const s = Settings.parse({ model: 'Qwen/Qwen2-0.5B-Instruct', replicas: 3 });
    expect(hostIssues(s, bigLinux)).toEqual([expect.objectContaining({ path: 'replicas' })]);
  });

  it('allows the GPU only on Linux with an NVIDIA GPU', () => {
    const s = Settings.parse({ gpu: true });
    expect(hostIssues(s, { ...bigLinux, os: 'darwin' })[0]?.message).toMatch(/only available on Linux/);
    expect(hostIssues(s, bigLinux)[0]?.message).toMatch(/no NVIDIA GPU/);
    expect(hostIssues(s, { ...bigLinux, nvidiaGpu: true })).toEqual([]);
  });
});

describe('request schemas type their settings', () => {
  it('host.fit and settings.save take Settings: a wrong field fails the request itself, defaults fill the rest', () => {
    for (const m of ['host.fit', 'settings.save'] as const) {
      const bad = methods[m].request.safeParse({ settings: { replicas: 0 } });
      expect(bad.success, m).toBe(false);
      expect(bad.error?.issues[0]?.path, m).toEqual(['settings', 'replicas']);
      expect(methods[m].request.parse({ settings: {} }).settings, m).toEqual(defaultSettings());
    }
  });

  it('overrides (plan.describe, images.check, plan.run, …) are an object of fields, validated with the saved ones later', () => {
    for (const m of ['plan.describe', 'images.check', 'plan.run', 'plan.teardown', 'plan.status', 'prereqs.check', 'doctor.run', 'bundle.create'] as const) {
      expect(methods[m].request.safeParse({ settings: { replicas: 1 } }).success, m).toBe(true);
      expect(methods[m].request.safeParse({ settings: 'replicas=1' }).success, m).toBe(false);
    }
    // settings.validate answers any draft with its issues, so its request does not judge it.
    expect(methods['settings.validate'].request.safeParse({ settings: { replicas: 0 } }).success).toBe(true);
  });
});
