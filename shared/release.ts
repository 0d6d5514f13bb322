// A stack release is data (docs/architecture.md §4 "Stack releases"): one folder per release under
// resources/releases/<id>/ with a release.yaml this schema validates, plus the templates it names. The
// engine, the Plan and Configure pages and the CLI read the chosen release through this shape; nothing
// else in the project holds a per-release literal (chart versions, object names, labels, images, ports).
// Pure: no Node APIs, so the renderer can import the types and the helpers below.
import semver from 'semver';
import { z } from 'zod';
import { cpuMilli, memoryBytes, QUANTITY } from './kube/quantity.js';

export const Arch = z.enum(['amd64', 'arm64']);
export type Arch = z.infer<typeof Arch>;
export const Accelerator = z.enum(['cpu', 'nvidia']);
export type Accelerator = z.infer<typeof Accelerator>;

/** The images a release deploys, by the job they do. */
export const ImageRole = z.enum(['vllm', 'routingSidecar', 'epp', 'proxy']);
export type ImageRole = z.infer<typeof ImageRole>;
export const IMAGE_ROLE_LABELS: Record<ImageRole, string> = {
  vllm: 'Model server (vLLM)',
  routingSidecar: 'Routing sidecar',
  epp: 'Endpoint picker (EPP)',
  proxy: 'Proxy (Envoy, standalone)',
};

/**
 * An image reference as docker and the kubelet accept it: [registry[:port]/]path[:tag][@sha256:digest].
 * Lower-case path components (the distribution spec's grammar), a tag of at most 128 word characters.
 */
