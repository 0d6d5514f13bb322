// Settings (docs/architecture.md §4, issue 4): the guide's defaults, one zod schema shared by the engine, the CLI and
// the Configure page so all three validate the same way. Host-dependent checks (sizes within what the
// host can give, GPU only on Linux with an NVIDIA GPU) are the fit's: shared/fit.ts settingsFit.
import { z } from 'zod';
import { MirrorBase } from '../mirror.js';
import { DTYPE_CHOICES, ImageOverrides } from '../release.js';
import { DEFAULT_RELEASE_ID, NAMESPACE_DEFAULT, PROFILE_DEFAULT } from '../stack.js';

/**
 * The models the CPU guide was run with (llm-d-facts.md §1, the three commits of the ms values file).
 * Resources are per replica; the templates and the fit verdict read them from here. What the model server
 * is started with (args, env, probe budget) depends on the image and lives in each stack release.
 */
export interface ModelSpec {
  id: string;
  label: string;
  /** emptyDir sizeLimit for the model cache (modelArtifacts.size). */
  size: string;
  memoryLimitGi: number;
  memoryRequestGi: number;
  cpuLimit: string;
  cpuRequest: string;
}

export const MODELS = [
  {
    id: 'HuggingFaceTB/SmolLM2-360M-Instruct', label: 'SmolLM2 360M Instruct', size: '1Gi',
    memoryLimitGi: 6, memoryRequestGi: 2, cpuLimit: '4', cpuRequest: '500m',
  },
  {
    id: 'Qwen/Qwen2-0.5B-Instruct', label: 'Qwen2 0.5B Instruct', size: '2Gi',
    memoryLimitGi: 10, memoryRequestGi: 1, cpuLimit: '4', cpuRequest: '500m',
  },
  {
    id: 'TinyLlama/TinyLlama-1.1B-Chat-v1.0', label: 'TinyLlama 1.1B Chat', size: '4Gi',
    memoryLimitGi: 8, memoryRequestGi: 3, cpuLimit: '4', cpuRequest: '500m',
  },
] as const satisfies readonly ModelSpec[];

export type ModelId = (typeof MODELS)[number]['id'];
export const MODEL_IDS = MODELS.map((m) => m.id) as [ModelId, ...ModelId[]];
export const DEFAULT_MODEL: ModelId = 'HuggingFaceTB/SmolLM2-360M-Instruct';
export const modelSpec = (id: string): ModelSpec | undefined => MODELS.find((m) => m.id === id);

/** What one model-server replica asks for and may use with these settings: the model's, the limit overridable. */
export interface ReplicaResources { memoryLimitGi: number; memoryRequestGi: number; cpuLimit: string; cpuRequest: string }

/**
 * The per-replica resources the stack renders and the fit counts (one home for both). A raised limit keeps
 * the model's request: the request is what the scheduler reserves (guide: "Minimal request for
 * scheduling"), and raising it would make a replica that fits today unschedulable; a limit below the
 * request lowers the request with it (Kubernetes refuses request > limit).
 */
export function replicaResources(settings: Pick<Settings, 'model'> & Partial<Pick<Settings, 'memoryLimitGi'>>): ReplicaResources | undefined {
  const m = modelSpec(settings.model);
  if (!m) return undefined;
  const memoryLimitGi = settings.memoryLimitGi ?? m.memoryLimitGi;
  return { memoryLimitGi, memoryRequestGi: Math.min(m.memoryRequestGi, memoryLimitGi), cpuLimit: m.cpuLimit, cpuRequest: m.cpuRequest };
}

/** Kubernetes DNS-1123 label: what a namespace and a minikube profile name must be. */
export const Dns1123Label = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(63, 'must be at most 63 characters')
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be lower-case letters, digits and "-", starting and ending with a letter or digit (DNS-1123)');

export const Driver = z.enum(['auto', 'docker', 'podman']);
export type Driver = z.infer<typeof Driver>;

export const SETTINGS_DEFAULTS = {
  profile: PROFILE_DEFAULT,
  namespace: NAMESPACE_DEFAULT,
  driver: 'auto',
  memoryMiB: 24576,
  cpus: 8,
  diskGB: 100,
  model: DEFAULT_MODEL,
  replicas: 2,
  monitoring: true,
  gpu: false,
  podmanMachine: false,
  release: DEFAULT_RELEASE_ID,
  imageCache: true,
  modelCache: true,
} as const;

