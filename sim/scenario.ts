// The scenario file selects how the simulated world behaves (docs/architecture.md §6): one time scale, the durations
// of each phase as a real laptop shows them (in seconds, before scaling), image sizes and pull speed, the
// replicas' latencies, and the faults to inject. `LLMD_SIM_SCENARIO` names the file; without it the fast
// scenario applies so tests and scripts never wait minutes by accident.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { Platform } from '../shared/registry.js';
import { simRoot } from './root.js';

const Seconds = z.number().nonnegative();
const Times = z.number().int().positive().optional();

/** A tool exits non-zero when its arguments contain `match` (e.g. `{tool: helmfile, match: "sync"}`). */
const ToolFailure = z.object({
  kind: z.literal('toolFailure').default('toolFailure'),
  tool: z.enum(['minikube', 'podman', 'docker', 'helm', 'helmfile']),
  match: z.string().default(''),
  exitCode: z.number().int().min(1).max(255).default(1),
  stderr: z.string().optional(),
  times: Times,
});
const OomKilled = z.object({
  kind: z.literal('oomKilled'),
  /** 1-based index of the decode replica (pods ordered by creation). */
  replica: z.number().int().positive().default(1),
  /** Seconds (before scaling) after the vLLM container becomes ready (or starts, while loading). */
  afterSeconds: Seconds.default(5),
  /**
   * serving: killed after it became Ready (memory grows with the requests); loading: killed while vLLM loads
   * the model and allocates its KV cache, before it is ever Ready — the usual way on a too-small node.
   */
  during: z.enum(['serving', 'loading']).default('serving'),
  times: Times,
});
/**
 * The node's pull of an image (substring of its reference) fails, worded as containerd words that reason
 * (sim/registry/pull.ts faultFailure); unlike `registry.images`, the preflight check's registry still
 * serves it, as when a pull secret, a rate limit or the node's own network is what differs.
 */
const ImagePullBackOff = z.object({
  kind: z.literal('imagePullBackOff'), image: z.string().min(1), times: Times,
  reason: z.enum(['not-found', 'denied', 'rate-limited', 'network', 'wrong-arch']).default('not-found'),
});
const SlowStartup = z.object({ kind: z.literal('slowStartup'), factor: z.number().positive(), container: z.string().default('vllm') });
const PortForwardDrop = z.object({ kind: z.literal('portForwardDrop'), afterSeconds: Seconds, times: Times });
const PodmanRootless = z.object({ kind: z.literal('podmanRootless') });
const PodmanTooSmall = z.object({
  kind: z.literal('podmanTooSmall'),
  cpus: z.number().int().positive().default(4),
  memoryMiB: z.number().int().positive().default(8192),
  diskGiB: z.number().int().positive().default(100),
});
/** The existing default machine hangs in "starting" (podman on macOS/applehv); a stop, then a start, clears it. */
const PodmanStuckStarting = z.object({ kind: z.literal('podmanStuckStarting') });
/**
 * A tool on PATH that is older than the one the sim normally reports (a person's old Homebrew helm, an
 * old Docker Engine): its version commands print `version` instead.
 */
const OldTool = z.object({
  kind: z.literal('oldTool'),
  tool: z.enum(['minikube', 'helm', 'podman']),
  version: z.string().regex(/^\d+\.\d+\.\d+$/),
});
const MinikubeInsufficientMemory = z.object({
  kind: z.literal('minikubeInsufficientMemory'),
  /** Memory (MiB) the host/driver has; a `--memory` above it is refused the way minikube does. */
  systemMiB: z.number().int().positive().default(16384),
  reason: z.enum(['RSRC_OVER_ALLOC_MEM', 'RSRC_INSUFFICIENT_SYS_MEMORY']).default('RSRC_OVER_ALLOC_MEM'),
  times: Times,
});
const RouteLegacyGroup = z.object({ kind: z.literal('routeLegacyGroup'), times: Times });
/** A replica fails in the middle of a streamed reply: an SSE error frame, then [DONE]. */
const StreamError = z.object({ kind: z.literal('streamError'), afterTokens: z.number().int().nonnegative().default(3), times: Times });

// --- container crash faults (issue #13 doctor gaps) ---
/**
 * A container that exits soon after every start with its program's own last words, the way a real one does
 * on a state it cannot get past (Prometheus unable to open its TSDB: "opening storage failed: …"): the
 * kubelet logs `log` (NOW_TOKEN → the crash time), terminates it with `exitCode` (reason Error) and restarts
 * it with back-off, so it crash-loops. `container` is the container's name; `pod`, a substring of the pod's.
 */