export const IMAGE_REF_PATTERN = /^(?:(?:[a-zA-Z0-9-]+\.)*[a-zA-Z0-9-]+(?::\d+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;
export const ImageRef = z.string().trim().min(1, 'must not be empty').max(512, 'must be at most 512 characters')
  .regex(IMAGE_REF_PATTERN, 'must be an image reference like registry.example.com/org/name:tag');

const Source = z.string().min(1);
const Version = z.string().min(1);
const Semverish = z.string().refine((v) => semver.valid(semver.coerce(v)) !== null, 'must be a version like 0.11.0');

export const ReleaseImage = z.object({
  role: ImageRole,
  arch: Arch,
  /** Absent: the same image serves every accelerator (the EPP, the sidecar). */
  accelerator: Accelerator.optional(),
  ref: ImageRef,
  /** The vLLM version inside a model-server image: decides which server args it accepts. */
  vllmVersion: Semverish.optional(),
  /** The KV-cache utilisation metric the image's vLLM serves (the EPP and the dashboards read it). */
  kvCacheMetric: z.enum(['vllm:kv_cache_usage_perc', 'vllm:gpu_cache_usage_perc']).optional(),
  /** The routing sidecar build understands the zap logging flags. */
  zapFlags: z.boolean().optional(),
  /** Where the reference comes from and the evidence that it exists upstream. */
  source: Source,
}).strict();
export type ReleaseImage = z.infer<typeof ReleaseImage>;

export const ReleaseChart = z.object({
  /** The helm release name the chart is installed as. */
  release: z.string().min(1),
  /** `repo/name` with `repo` below, or an `oci://` reference. */
  chart: z.string().min(1),
  repo: z.object({ name: z.string().min(1), url: z.string().url() }).strict().optional(),
  version: Version,
  source: Source,
  /**
   * The images the chart's pods run at this version (multi-arch references; the release's values do not
   * change them): what the image cache keeps beside the stack's own images, so a new cluster pulls none.
   */
  images: z.array(z.object({ ref: ImageRef, source: Source }).strict()).optional(),
}).strict();
export type ReleaseChart = z.infer<typeof ReleaseChart>;

export const ReleaseCrdManifest = z.object({
  id: z.string().min(1),
  title: z.string().min(1),
  version: Version,
  url: z.string().url(),
  /** Annotation carrying the bundle version on each CRD of the manifest. */
  versionAnnotation: z.string().min(1),
  /** CRDs the stack relies on from this manifest (detect() checks them and their version). */
  crds: z.array(z.string().min(1)).min(1),
  source: Source,
}).strict();

/** A vLLM server flag and the first vLLM version that accepts it (`until`: the first that refuses it again). */
export const VllmFlag = z.object({
  flag: z.string().regex(/^--[a-z0-9][a-z0-9_-]*$/),
  since: Semverish,
  until: Semverish.optional(),
  source: Source,
}).strict();

export const ReleaseModel = z.object({
  /** `--flag value` pairs set on the model server (a null value removes a template flag). */
  args: z.record(z.string().regex(/^--/), z.union([z.string(), z.null()])).default({}),
  env: z.record(z.string(), z.union([z.string(), z.null()])).default({}),
  startupProbe: z.object({ initialDelaySeconds: z.number().int().nonnegative(), failureThreshold: z.number().int().positive() }).strict(),
}).strict();

/**
 * The env var vLLM's CPU backend sizes its KV cache from, in whole GiB (vllm/platforms/cpu.py: unset → 4 GiB;
 * vLLM docs "CPU - Installation": "VLLM_CPU_KVCACHE_SPACE: specify the KV Cache size (e.g,
 * VLLM_CPU_KVCACHE_SPACE=40 means 40 GiB space for KV cache)"). The releases set it per model; the
 * settings' kvCacheGiB replaces it.
 */
export const CPU_KV_CACHE_ENV = 'VLLM_CPU_KVCACHE_SPACE';
/** vLLM's CPU KV cache when the env var is not set (vllm/platforms/cpu.py `kv_cache_space = 4 * GiB_bytes`). */
export const CPU_KV_CACHE_DEFAULT_GIB = 4;

/** The CPU KV cache, GiB, the model server gets with these settings: the override, else the release's value for the model. */
export function kvCacheGiB(release: Pick<StackRelease, 'models'>, settings: { model: string; kvCacheGiB?: number | undefined }): number {
  if (settings.kvCacheGiB !== undefined) return settings.kvCacheGiB;
  const v = Number(release.models[settings.model]?.env[CPU_KV_CACHE_ENV] ?? CPU_KV_CACHE_DEFAULT_GIB);
  return Number.isFinite(v) && v > 0 ? v : CPU_KV_CACHE_DEFAULT_GIB;
}

/** The kubelet's startup probe period, seconds (the templates render periodSeconds: 30). */
const STARTUP_PROBE_PERIOD_S = 30;
/** What the install adds to the probe's budget before it stops waiting, seconds (doctor "keep waiting" adds the same). */
export const DECODE_WAIT_MARGIN_S = 300;
/** Without a probe in the release: 15 min. */
const DECODE_WAIT_FALLBACK_S = 900;

/**
 * How long the install waits for the model servers to be Ready when settings.decodeWaitMinutes is unset:
 * the startup probe's budget (initialDelay + failureThreshold × period, how long the kubelet itself lets
 * vLLM start) plus a margin. One home for the ready step and Configure's "decode wait" default.
 */
export function decodeWaitSeconds(model: Pick<z.infer<typeof ReleaseModel>, 'startupProbe'> | undefined): number {
  const probe = model?.startupProbe;
  return probe ? probe.initialDelaySeconds + probe.failureThreshold * STARTUP_PROBE_PERIOD_S + DECODE_WAIT_MARGIN_S : DECODE_WAIT_FALLBACK_S;
}

const Quantity = z.string().regex(QUANTITY, 'must be a Kubernetes quantity like 500m or 1Gi');

/**
 * What one pod (or container) the release deploys besides the model servers asks the scheduler for: the
 * requests its chart values set (none set: "0", with the source saying so). The fit adds them up
 * (shared/fit.ts), so a cluster too small for the whole stack is refused before the install, not found
 * Pending after it.
 */
export const PodRequest = z.object({
  /** The pod and container, as `kubectl get pods` would show them. */
  pod: z.string().min(1),
  cpu: Quantity,
  memory: Quantity,
  source: Source,
}).strict();
export type PodRequest = z.infer<typeof PodRequest>;

/** The sum of a release's non-model requests, as the fit counts them. */
export interface StackRequests {
  cpuMilli: number;
  memoryMiB: number;
  /** The pods that request anything, for the fit's message ("EPP, Prometheus"). */
  pods: string[];
}

/** What the release's non-model pods request together (podRequests summed). */
export function stackRequests(r: Pick<StackRelease, 'podRequests'>): StackRequests {
  const counted = r.podRequests.filter((p) => cpuMilli(p.cpu) > 0 || memoryBytes(p.memory) > 0);
  return {
    cpuMilli: counted.reduce((n, p) => n + cpuMilli(p.cpu), 0),
    memoryMiB: Math.ceil(counted.reduce((n, p) => n + memoryBytes(p.memory), 0) / 2 ** 20),
    pods: counted.map((p) => p.pod),
  };
}

export const StackRelease = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/),
  title: z.string().min(1),
  /** YYYY-MM: when upstream published what the release deploys. */
  date: z.string().regex(/^\d{4}-\d{2}$/),
  summary: z.string().min(1),
  upstream: z.object({ project: z.string(), version: Version, source: Source }).strict(),
  /**
   * istio: an Istio gateway routes to the InferencePool through an HTTPRoute (the guide's way).
   * standalone: the EPP and an Envoy proxy share one pod and its Service is the entry point (no Istio).
   */
  gateway: z.discriminatedUnion('provider', [
    z.object({ provider: z.literal('istio'), version: Version, namespace: z.string().min(1), source: Source }).strict(),
    z.object({ provider: z.literal('standalone'), source: Source }).strict(),
  ]),
  monitoringNamespace: z.string().min(1),
  /** Charts by role; which roles a release has follows its gateway provider and stack kind. */
  charts: z.object({
    monitoring: ReleaseChart,
    infra: ReleaseChart.optional(), gaie: ReleaseChart.optional(), ms: ReleaseChart.optional(),
    istioBase: ReleaseChart.optional(), istiod: ReleaseChart.optional(), router: ReleaseChart.optional(),
  }).strict(),
  /**
   * How the stack is deployed. helmfile: one helmfile (infra + gaie + ms charts). router: the router chart
   * (EPP, InferencePool, proxy) from a values template, and the model servers as manifests.
   */
  stack: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('helmfile') }).strict(),
    z.object({ kind: z.literal('router'), values: z.string().regex(/^[\w.-]+\.yaml$/), manifests: z.string().regex(/^[\w.-]+\.yaml$/) }).strict(),
  ]),
  /** What the ready step waits for: pods by selector (a template like the selectors), one or one per replica. */
  readiness: z.array(z.object({ what: z.string(), selector: z.string(), count: z.enum(['one', 'replicas']) }).strict()).min(1),
  crdManifests: z.array(ReleaseCrdManifest).min(1),
  /**
   * Object names and label selectors, as templates over the helm release names: `{infra}`, `{gaie}`,
   * `{ms}`, `{monitoring}` (how the charts derive them).
   */
  names: z.object({
    gateway: z.string().optional(), gatewayService: z.string(), epp: z.string(), inferencePool: z.string(), decodeDeployment: z.string(),
    httpRoute: z.string().optional(), prometheusService: z.string(), grafanaService: z.string(),
  }).strict(),
  selectors: z.object({ epp: z.string(), gateway: z.string().optional(), decode: z.string(), istiod: z.string().optional() }).strict(),
  containers: z.object({ epp: z.string(), modelServer: z.string() }).strict(),
  ports: z.object({
    gatewayService: z.number().int().positive(), eppGrpc: z.number().int().positive(), eppMetrics: z.number().int().positive(),
    /** The InferencePool's target port on a decode pod (the routing sidecar). */
    decodeTarget: z.number().int().positive(),
    /** vLLM's own port inside the decode pod (where /metrics is). */
    decodeVllm: z.number().int().positive(),
    prometheus: z.number().int().positive(), grafana: z.number().int().positive(),
  }).strict(),
  epp: z.object({
    /** Verbosity at which the EPP logs one "Request handled" line per request. */
    routingLogVerbosity: z.number().int().positive(),
    /** The shape of that line (the parser accepts both; recorded so a new shape is a visible change). */
    routingLogFormat: z.enum(['gaie-json-level-minus3', 'llm-d-router-json-info']),
    /** The EPP's own Prometheus metric names (the dashboards' pool panels). */
    metrics: z.object({ poolKvCache: z.string(), poolQueue: z.string(), poolReadyPods: z.string(), requestErrors: z.string() }).strict(),
    source: Source,
  }).strict(),
  images: z.array(ReleaseImage).min(1),
  /** The requests of every pod the release deploys besides the model servers (their own are per model: shared/api/settings.ts MODELS). */
  podRequests: z.array(PodRequest).min(1),
  vllmFlags: z.array(VllmFlag),
  models: z.record(z.string(), ReleaseModel),
  /**
   * How a CPU model server's --dtype follows the CPU (dtypeFor): the first value where the node has bf16,
   * the second where it does not or cannot tell. Absent: the models' args decide alone.
   */
  cpuDtype: z.object({ withBf16: z.string().min(1), withoutBf16: z.string().min(1), source: Source }).strict().optional(),
  /** Template files in the release folder's templates/ (rendered by the engine). */
  templates: z.array(z.string().regex(/^[\w.-]+\.yaml$/)).min(1),
}).strict();
export type StackRelease = z.infer<typeof StackRelease>;

