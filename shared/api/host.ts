// Host facts and the fit verdict (docs/architecture.md §4 step 1). The engine detects; the UI only displays.
import { z } from 'zod';
import { Settings } from './settings.js';

export const CpuArchLabel = z.enum(['Apple Silicon', 'Intel Mac', 'Linux x86_64', 'Linux arm64', 'Other']);

export const ToolPresence = z.object({
  installed: z.boolean(),
  version: z.string().optional(),
  /** docker daemon reachable / podman machine (macOS) or service (Linux) running. */
  running: z.boolean().optional(),
  path: z.string().optional(),
  /** macOS podman machines (`podman machine list`); absent elsewhere. */
  machines: z.array(z.object({
    name: z.string(),
    running: z.boolean(),
    cpus: z.number().int().nonnegative().optional(),
    memoryMiB: z.number().nonnegative().optional(),
    diskGB: z.number().nonnegative().optional(),
  })).optional(),
});
export type ToolPresence = z.infer<typeof ToolPresence>;

/**
 * CPU features the model server cares about (null: could not tell). The model runs in minikube's node,
 * which shares the host's CPU (docker/podman driver, or a podman machine VM that passes features through).
 */
export const CpuFeatures = z.object({
  /** bf16 arithmetic: AVX512-BF16 or AMX-BF16 on x86, FEAT_BF16 (ARMv8.6: Apple M2 and later) on arm64. */
  bf16: z.boolean().nullable(),
  /** AVX-512 Foundation (x86 only; null on arm64): vLLM's x86 CPU images are built for it. */
  avx512f: z.boolean().nullable(),
  /** Where the flags were read (lscpu, /proc/cpuinfo, sysctl …), for the System check's detail line. */
  from: z.string(),
}).strict();
export type CpuFeatures = z.infer<typeof CpuFeatures>;

export const HostFacts = z.object({
  os: z.enum(['darwin', 'linux', 'win32', 'other']),
  osName: z.string(),
  osVersion: z.string(),
  arch: z.enum(['arm64', 'x64', 'other']),
  archLabel: CpuArchLabel,
  cpuModel: z.string(),
  cpuCores: z.number().int().nonnegative(),
  /** Absent in facts recorded before CPU features were detected: treated as unknown. */
  cpuFeatures: CpuFeatures.optional(),
  memoryBytes: z.number().nonnegative(),
  /** Free bytes on the filesystem holding the app data dir. */
  diskFreeBytes: z.number().nonnegative(),
  diskPath: z.string(),
  gpu: z.object({ nvidia: z.boolean(), models: z.array(z.string()) }),
  docker: ToolPresence,
  podman: ToolPresence,
  /** Whether a minikube profile with the configured name already exists (undefined when minikube is absent). */
  existingProfile: z.boolean().optional(),
});
export type HostFacts = z.infer<typeof HostFacts>;

export const FitLevel = z.enum(['fits', 'tight', 'does-not-fit']);
export const FitCheck = z.object({
  resource: z.enum(['memory', 'cpu', 'disk', 'runtime', 'gpu', 'cpu-features']),
  level: FitLevel,
  need: z.string(),
  have: z.string(),
  advice: z.string().optional(),
});
export type FitLevel = z.infer<typeof FitLevel>;
export type FitCheck = z.infer<typeof FitCheck>;
/**
 * The sizes the advice proposes, as settings values (absent: keep what is set). The UI's "use the suggested
 * values" fills them into the form; they are the numbers the advice's sentences name.
 */
export const FitSuggestion = z.object({
  cpus: z.number().int().positive().optional(),
  memoryMiB: z.number().int().positive().optional(),
  replicas: z.number().int().positive().optional(),
  diskGB: z.number().int().positive().optional(),
}).strict();
export type FitSuggestion = z.infer<typeof FitSuggestion>;
export const FitVerdict = z.object({
  level: FitLevel,
  summary: z.string(),
  checks: z.array(FitCheck),
  advice: z.array(z.string()),
  suggested: FitSuggestion.optional(),
});
export type FitVerdict = z.infer<typeof FitVerdict>;

/**
 * What the chosen settings ask of the host. memoryMiB / cpus / diskGB are minikube's own
 * (--memory, --cpus, --disk-size); when a podman machine hosts minikube it adds its margin on top.
 */
export const FitNeeds = z.object({
  /** `driver: auto` resolved the way the plan resolves it (shared/fit.ts resolveSetup). */
  driver: z.enum(['docker', 'podman']),
  /** A podman machine (a VM) hosts minikube: macOS with podman, or Linux when the settings ask for one. */
  usesPodmanMachine: z.boolean(),
  memoryMiB: z.number().int().positive(),
  cpus: z.number().int().positive(),
  diskGB: z.number().positive(),
  replicas: z.number().int().positive(),
  perReplicaMemoryGiB: z.number().positive(),
});
export type FitNeeds = z.infer<typeof FitNeeds>;

export const HostReport = z.object({
  facts: HostFacts,
  fit: FitVerdict,
  needs: FitNeeds,
  /** ISO time of the detection these facts come from (cached for the session). */
  detectedAt: z.string(),
});
export type HostReport = z.infer<typeof HostReport>;

export const hostMethods = {
  'host.check': { request: z.object({ refresh: z.boolean().optional() }).strict(), response: HostReport },
  /**
   * The fit verdict for settings being edited (the Configure page's live verdict): the same assessment
   * as host.check, against what these settings ask instead of the defaults. Invalid settings → BAD_REQUEST.
   */
  'host.fit': {
    request: z.object({ settings: Settings }).strict(),
    response: z.object({ fit: FitVerdict, needs: FitNeeds }),
  },
} as const;

export const hostEvents = {} as const;
