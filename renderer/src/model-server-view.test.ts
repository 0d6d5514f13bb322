import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../shared/api/settings.js';
import type { ReleaseSummary } from '../../shared/release.js';
import { formReplicaResources, modelHint, modelServerDefaults, overridePhrases, overrideValue, replicasHint } from './model-server-view.js';
import { formFromSettings } from './stores/settings.js';

const SMOL = 'HuggingFaceTB/SmolLM2-360M-Instruct';
const release: ReleaseSummary = {
  id: 'r', title: 'r', date: '2026-08', summary: '', upstreamVersion: 'v0', contextLength: {}, helmReleases: { stack: [], monitoring: 'llmd' }, images: [], requests: { cpuMilli: 0, memoryMiB: 0, pods: [] },
  kvCacheGiB: { [SMOL]: 2 }, decodeWaitMinutes: { [SMOL]: 66 },
};
const form = (over: Partial<Record<'memoryLimitGi' | 'kvCacheGiB' | 'decodeWaitMinutes', string>> = {}) => ({ ...formFromSettings(defaultSettings()), ...over });

describe('Configure → Model → Advanced, as the page and the Plan count it', () => {
  it('names each empty box’s default: the model’s limit, the release’s KV cache and wait for that model', () => {
    expect(modelServerDefaults(SMOL, release)).toEqual({ memoryLimitGi: 6, kvCacheGiB: 2, decodeWaitMinutes: 66 });
    // Releases not loaded yet, or the GPU's (no CPU KV cache): only what is known.
    expect(modelServerDefaults(SMOL, undefined)).toEqual({ memoryLimitGi: 6 });
  });

  it('takes a box’s value only once the Settings schema accepts it', () => {
    expect(overrideValue(form({ memoryLimitGi: '10' }), 'memoryLimitGi')).toBe(10);
    expect(overrideValue(form({ memoryLimitGi: '' }), 'memoryLimitGi')).toBeUndefined();
    expect(overrideValue(form({ memoryLimitGi: '1025' }), 'memoryLimitGi')).toBeUndefined();
    expect(overrideValue(form({ decodeWaitMinutes: '600' }), 'decodeWaitMinutes')).toBe(600);
    expect(overrideValue(form({ decodeWaitMinutes: '601' }), 'decodeWaitMinutes')).toBeUndefined();
    expect(overrideValue(form({ kvCacheGiB: '1.5' }), 'kvCacheGiB')).toBeUndefined();
  });

  it('counts the Model and Replicas hints with the override, the request lowered under a small limit', () => {
    expect(formReplicaResources(form())).toMatchObject({ memoryLimitGi: 6, memoryRequestGi: 2 });
    expect(formReplicaResources(form({ memoryLimitGi: '10' }))).toMatchObject({ memoryLimitGi: 10, memoryRequestGi: 2 });
    expect(formReplicaResources(form({ memoryLimitGi: '1' }))).toMatchObject({ memoryLimitGi: 1, memoryRequestGi: 1 });
    // Half-typed: the model's until the value is one the engine would take.
    expect(formReplicaResources(form({ memoryLimitGi: '0' }))).toMatchObject({ memoryLimitGi: 6 });
  });

  it('names the overrides for the Plan with the defaults they replace, and nothing when none is set', () => {
    const s = defaultSettings();
    expect(overridePhrases(s, release)).toEqual([]);
    expect(overridePhrases({ ...s, memoryLimitGi: 10, kvCacheGiB: 1, decodeWaitMinutes: 90 }, release)).toEqual([
      'memory limit 10 GiB per replica (default 6 GiB)', 'KV cache 1 GiB (default 2 GiB)', 'waits up to 90 min for the model servers (default 66 min)',
    ]);
    expect(overridePhrases({ ...s, gpu: true, kvCacheGiB: 1 }, undefined)).toEqual(['KV cache 1 GiB (not used with the GPU)']);
  });
});

describe('the Model and Replicas hints on Configure', () => {
  it('count the override once it is valid, naming the model’s own limit', () => {
    expect(modelHint(form({ memoryLimitGi: '10' }), 8192)).toBe('10 GiB per replica (limit, yours under Advanced; the model’s is 6), 2 GiB requested · context 8192 tokens in this release');
    expect(replicasHint(form({ memoryLimitGi: '10' }))).toBe('2 × 10 GiB = 20 GiB of the cluster’s memory');
  });

  it('say the model’s limit when none is set or the box is half-typed', () => {
    expect(modelHint(form(), undefined)).toBe('6 GiB per replica (limit), 2 GiB requested');
    expect(modelHint(form({ memoryLimitGi: '0' }), undefined)).toBe('6 GiB per replica (limit), 2 GiB requested');
    expect(replicasHint(form())).toBe('2 × 6 GiB = 12 GiB of the cluster’s memory');
    expect(replicasHint({ ...form(), replicas: 'x' })).toBeUndefined();
  });
});