/** Image overrides in the settings, by role (applies to the host's architecture and accelerator). */
// The proxy of the standalone router chart has no values field for its image (third-party report: "the
// proxy has no field to override it"), so it is checked and shown but not overridable.
export const ImageOverrides = z.object({ vllm: ImageRef.optional(), routingSidecar: ImageRef.optional(), epp: ImageRef.optional() }).strict();
export type OverridableRole = keyof ImageOverrides;
export const isOverridable = (role: ImageRole): role is OverridableRole => role !== 'proxy';
export type ImageOverrides = z.infer<typeof ImageOverrides>;

export type ResolvedNames = StackRelease['names'];
export type ResolvedSelectors = StackRelease['selectors'];

const fill = (template: string, vars: Record<string, string>): string =>
  template.replace(/\{(\w+)\}/g, (m, k: string) => vars[k] ?? m);

const releaseVars = (r: StackRelease): Record<string, string> =>
  Object.fromEntries(Object.entries(r.charts).flatMap(([role, c]) => (c ? [[role, c.release]] : [])));

/** A template over the helm release names (`{gaie}-epp`) filled in. */
export const fillNames = (r: StackRelease, template: string): string => fill(template, releaseVars(r));

/** The release's object names with the helm release names filled in. */
export function releaseNames(r: StackRelease): ResolvedNames {
  return Object.fromEntries(Object.entries(r.names).map(([k, t]) => [k, fillNames(r, t)])) as ResolvedNames;
}

