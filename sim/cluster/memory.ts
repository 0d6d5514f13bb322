// The simulated vLLM's resident memory while it loads, and whether its container's memory limit holds it
// (the kernel's cgroup OOM killer: the container is OOMKilled, exit 137, every time it starts, until the
// limit is raised or vLLM is asked for less). The sizes follow the CPU guide's "Memory Breakdown (per pod)":
// model weights in bfloat16 (params × 2 bytes: SmolLM2-360M ≈ 720 MB), "Model loading overhead: ~800MB",
// "vLLM runtime + PyTorch: ~2-2.5GB", plus the KV cache vLLM's CPU backend allocates up front
// (VLLM_CPU_KVCACHE_SPACE GiB, else --kv-cache-memory-bytes, else 4 GiB — vllm/platforms/cpu.py).
// The scenario's `vllmMemory` sets the runtime and weights, so a scenario can model a build that needs more.
import type { Scenario } from '../scenario.js';
import { memoryBytes } from './scheduler.js';
import type { Container } from './servers.js';
import { vllmModel, vllmOption } from './vllm-cli.js';

const MiB = 2 ** 20;

export interface VllmMemory {
  /** What vLLM holds once loaded, MiB. */
  needMiB: number;
  /** The container's memory limit, MiB; undefined when it has none (only the node bounds it). */
  limitMiB: number | undefined;
  /** The parts, for the log line the sim prints. */
  weightsMiB: number;
  kvCacheMiB: number;
}

/** The KV cache the CPU backend allocates: VLLM_CPU_KVCACHE_SPACE (GiB) wins, then --kv-cache-memory-bytes, else 4 GiB. */
export function kvCacheMiB(c: Pick<Container, 'env' | 'args' | 'command'>): number {
  const space = c.env?.find((e) => e.name === 'VLLM_CPU_KVCACHE_SPACE')?.value;
  if (space !== undefined && Number(space) > 0) return Number(space) * 1024;
  const bytes = vllmOption(c, '--kv-cache-memory-bytes');
  if (bytes !== undefined && Number(bytes) > 0) return Number(bytes) / MiB;
  return 4 * 1024;
}

export function vllmMemory(c: Container, scenario: Scenario): VllmMemory {
  const m = scenario.vllmMemory;
  const model = vllmModel(c) ?? '';
  const weightsMiB = m.weights.find((w) => model.includes(w.match))?.mib ?? m.defaultWeightsMiB;
  // On a GPU the KV cache (and the weights) live in the GPU's memory, not the container's.
  const gpu = c.resources?.limits?.['nvidia.com/gpu'] !== undefined;
  const kv = gpu ? 0 : kvCacheMiB(c);
  const limit = c.resources?.limits?.memory;
  return {
    needMiB: (gpu ? 0 : weightsMiB) + m.runtimeMiB + kv,
    limitMiB: limit === undefined ? undefined : memoryBytes(limit) / MiB,
    weightsMiB,
    kvCacheMiB: kv,
  };
}

/** True when the container's limit cannot hold what vLLM allocates while loading. */
export const overLimit = (mem: VllmMemory): boolean => mem.limitMiB !== undefined && mem.needMiB > mem.limitMiB;
