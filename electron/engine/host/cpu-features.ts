// The CPU features that decide how the model server runs: bf16 (vLLM's CPU backend computes in bfloat16
// only where the CPU has it — llm-d @ e3dbeca1 guides/optimized-baseline/modelserver/cpu/vllm/README.md:
// "Older CPUs without AMX/AVX512-BF16 … crash on the bf16 model unless run with --dtype=float32") and, on
// x86, AVX-512 (docs.vllm.ai CPU installation, v0.15–v0.32: "avx512f (Recommended), avx2 (Limited
// features)"; vllm-project/vllm#18660: the x86 release image hit SIGILL without AVX-512 through v0.10.1).
import type { CpuFeatures, HostFacts } from '../../../shared/api/host.js';
import type { CommandRunner } from './runtimes.js';
import type { SystemInfoSource } from './system-info.js';

/** x86 flags as Linux names them (lscpu / /proc/cpuinfo "flags"); macOS spells them AVX512BF16, AMX_BF16. */
const X86_BF16 = ['avx512_bf16', 'amx_bf16', 'avx512bf16'];

/** Lower-cased, separator-free tokens of a flags line ("AVX512F AVX512CD" / "fpu vme … avx512f"). */
export const flagTokens = (line: string): Set<string> => new Set(line.toLowerCase().split(/[\s,]+/).filter(Boolean));

/** Features from a flags line; `null` where the line says nothing (an empty line = could not read). */
export function featuresFromFlags(arch: HostFacts['arch'], line: string, from: string): CpuFeatures {
  const flags = flagTokens(line);
  if (flags.size === 0) return { bf16: null, avx512f: null, from };
  if (arch === 'x64') return { bf16: X86_BF16.some((f) => flags.has(f)), avx512f: flags.has('avx512f'), from };
  // arm64 Linux: /proc/cpuinfo "Features" and lscpu "Flags" name the ARMv8.6 BF16 extension `bf16`.
  if (arch === 'arm64') return { bf16: flags.has('bf16'), avx512f: null, from };
  return { bf16: null, avx512f: null, from };
}

const sysctl = async (run: CommandRunner, name: string): Promise<string | undefined> => {
  const r = await run('sysctl', ['-n', name]).catch(() => undefined);
  return r && !r.notFound && r.exitCode === 0 ? r.stdout.trim() : undefined;
};

/**
 * Reads the features for this OS. Linux: systeminformation's cpuFlags (lscpu, else /proc/cpuinfo). macOS:
 * systeminformation reads only `machdep.cpu.features`, which has neither AVX-512 (leaf 7) nor anything on
 * Apple Silicon, so sysctl is asked directly: `hw.optional.arm.FEAT_BF16` (1 on M2 and later) or
 * `machdep.cpu.leaf7_features` (Intel Macs). Never throws: an unreadable CPU is "unknown".
 */
export async function detectCpuFeatures(source: Pick<SystemInfoSource, 'cpuFlags'>, run: CommandRunner, os: HostFacts['os'], arch: HostFacts['arch']): Promise<CpuFeatures> {
  try {
    if (os === 'darwin' && arch === 'arm64') {
      const v = await sysctl(run, 'hw.optional.arm.FEAT_BF16');
      return { bf16: v === undefined ? null : v === '1', avx512f: null, from: 'sysctl hw.optional.arm.FEAT_BF16' };
    }
    if (os === 'darwin') {
      const v = await sysctl(run, 'machdep.cpu.leaf7_features');
      return featuresFromFlags(arch, v ?? '', 'sysctl machdep.cpu.leaf7_features');
    }
    return featuresFromFlags(arch, await source.cpuFlags(), 'lscpu / /proc/cpuinfo flags');
  } catch {
    return { bf16: null, avx512f: null, from: 'not readable' };
  }
}