export function releaseSelectors(r: StackRelease): ResolvedSelectors {
  return Object.fromEntries(Object.entries(r.selectors).map(([k, t]) => [k, fillNames(r, t)])) as ResolvedSelectors;
}

/** The helm releases of the stack itself (not monitoring, not the gateway provider). */
export function stackHelmReleases(r: StackRelease): string[] {
  const roles = r.stack.kind === 'helmfile' ? (['infra', 'gaie', 'ms'] as const) : (['router'] as const);
  return roles.flatMap((role) => (r.charts[role] ? [r.charts[role].release] : []));
}

/** A chart the release must have for what is being done with it (a malformed release is a clear error). */
export function needChart(r: StackRelease, role: keyof StackRelease['charts']): ReleaseChart {
  const c = r.charts[role];
  if (!c) throw new Error(`The stack release ${r.id} has no ${role} chart.`);
  return c;
}

export type IstioGateway = Extract<StackRelease['gateway'], { provider: 'istio' }>;

/** The release's Istio gateway, for the steps that exist only with one (a malformed release is a clear error). */
export function istioGateway(r: StackRelease): IstioGateway {
  if (r.gateway.provider !== 'istio') throw new Error(`The stack release ${r.id} has no Istio gateway.`);
  return r.gateway;
}

/** Namespaces the release puts pods in besides the stack's own (the gateway provider's). */
export const gatewayNamespaces = (r: StackRelease): string[] => (r.gateway.provider === 'istio' ? [r.gateway.namespace] : []);

/** The image roles a release deploys, in display order. */
export const releaseRoles = (r: StackRelease): ImageRole[] => ImageRole.options.filter((role) => r.images.some((i) => i.role === role));