export const Settings = z.object({
  profile: Dns1123Label.default(SETTINGS_DEFAULTS.profile),
  namespace: Dns1123Label.default(SETTINGS_DEFAULTS.namespace),
  /** auto = podman when it is installed, else docker (the guide's deploy.sh rule). */
  driver: Driver.default(SETTINGS_DEFAULTS.driver),
  /** minikube --memory, MiB. */
  memoryMiB: z.number().int('must be a whole number of MiB').min(4096, 'must be at least 4096 MiB').max(1048576, 'must be at most 1 TiB').default(SETTINGS_DEFAULTS.memoryMiB),
  /** minikube --cpus. */
  cpus: z.number().int('must be a whole number').min(2, 'must be at least 2 (minikube needs 2)').max(256).default(SETTINGS_DEFAULTS.cpus),
  /** minikube --disk-size, GB ("100g"). */
  diskGB: z.number().int('must be a whole number of GB').min(20, 'must be at least 20 GB').max(10000).default(SETTINGS_DEFAULTS.diskGB),
  model: z.enum(MODEL_IDS, { message: `must be one of ${MODEL_IDS.join(', ')}` }).default(SETTINGS_DEFAULTS.model),
  replicas: z.number().int('must be a whole number').min(1, 'must be at least 1').max(8, 'must be at most 8').default(SETTINGS_DEFAULTS.replicas),
  monitoring: z.boolean().default(SETTINGS_DEFAULTS.monitoring),
  gpu: z.boolean().default(SETTINGS_DEFAULTS.gpu),
  /** Use a podman machine on Linux too (macOS always needs one with the podman driver). */
  podmanMachine: z.boolean().default(SETTINGS_DEFAULTS.podmanMachine),
  /** Base URL every download goes through (https://, http:// or file://); unset = official locations. */
  mirror: MirrorBase.optional(),
  /** The stack release to deploy (a folder under resources/releases; the engine checks it exists). */
  release: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, 'must be a release id like llm-d-0.4-cpu-guide').default(SETTINGS_DEFAULTS.release),
  /** Images that replace the release's defaults for this node, by role (Configure → Advanced). */
  images: ImageOverrides.default({}),
  /**
   * Keep the stack's images on the host (`minikube image save` into the app data dir) and load them into a
   * new cluster (`minikube image load`) instead of pulling them again after the cluster is deleted.
   */
  imageCache: z.boolean().default(SETTINGS_DEFAULTS.imageCache),
  /**
   * One model weights cache on the host, mounted into every replica (shared/stack.ts MODEL_CACHE): the
   * weights are downloaded once, not once per replica and pod start, and survive deleting the cluster.
   * Takes effect when the cluster is created (minikube mounts host folders only then).
   */
  modelCache: z.boolean().default(SETTINGS_DEFAULTS.modelCache),
  /** The model server's --dtype on CPU (releases that follow the CPU): auto = bfloat16 only where the CPU has bf16. */
  dtype: z.enum(DTYPE_CHOICES, { message: `must be one of ${DTYPE_CHOICES.join(', ')}` }).default('auto'),
  /**
   * The model server's memory limit per replica, GiB, in place of the model's (MODELS memoryLimitGi): the
   * guide's OOMKilled solution 1 ("Increase Container Memory Limits", 6Gi → 8Gi). Unset: the model's.
   */
  memoryLimitGi: z.number().int('must be a whole number of GiB').min(1, 'must be at least 1 GiB').max(1024, 'must be at most 1024 GiB').optional(),
  /**
   * vLLM's CPU KV cache, GiB (VLLM_CPU_KVCACHE_SPACE), in place of the release's per-model value: the
   * guide's OOMKilled solution 3 ("Reduce KV Cache"). Unset: the release's. CPU only (the CUDA image sizes its own).
   */
  kvCacheGiB: z.number().int('must be a whole number of GiB').min(1, 'must be at least 1 GiB').max(256, 'must be at most 256 GiB').optional(),
  /**
   * How long the install waits for the model servers to be Ready, minutes, in place of the model's startup
   * probe budget (+ 5 min): the doctor's "keep waiting" when vLLM is still compiling for a slow CPU. Unset: the budget.
   */
  decodeWaitMinutes: z.number().int('must be a whole number of minutes').min(1, 'must be at least 1 minute').max(600, 'must be at most 600 minutes (10 hours)').optional(),
}).strict();
export type Settings = z.output<typeof Settings>;
export type SettingsInput = z.input<typeof Settings>;

