// The simulated vLLM's memory while loading: weights + runtime + KV cache against the container's limit.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario.js';
import { kvCacheMiB, overLimit, vllmMemory } from './memory.js';

const sc = (extra = '') => parseScenario(`timeScale: 0.01\n${extra}`);
const smol = (over: { env?: Array<{ name: string; value: string }>; limit?: string; gpu?: boolean } = {}) => ({
  name: 'modelserver', image: 'docker.io/vllm/vllm-openai-cpu:v0.26.0', command: ['vllm', 'serve'], args: ['HuggingFaceTB/SmolLM2-360M-Instruct'],
  env: over.env ?? [{ name: 'VLLM_CPU_KVCACHE_SPACE', value: '1' }],
  resources: { limits: { memory: over.limit ?? '6Gi', ...(over.gpu ? { 'nvidia.com/gpu': 1 } : {}) } },
});

describe('vllmMemory', () => {
  it('fits the default stack in its 6Gi limit and OOMs when the runtime needs more, until the limit or the KV cache changes', () => {
    expect(vllmMemory(smol(), sc())).toEqual({ needMiB: 720 + 2048 + 1024, limitMiB: 6144, weightsMiB: 720, kvCacheMiB: 1024 });
    expect(overLimit(vllmMemory(smol(), sc()))).toBe(false);
    const hungry = sc('vllmMemory: { runtimeMiB: 4700 }');
    expect(overLimit(vllmMemory(smol(), hungry))).toBe(true);
    expect(overLimit(vllmMemory(smol({ limit: '8Gi' }), hungry))).toBe(false);
    expect(overLimit(vllmMemory(smol({ env: [{ name: 'VLLM_CPU_KVCACHE_SPACE', value: '2' }] }), sc('vllmMemory: { runtimeMiB: 3500 }')))).toBe(true);
    expect(overLimit(vllmMemory(smol(), sc('vllmMemory: { runtimeMiB: 3500 }')))).toBe(false);
  });
  it('reads the KV cache as vLLM’s CPU backend does and keeps a GPU’s out of the container', () => {
    expect(kvCacheMiB({ env: [] })).toBe(4096);
    expect(kvCacheMiB({ args: ['--kv-cache-memory-bytes', String(512 * 2 ** 20)] })).toBe(512);
    expect(kvCacheMiB({ env: [{ name: 'VLLM_CPU_KVCACHE_SPACE', value: '3' }], args: ['--kv-cache-memory-bytes', '1'] })).toBe(3072);
    expect(vllmMemory(smol({ env: [], gpu: true }), sc()).needMiB).toBe(2048);
    expect(overLimit({ needMiB: 1e9, limitMiB: undefined, weightsMiB: 0, kvCacheMiB: 0 })).toBe(false);
  });
});