/** One image the stack will run, with where its reference came from. */
export interface ChosenImage {
  role: ImageRole;
  ref: string;
  /** The release's default for this arch/accelerator (what an override replaced). */
  defaultRef: string;
  overridden: boolean;
  source: string;
  vllmVersion?: string;
  kvCacheMetric?: ReleaseImage['kvCacheMetric'];
  zapFlags?: boolean;
}

export class ReleaseImageMissing extends Error {}

/** The release's image for a role on this node (exact accelerator first, then the any-accelerator entry). */
export function releaseImage(r: StackRelease, role: ImageRole, arch: Arch, accelerator: Accelerator): ReleaseImage {
  const forArch = r.images.filter((i) => i.role === role && i.arch === arch);
  const hit = forArch.find((i) => i.accelerator === accelerator) ?? forArch.find((i) => i.accelerator === undefined);
  if (!hit) {
    throw new ReleaseImageMissing(`${r.title} has no ${IMAGE_ROLE_LABELS[role].toLowerCase()} image for ${accelerator === 'nvidia' ? 'NVIDIA GPUs on ' : ''}${arch}.`);
  }
  return hit;
}

/** Every image the stack runs on this node, overrides applied. An override keeps the default's vLLM facts unknown. */
export function chooseImages(r: StackRelease, arch: Arch, accelerator: Accelerator, overrides: ImageOverrides = {}): ChosenImage[] {
  return releaseRoles(r).map((role) => {
    const d = releaseImage(r, role, arch, accelerator);
    const o = isOverridable(role) ? overrides[role] : undefined;
    const base: ChosenImage = {
      role, ref: o ?? d.ref, defaultRef: d.ref, overridden: o !== undefined && o !== d.ref,
      source: o !== undefined && o !== d.ref ? 'your override (Configure → Advanced)' : d.source,
    };
    // An overridden model server keeps the default's vLLM facts: the args and metric names are chosen for
    // the default image, and the person who overrides it is told so on the Plan page.
    if (d.vllmVersion) base.vllmVersion = d.vllmVersion;
    if (d.kvCacheMetric) base.kvCacheMetric = d.kvCacheMetric;
    if (d.zapFlags !== undefined) base.zapFlags = d.zapFlags;
    return base;
  });
}

/** The `--dtype` setting: auto follows the CPU; the others are a person's override (Configure → Advanced). */
export const DTYPE_CHOICES = ['auto', 'bfloat16', 'float32'] as const;
export type DtypeChoice = (typeof DTYPE_CHOICES)[number];
export interface ChosenDtype { value: string; reason: string }
/** What the node's CPU offers, as far as the host check could tell (shared/api/host.ts CpuFeatures). */
export interface CpuBf16 { bf16: boolean | null; from?: string }

/** The model server's --dtype on this node, and why; undefined when the release leaves it to the args. */
export function dtypeFor(r: StackRelease, accelerator: Accelerator, cpu: CpuBf16 | undefined, choice: DtypeChoice = 'auto'): ChosenDtype | undefined {
  if (!r.cpuDtype || accelerator !== 'cpu') return undefined;
  if (choice !== 'auto') return { value: choice, reason: 'chosen in Configure → Advanced' };
  if (cpu?.bf16 === true) return { value: r.cpuDtype.withBf16, reason: `this CPU computes in bf16${cpu.from ? ` (${cpu.from})` : ''}` };
  if (cpu?.bf16 === false) return { value: r.cpuDtype.withoutBf16, reason: 'this CPU has no bf16 (AVX512-BF16 or AMX on x86, FEAT_BF16 on Arm): vLLM would crash on a bf16 model' };
  return { value: r.cpuDtype.withoutBf16, reason: 'the host check could not tell whether this CPU has bf16, so the safe choice' };
}