const ContainerCrash = z.object({
  kind: z.literal('containerCrash'),
  container: z.string().min(1),
  pod: z.string().default(''),
  exitCode: z.number().int().min(1).max(255).default(1),
  afterSeconds: Seconds.default(1),
  log: z.array(z.string()).default([]),
  /**
   * The cause lives in the pod (Prometheus's stale TSDB lock in its emptyDir, which outlives container
   * restarts): only the first pod the fault hits crashes; a replacement pod starts clean.
   */
  onePod: z.boolean().default(false),
  times: Times,
});
// --- end container crash faults ---

export const Fault = z.preprocess(
  (v) => (v && typeof v === 'object' && !('kind' in v) && 'tool' in v ? { ...v, kind: 'toolFailure' } : v),
  z.discriminatedUnion('kind', [
    ToolFailure, OomKilled, ImagePullBackOff, SlowStartup, PortForwardDrop, PodmanRootless, PodmanTooSmall,
    MinikubeInsufficientMemory, RouteLegacyGroup, StreamError, PodmanStuckStarting, OldTool,
    ContainerCrash,
  ]),
);
export type Fault = z.infer<typeof Fault>;

export const Scenario = z.object({
  name: z.string().default('unnamed'),
  description: z.string().optional(),
  /** Multiplies every duration and latency: 1 = a real laptop, 0.01 = a whole install in seconds. */
  timeScale: z.number().positive().max(10),
  durations: z.object({
    minikubeStart: Seconds.default(90),
    minikubeStop: Seconds.default(10),
    minikubeDelete: Seconds.default(8),
    podmanMachineInit: Seconds.default(60),
    podmanMachineStart: Seconds.default(30),
    podmanMachineStop: Seconds.default(5),
    helmRepo: Seconds.default(2),
    /** Time helm itself spends per release (rendering + applying), keyed by chart name. */
    helmInstall: z.record(z.string(), Seconds).default({}),
    helmInstallDefault: Seconds.default(5),
    helmUninstall: Seconds.default(3),
    /** Pod scheduling delay. */
    schedule: Seconds.default(1),
    /** How often an unschedulable pod is tried again (node.accountResources). */
    scheduleRetry: Seconds.default(5),
    /** Container startup until ready, keyed by container name (vllm, routing-proxy, epp, …). */
    containerStartup: z.record(z.string(), Seconds).default({}),
    containerStartupDefault: Seconds.default(5),
    /** Back-off before a crashed container restarts (CrashLoopBackOff) or an image pull is retried. */
    backOff: Seconds.default(10),
  }).prefault({}),
  images: z.object({
    /** Pull speed in MB/s. */
    pullMBps: z.number().positive().default(13),
    /** Image sizes in MB, matched by substring of the image reference (first match wins). */
    sizes: z.array(z.object({ match: z.string(), sizeMB: z.number().positive() })).default([]),
    defaultSizeMB: z.number().positive().default(400),
    /** Images already in the node when the cluster is created. */
    preloaded: z.array(z.string()).default([]),
    /** `minikube image save` / `image load` speed in MB/s: a copy between the host's disk and the node's. */
    diskMBps: z.number().positive().default(200),
  }).prefault({}),
  /**
   * Model weights vLLM downloads from the Hugging Face Hub into its cache (HF_HOME) when they are not there
   * yet (sim/cluster/models.ts). Sizes in MB matched by substring of the model id (first match wins).
   */
  models: z.object({
    downloadMBps: z.number().positive().default(25),
    sizes: z.array(z.object({ match: z.string(), sizeMB: z.number().positive() })).default([]),
    defaultSizeMB: z.number().positive().default(1000),
  }).prefault({}),
  replica: z.object({
    mode: z.enum(['echo', 'random']).default('random'),
    /** Milliseconds, before scaling. */
    timeToFirstTokenMs: z.number().nonnegative().default(400),
    interTokenLatencyMs: z.number().nonnegative().default(60),
    maxTokensDefault: z.number().int().positive().default(64),
  }).prefault({}),
  gateway: z.object({
    /** Characters of the prompt hashed for prefix affinity. */
    prefixChars: z.number().int().positive().default(64),
    /**
     * What Istio's gateway Envoy does with the client's `x-request-id` (sim/replicas/gateway.ts): `rewrite`
     * (the real default for a request through a port-forward) replaces it with a fresh UUID; `keep` models
     * a gateway configured to preserve or trust it.
     */
    requestId: z.enum(['rewrite', 'keep']).default('rewrite'),
  }).prefault({}),
  /** The node's CPU (minikube's node shares the host's): what vLLM's CPU backend finds there. */
  node: z.object({
    /** bf16 arithmetic (AVX512-BF16/AMX on x86, FEAT_BF16 on Arm): without it a bfloat16 model server crashes. */
    bf16: z.boolean().default(true),
    /**
     * The scheduler counts requests against the node's allocatable (sim/cluster/scheduler.ts), so a stack
     * that asks for more than the profile has stays Pending (FailedScheduling) as on a real minikube. On,
     * as the real world is; a scenario turns it off only to study something else on a node it would not fit.
     */
    accountResources: z.boolean().default(true),
  }).prefault({}),
  /**
   * What a simulated vLLM holds in memory once loaded (sim/cluster/memory.ts): weights + runtime + its KV
   * cache; more than its container's limit is an OOMKilled while loading, on every start. The defaults are
   * the CPU guide's breakdown (runtime: loading overhead ~800 MB + vLLM/PyTorch ~2 GB = 2048 MiB here, the
   * low end, so every release × model the app ships fits its own limit); a scenario raises them to model a
   * build or CPU that needs more.
   */
  vllmMemory: z.object({
    runtimeMiB: z.number().nonnegative().default(2048),
    /** Weights in bfloat16, MiB, matched by substring of the served model (first match wins). */
    weights: z.array(z.object({ match: z.string().min(1), mib: z.number().nonnegative() })).default([
      { match: 'SmolLM2-360M', mib: 720 },
      { match: 'Qwen2-0.5B', mib: 950 },
      { match: 'TinyLlama-1.1B', mib: 2100 },
    ]),
    defaultWeightsMiB: z.number().nonnegative().default(1024),
  }).prefault({}),
  /** What the loopback registry and the node's pulls answer per image; entries win over sim/registry/catalog.ts. */
  registry: z.object({
    images: z.array(z.object({
      /** Substring of the normalised reference (`docker.io/library/nginx:latest`). */
      match: z.string().min(1),
      /** arch-missing: the image lacks the node's architecture (has `platforms` minus it, else only the other one). */
      status: z.enum(['available', 'not-found', 'denied', 'arch-missing', 'rate-limited']),
      platforms: z.array(Platform).optional(),
    })).default([]),
  }).prefault({}),
  faults: z.array(Fault).default([]),
  /**
   * A chatty tool: when its arguments contain `match`, it prints `lines` numbered debug lines before its
   * work (helmfile today, as `helmfile --debug sync` does). The first line carries the wall-clock time it
   * was printed, so a benchmark can time the lines to the screen.
   */
  toolOutput: z.array(z.object({ tool: z.enum(['helmfile']), match: z.string().default(''), lines: z.number().int().positive().max(10_000_000) })).default([]),
});
export type Scenario = z.infer<typeof Scenario>;

