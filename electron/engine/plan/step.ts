// The shape every step has (docs/architecture.md §4): one file per step under steps/, listed in build-plan.ts.
// A step knows how to tell whether its work is already done (detect), how to do it (run), how to take
// it back (undo, for teardown) and what it would do (describe, for the Plan page and `cli plan`).
import type { HostReport } from '../../../shared/api/host.js';
import type { Settings } from '../../../shared/api/settings.js';
import type { Accelerator, Arch, ChosenDtype, ChosenImage, StackRelease } from '../../../shared/release.js';
import type { TeardownOptions } from '../../../shared/api/engine.js';
import type { AppPaths } from '../paths.js';
import type { RenderedFile } from '../stack/render.js';
import type { Redactor } from '../process/redact.js';
import type { RunOptions, RunResult } from '../process/runner.js';
import type { PrereqService } from '../prereqs/service.js';
import type { CacheUse } from '../steps/cache-use.js';

export type Detection =
  | { state: 'done'; detail?: string }
  | { state: 'todo'; reason?: string }
  | { state: 'blocked'; reason: string; hint?: string };

export interface StepDescription {
  /** Exact argv arrays the step may run (never shell strings). */
  commands: string[][];
  manifests?: { name: string; yaml: string }[];
  notes?: string[];
}

/** What a plan is built from: the settings and the few host facts that change its shape. */
export interface PlanContext {
  settings: Settings;
  platform: NodeJS.Platform | string;
  arch: string;
  /** `settings.driver` with `auto` resolved (podman when installed, else docker — the guide's rule). */
  driver: 'docker' | 'podman';
  /** A podman machine hosts minikube: macOS with podman, or Linux when chosen in settings. */
  usesPodmanMachine: boolean;
  /** The stack release the settings chose (resources/releases/<id>), loaded once per plan. */
  release: StackRelease;
  /** The node's architecture as images name it (minikube's node is the host's arch). */
  nodeArch: Arch;
  /** nvidia when the settings turn the GPU on. */
  accelerator: Accelerator;
  /** The images the stack runs on this node, overrides applied (shared/release.ts chooseImages). */
  images: ChosenImage[];
  /** The CPU model server's --dtype and why (shared/release.ts dtypeFor); undefined: the release's args decide. */
  dtype?: ChosenDtype;
  /**
   * The environment the plan is made for (the tool env: LLMD_RESOURCES_DIR, wait overrides). It is part of
   * the plan so describe() stays a pure function of it — describing never reads process.env.
   */
  env: NodeJS.ProcessEnv;
  /** Where the app keeps images and model weights across clusters (AppPaths imageCacheDir / modelCacheDir): describe() names them without reading the environment. */
  cacheDirs: { images: string; models: string };
  /** What those caches hold on disk when the plan was made (absent in a plan made without an engine). */
  cacheUse?: CacheUse;
  /**
   * This install deletes the minikube profile first when its size differs from the settings' and creates it
   * at theirs (a doctor fix that recreates the cluster: shared/api/doctor.ts recreatesCluster). minikube
   * cannot resize a cluster, so this is the only way a size change reaches an existing one.
   */
  recreateCluster?: boolean;
  /**
   * The stack's files rendered without the HF token, rendered on first use and kept for the plan's life:
   * describing a plan renders the stack once, not once per step that shows a file of it.
   */
  renderedStack(): RenderedFile[];
}

/** Engine services steps may use; injected so tests can stand in what they need. */
export interface StepServices {
  host(): Promise<HostReport>;
  prereqs: PrereqService;
  /** The stored Hugging Face token, when one is set (the stack step puts it into a Secret). */
  hfToken?(): Promise<string | undefined>;
}

export type StepRunOptions = Omit<RunOptions, 'env' | 'signal' | 'redactor' | 'onLine'> & {
  quiet?: boolean;
  /** The step reads each (redacted) output line itself instead of the step log getting it (steps/tool-lines.ts). */
  onLine?: RunOptions['onLine'];
};

export interface StepContext extends PlanContext {
  runId: string;
  stepId: string;
  paths: AppPaths;
  /** Environment tools run with (PATH with the app bin dir first, Homebrew on macOS). */
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  redactor: Redactor;
  /** Runs a tool through the process runner bound to this step's log, env and signal. */
  run(file: string, args: string[], opts?: StepRunOptions): Promise<RunResult>;
  log(line: string): void;
  /** fraction 0..1 of this step. */
  progress(fraction: number, message?: string): void;
  services: StepServices;
}

/**
 * What a step spends its time on. `cpu` (the default): work on this machine — minikube, helm rendering
 * and applying, kubectl — which the executor's concurrency bound shares out. `network`: waiting on
 * downloads (image pulls) that cost this machine next to nothing, so the step takes no slot and never
 * makes a step on the critical path wait behind it.
 */
export type StepLoad = 'cpu' | 'network';

export interface Step {
  id: string;
  title: string;
  needs: string[];
  /** Default `cpu`; see StepLoad. */
  load?: StepLoad;
  /** Whether the step belongs in the plan for these settings/host (default: always). */
  include?(plan: PlanContext): boolean;
  describe(plan: PlanContext): StepDescription;
  detect(ctx: StepContext): Promise<Detection>;
  run(ctx: StepContext): Promise<void>;
  undo?(ctx: StepContext, opts: TeardownOptions): Promise<void>;
}

/** Throws CANCELLED when the step's signal has fired (for steps between tool calls). */
export function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) {
    const reason: unknown = signal.reason;
    if (reason instanceof Error) throw reason;
    throw new Error('Cancelled');
  }
}