/** Flags in `args` (an argv list) that the given vLLM version does not accept, by the release's table. */
export function unsupportedVllmFlags(r: StackRelease, vllmVersion: string, args: readonly string[]): Array<{ flag: string; why: string }> {
  const v = semver.coerce(vllmVersion);
  if (!v) return [];
  const out: Array<{ flag: string; why: string }> = [];
  for (const a of args) {
    if (!a.startsWith('--')) continue;
    const flag = a.split('=')[0]!;
    const entry = r.vllmFlags.find((f) => f.flag === flag);
    if (!entry) { out.push({ flag, why: 'not in the release\'s vLLM flag table' }); continue; }
    if (semver.lt(v, semver.coerce(entry.since)!)) out.push({ flag, why: `needs vLLM ≥ ${entry.since}, the image has ${vllmVersion}` });
    else if (entry.until && semver.gte(v, semver.coerce(entry.until)!)) out.push({ flag, why: `removed in vLLM ${entry.until}, the image has ${vllmVersion}` });
  }
  return out;
}

/** What the Configure page shows of a release. */
export const ReleaseSummary = z.object({
  id: z.string(),
  title: z.string(),
  date: z.string(),
  summary: z.string(),
  upstreamVersion: z.string(),
  images: z.array(z.object({
    role: ImageRole, label: z.string(), ref: z.string(), source: z.string(), vllmVersion: z.string().optional(),
    /** Whether Configure → Advanced can replace it (the release's chart has a field for it). */
    overridable: z.boolean(),
  })),
  /** Context length per model id (the model server's --max-model-len in this release). */
  contextLength: z.record(z.string(), z.number().int().positive()),
  /** The helm releases it installs: the stack's, and monitoring's (what teardown names). */
  helmReleases: z.object({ stack: z.array(z.string()), monitoring: z.string() }),
  /** The model server's --dtype when left on Automatic, and why (absent: the release does not follow the CPU). */
  dtype: z.object({ value: z.string(), reason: z.string() }).optional(),
  /** Set when the release has no image for this node (e.g. no NVIDIA image for arm64). */
  problem: z.string().optional(),
  /** vLLM's CPU KV cache per model id, GiB, when settings.kvCacheGiB is unset (CPU only: the CUDA image sizes its own). */
  kvCacheGiB: z.record(z.string(), z.number().positive()).optional(),
  /** The install's wait for the model servers per model id, whole minutes, when settings.decodeWaitMinutes is unset. */
  decodeWaitMinutes: z.record(z.string(), z.number().int().positive()).optional(),
  /** What its non-model pods request (stackRequests): the renderer's live fit counts it. */
  requests: z.object({ cpuMilli: z.number().int().nonnegative(), memoryMiB: z.number().int().nonnegative(), pods: z.array(z.string()) }),
});
export type ReleaseSummary = z.infer<typeof ReleaseSummary>;

/** The Configure page's view of a release for this node. */
export function summarizeRelease(r: StackRelease, arch: Arch, accelerator: Accelerator, cpu?: CpuBf16): ReleaseSummary {
  const contextLength = Object.fromEntries(Object.entries(r.models).flatMap(([id, m]) => {
    const n = Number(m.args['--max-model-len']);
    return Number.isInteger(n) && n > 0 ? [[id, n]] : [];
  }));
  const helmReleases = { stack: stackHelmReleases(r), monitoring: r.charts.monitoring.release };
  const dtype = dtypeFor(r, accelerator, cpu);
  // What Configure shows as the default of its Advanced model-server fields (the same functions the stack and the ready step use).
  const models = Object.keys(r.models);
  const kvCache = accelerator === 'cpu' ? { kvCacheGiB: Object.fromEntries(models.map((id) => [id, kvCacheGiB(r, { model: id })])) } : {};
  const decodeWaitMinutes = Object.fromEntries(models.map((id) => [id, Math.ceil(decodeWaitSeconds(r.models[id]) / 60)]));
  const base = { id: r.id, title: r.title, date: r.date, summary: r.summary, upstreamVersion: r.upstream.version, contextLength, helmReleases, requests: stackRequests(r), ...(dtype ? { dtype } : {}), ...kvCache, decodeWaitMinutes };
  try {
    const images = chooseImages(r, arch, accelerator).map((i) => ({
      role: i.role, label: IMAGE_ROLE_LABELS[i.role], ref: i.ref, source: i.source, ...(i.vllmVersion ? { vllmVersion: i.vllmVersion } : {}),
      overridable: isOverridable(i.role),
    }));
    return { ...base, images };
  } catch (e) {
    if (e instanceof ReleaseImageMissing) return { ...base, images: [], problem: e.message };
    throw e;
  }
}
