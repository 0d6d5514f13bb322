import { describe, expect, it } from 'vitest';
import { Settings, SettingsOverrides, defaultSettings, podmanMachineSize, schemaIssues } from './settings.js';
import { methods } from '../contract.js';

describe('settings', () => {
  it('defaults to the guide\'s sizes and today\'s llm-d: llm-d-cpu, llm-d-cpu-inference, auto driver, 24576 MiB, 8 CPUs, 100 GB, SmolLM2, 2 replicas, monitoring on, GPU off, no mirror, the 0.9 release, no image overrides, dtype by the CPU, both download caches on', () => {
    expect(defaultSettings()).toEqual({
      profile: 'llm-d-cpu', namespace: 'llm-d-cpu-inference', driver: 'auto', memoryMiB: 24576, cpus: 8, diskGB: 100,
      model: 'HuggingFaceTB/SmolLM2-360M-Instruct', replicas: 2, monitoring: true, gpu: false, podmanMachine: false,
      release: 'llm-d-0.9-optimized-baseline', images: {}, dtype: 'auto', imageCache: true, modelCache: true,
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

describe('SettingsOverrides', () => {
  it('types every field as Settings does, requires none, adds no defaults and refuses unknown fields', () => {
    expect(SettingsOverrides.parse({})).toEqual({});
    expect(SettingsOverrides.parse({ replicas: 3, monitoring: false })).toEqual({ replicas: 3, monitoring: false });
    for (const bad of [{ replicas: 0 }, { cpus: '4' }, { namespace: 'Bad_Name' }, { replica: 2 }, { memoryLimitGi: 0 }]) {
      expect(SettingsOverrides.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    // Every Settings field can be overridden.
    expect(Object.keys(SettingsOverrides.shape).sort()).toEqual(Object.keys(Settings.shape).sort());
  });
});