export const SCENARIO_DIR = join(simRoot(), 'scenarios');
export const FAST_SCENARIO = join(SCENARIO_DIR, 'fast.yaml');

export function parseScenario(text: string, source = 'scenario'): Scenario {
  const parsed = Scenario.safeParse(parse(text));
  if (!parsed.success) throw new Error(`${source}: invalid scenario: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

export function loadScenario(env: NodeJS.ProcessEnv = process.env): Scenario {
  const file = env.LLMD_SIM_SCENARIO || FAST_SCENARIO;
  return parseScenario(readFileSync(file, 'utf8'), file);
}

/** Scaled milliseconds for a duration given in scenario seconds. */
export const scaledMs = (scenario: Scenario, seconds: number): number => Math.round(seconds * 1000 * scenario.timeScale);

/**
 * Startup time of a container, by its name, else by what it runs (`kind`: `vllm` for any vLLM container,
 * e.g. llm-d's kustomize recipes name theirs `modelserver`), else the default; a slowStartup fault naming
 * either applies.
 */
export function containerStartupSeconds(scenario: Scenario, container: string, kind?: string): number {
  const byName = scenario.durations.containerStartup[container];
  const base = byName ?? (kind ? scenario.durations.containerStartup[kind] : undefined) ?? scenario.durations.containerStartupDefault;
  const slow = scenario.faults.find((f) => f.kind === 'slowStartup' && (f.container === container || (kind !== undefined && byName === undefined && f.container === kind)));
  return slow && slow.kind === 'slowStartup' ? base * slow.factor : base;
}

export function imageSizeMB(scenario: Scenario, image: string): number {
  return scenario.images.sizes.find((s) => image.includes(s.match))?.sizeMB ?? scenario.images.defaultSizeMB;
}

export function modelSizeMB(scenario: Scenario, model: string): number {
  return scenario.models.sizes.find((s) => model.includes(s.match))?.sizeMB ?? scenario.models.defaultSizeMB;
}

export function helmInstallSeconds(scenario: Scenario, chart: string): number {
  return scenario.durations.helmInstall[chart] ?? scenario.durations.helmInstallDefault;
}