export const defaultSettings = (): Settings => Settings.parse({});

/** The podman machine that hosts minikube needs a margin above minikube's own sizes (guide: 8→10 CPUs, 24→28 GiB, 100→120 GB). */
export const PODMAN_MACHINE_MARGIN = { cpus: 2, memoryMiB: 4096, diskGB: 20 } as const;
export const podmanMachineSize = (s: Pick<Settings, 'cpus' | 'memoryMiB' | 'diskGB'>) => ({
  cpus: s.cpus + PODMAN_MACHINE_MARGIN.cpus,
  memoryMiB: s.memoryMiB + PODMAN_MACHINE_MARGIN.memoryMiB,
  diskGB: s.diskGB + PODMAN_MACHINE_MARGIN.diskGB,
});

/** What the host can give (the settings.validate request); shared/fit.ts factsFromLimits judges it. */
export const HostLimits = z.object({
  os: z.string(),
  cpus: z.number().nonnegative(),
  memoryBytes: z.number().nonnegative(),
  diskFreeBytes: z.number().nonnegative(),
  nvidiaGpu: z.boolean(),
});
export type HostLimits = z.infer<typeof HostLimits>;

export const SettingsIssue = z.object({ path: z.string(), message: z.string() });
export type SettingsIssue = z.infer<typeof SettingsIssue>;

/** zod issues → the same {path, message} shape, one per problem. */
export const schemaIssues = (error: z.ZodError): SettingsIssue[] =>
  error.issues.map((i) => ({ path: i.path.length ? i.path.join('.') : '(settings)', message: i.message }));

/** A settings field's schema without its default (an override that leaves a field out must not set it). */
type WithoutDefault<T> = T extends z.ZodDefault<infer Inner> ? Inner : T;
type OverrideShape = { [K in keyof typeof Settings.shape]: z.ZodOptional<WithoutDefault<(typeof Settings.shape)[K]>> };

/**
 * Field values that replace the saved settings for one call (CLI flags, Configure's draft): each field typed
 * and checked as Settings checks it, none required, unknown fields refused; the engine then validates them
 * together with the saved ones (absent fields keep their saved values). Built from Settings' own fields with
 * their defaults taken off — `Settings.partial()` would fill every absent field with its default and so
 * replace the saved settings wholesale.
 */
export const SettingsOverrides = z.object(Object.fromEntries(Object.entries(Settings.shape).map(
  ([key, field]) => [key, (field instanceof z.ZodDefault ? field.unwrap() : field).optional()],
)) as OverrideShape).strict();
export type SettingsOverrides = z.infer<typeof SettingsOverrides>;

/** The one wording of settings problems in a message: "replicas: must be at least 1; cpus: …". */
export const formatIssues = (issues: readonly SettingsIssue[]): string => issues.map((i) => `${i.path}: ${i.message}`).join('; ');

export const SecretBackend = z.object({
  backend: z.string(),
  persistent: z.boolean(),
  warning: z.string().optional(),
});

export const SettingsView = z.object({
  settings: Settings,
  /** The HF token never leaves the engine; the UI only learns whether one is stored. */
  hfTokenSet: z.boolean(),
  secrets: SecretBackend,
  /** Set when settings.json existed but could not be read; defaults are shown instead. */
  warning: z.string().optional(),
});
export type SettingsView = z.infer<typeof SettingsView>;

export const settingsMethods = {
  'settings.get': { request: z.object({}).strict(), response: SettingsView },
  'settings.validate': {
    // Any draft, however wrong: answering with its issues (not a BAD_REQUEST) is what this method is for.
    request: z.object({ settings: z.unknown(), host: HostLimits.optional() }).strict(),
    // `warnings`: what a rehearsal only warns about (a host too small for the simulated cluster; shared/fit.ts).
    response: z.object({ valid: z.boolean(), issues: z.array(SettingsIssue), warnings: z.array(SettingsIssue).optional(), settings: Settings.optional() }),
  },
  'settings.save': {
    request: z.object({
      settings: Settings,
      /** A new HF token; null deletes the stored one; absent leaves it unchanged. */
      hfToken: z.string().min(1).max(500).nullable().optional(),
    }).strict(),
    response: SettingsView,
  },
} as const;
