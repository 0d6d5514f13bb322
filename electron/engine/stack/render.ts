// Renders the stack the app deploys from the chosen release's templates (resources/releases/<id>/templates)
// and the settings (docs/architecture.md §2 "resources/", §4 "Stack releases"): chart versions and release names from
// release.yaml, model args and env per the release, replicas, the images chosen for this node (arch,
// accelerator, overrides), EPP verbosity, the HF token secret. Templates are parsed and edited as YAML
// documents (never string-spliced), so a value can't break the document and the output stays reviewable on
// the Plan page.
import fs from 'node:fs/promises';
import path from 'node:path';
import YAML from 'yaml';
import { modelSpec, replicaResources, type Settings } from '../../../shared/api/settings.js';
import { CPU_KV_CACHE_ENV, needChart, releaseNames, type Accelerator, type ChosenImage, type ImageRole, type StackRelease } from '../../../shared/release.js';
import { HF_TOKEN_SECRET, INFERENCE_POOL_GROUP, MODEL_CACHE } from '../../../shared/stack.js';
import { readTemplate } from './releases.js';

export interface StackRenderInput {
  release: StackRelease;
  settings: Pick<Settings, 'namespace' | 'model' | 'replicas'> & Partial<Pick<Settings, 'monitoring' | 'memoryLimitGi' | 'kvCacheGiB' | 'modelCache'>>;
  /** The images for this node (shared/release.ts chooseImages). */
  images: readonly ChosenImage[];
  accelerator: Accelerator;
  /** True when an HF token is set: the ms values reference the token Secret. */
  hfToken: boolean;
  /** The model server's --dtype (the plan's choice for this CPU); unset: the release's args alone. */
  dtype?: string;
}

export interface RenderedFile {
  /** File name inside the rendered stack folder (helmfile references values by these names). */
  name: string;
  content: string;
}

type Doc = YAML.Document.Parsed;

const load = (resourcesDir: string, release: StackRelease, name: string): Doc => {
  const doc = YAML.parseDocument(readTemplate(resourcesDir, release, name));
  if (doc.errors.length) throw new Error(`resources/releases/${release.id}/templates/${name}: ${doc.errors[0]!.message}`);
  return doc;
};

const mustModel = (id: string) => {
  const spec = modelSpec(id);
  if (!spec) throw new Error(`Unknown model ${id}`);
  return spec;
};

const mustResources = (settings: StackRenderInput['settings']) => {
  const r = replicaResources(settings);
  if (!r) throw new Error(`Unknown model ${settings.model}`);
  return r;
};

/** The release's env for the model, the KV cache replaced by the settings' (the CUDA image drops it later). */
const modelEnv = (env: Record<string, string | null>, settings: StackRenderInput['settings']): Record<string, string | null> =>
  (settings.kvCacheGiB === undefined ? env : { ...env, [CPU_KV_CACHE_ENV]: String(settings.kvCacheGiB) });

export const imageOf = (images: readonly ChosenImage[], role: ImageRole): ChosenImage => {
  const i = images.find((x) => x.role === role);
  if (!i) throw new Error(`No ${role} image was chosen`);
  return i;
};

/** `hub/name:tag` as the inferencepool chart wants its EPP image (a digest stays part of the tag). */
export function splitImage(ref: string): { hub: string; name: string; tag: string } {
  const at = ref.indexOf('@');
  const base = at >= 0 ? ref.slice(0, at) : ref;
  const colon = base.lastIndexOf(':');
  const hasTag = colon > base.lastIndexOf('/');
  const repo = hasTag ? base.slice(0, colon) : base;
  const tag = (hasTag ? base.slice(colon + 1) : 'latest') + (at >= 0 ? ref.slice(at) : '');
  const slash = repo.lastIndexOf('/');
  return slash < 0 ? { hub: 'docker.io/library', name: repo, tag } : { hub: repo.slice(0, slash), name: repo.slice(slash + 1), tag };
}

/** Sets an argv `--flag value` pair in place (keeping the guide's order), appends it, or removes it. */
function setArg(args: string[], flag: string, value: string | null | undefined): string[] {
  const i = args.indexOf(flag);
  if (i >= 0) {
    return value == null ? [...args.slice(0, i), ...args.slice(i + 2)] : [...args.slice(0, i + 1), value, ...args.slice(i + 2)];
  }
  return value == null ? args : [...args, flag, value];
}

function setEnv(env: Array<{ name: string; value?: string }>, name: string, value: string | null | undefined) {
  const rest = env.filter((e) => e.name !== name);
  return value == null ? rest : [...rest, { name, value }];
}

/** Env the guide sets for the CPU backend only; the CUDA image must not get them. */
const CPU_ONLY_ENV = ['VLLM_TARGET_DEVICE', 'VLLM_CPU_KVCACHE_SPACE', 'VLLM_CPU_OMP_THREADS_BIND'];

/** The shared model cache as a pod volume: the node's folder the host cache is bound to (shared/stack.ts). */
const modelCacheVolume = () => ({ name: MODEL_CACHE.volume, hostPath: { path: MODEL_CACHE.nodePath, type: 'DirectoryOrCreate' } });
const modelCacheMount = () => ({ name: MODEL_CACHE.volume, mountPath: MODEL_CACHE.mountPath });

export function renderStack(resourcesDir: string, input: StackRenderInput): Promise<RenderedFile[]> {
  return Promise.resolve().then(() => renderStackSync(resourcesDir, input));
}

export function renderStackSync(resourcesDir: string, input: StackRenderInput): RenderedFile[] {
  const { release } = input;
  const names = releaseNames(release);
  const files = release.stack.kind === 'helmfile' ? renderHelmfileStack(resourcesDir, input) : renderRouterStack(resourcesDir, input, release.stack);
  if (release.gateway.provider === 'istio') files.push(...renderIstio(resourcesDir, input, release.gateway));

  // monitoring: Grafana's datasource points at this release's Prometheus service.
  const mon = load(resourcesDir, release, 'monitoring-values.yaml');
  const sources = mon.getIn(['grafana', 'datasources', 'datasources.yaml', 'datasources']) as YAML.YAMLSeq<YAML.YAMLMap> | undefined;
  sources?.items[0]?.set('url', `http://${names.prometheusService}.${release.monitoringNamespace}.svc.cluster.local:${release.ports.prometheus}`);
  files.push({ name: 'monitoring-values.yaml', content: mon.toString() });
  return files;
}

/** The model's settings in this release, or a clear error. */
function perModelOf(release: StackRelease, modelId: string) {
  const model = mustModel(modelId);
  const perModel = release.models[model.id];
  if (!perModel) throw new Error(`${release.title} has no server settings for ${model.id}`);
  return { model, perModel };
}

/** The guide's way: one helmfile with the infra, gaie (EPP + InferencePool) and ms (model servers) charts. */
function renderHelmfileStack(resourcesDir: string, input: StackRenderInput): RenderedFile[] {
  const { release, settings, hfToken, accelerator } = input;
  const ns = settings.namespace;
  const { model, perModel } = perModelOf(release, settings.model);
  const names = releaseNames(release);
  const vllmImage = imageOf(input.images, 'vllm');
  const sidecarImage = imageOf(input.images, 'routingSidecar');
  const eppImage = imageOf(input.images, 'epp');
  const charts = { infra: needChart(release, 'infra'), gaie: needChart(release, 'gaie'), ms: needChart(release, 'ms') };

  // helmfile: releases, charts, versions and repos from the release; the namespace and the EPP host follow the settings.
  const helmfile = load(resourcesDir, release, 'helmfile.yaml');
  helmfile.set('repositories', helmfile.createNode([charts.ms, charts.infra].flatMap((c) => (c.repo ? [c.repo] : []))));
  const releases = helmfile.get('releases') as YAML.YAMLSeq<YAML.YAMLMap>;
  const byRole = { infra: charts.infra, gaie: charts.gaie, ms: charts.ms } as const;
  for (const rel of releases.items) {
    const role = (rel.getIn(['labels', 'role']) as keyof typeof byRole | undefined);
    const chart = role ? byRole[role] : undefined;
    if (!chart) throw new Error(`resources/releases/${release.id}/templates/helmfile.yaml: a release without labels.role (infra, gaie or ms)`);
    rel.set('name', chart.release);
    rel.set('chart', chart.chart);
    rel.set('version', chart.version);
    rel.set('namespace', ns);
    const needs = rel.get('needs') as YAML.YAMLSeq | undefined;
    if (needs) rel.set('needs', helmfile.createNode(needs.items.map((n) => byRole[String(YAML.isScalar(n) ? n.value : n) as keyof typeof byRole]?.release ?? String(n))));
    if (role === 'gaie') {
      const values = rel.get('values') as YAML.YAMLSeq;
      const provider = values.items.find((v): v is YAML.YAMLMap => YAML.isMap(v) && v.has('provider'));
      provider?.setIn(['provider', 'istio', 'destinationRule', 'host'], `${names.epp}.${ns}.svc.cluster.local`);
    }
  }

  // gaie: EPP image, the KV-cache metric the vLLM image serves, routing-decision logging.
  const gaie = load(resourcesDir, release, 'gaie-values.yaml');
  const epp = splitImage(eppImage.ref);
  gaie.setIn(['inferenceExtension', 'image', 'hub'], epp.hub);
  gaie.setIn(['inferenceExtension', 'image', 'name'], epp.name);
  gaie.setIn(['inferenceExtension', 'image', 'tag'], epp.tag);
  gaie.setIn(['inferenceExtension', 'flags', 'kv-cache-usage-percentage-metric'], vllmImage.kvCacheMetric ?? 'vllm:kv_cache_usage_perc');
  gaie.setIn(['inferenceExtension', 'flags', 'v'], release.epp.routingLogVerbosity);
  gaie.setIn(['inferencePool', 'apiVersion'], `${INFERENCE_POOL_GROUP}/v1`);
  gaie.setIn(['inferencePool', 'targetPorts'], gaie.createNode([{ number: release.ports.decodeTarget }]));
  // The charts create a ServiceMonitor (EPP) and a PodMonitor (decode pods); without monitoring their
  // CRDs do not exist and helm refuses the release ("ensure CRDs are installed first").
  const monitoring = settings.monitoring ?? true;
  gaie.setIn(['inferenceExtension', 'monitoring', 'prometheus', 'enabled'], monitoring);

  // ms: the model, its resources and probes, replicas, images, token secret, the accelerator.
  const ms = load(resourcesDir, release, 'ms-values.yaml');
  ms.setIn(['modelArtifacts', 'uri'], `hf://${model.id}`);
  ms.setIn(['modelArtifacts', 'name'], model.id);
  ms.setIn(['modelArtifacts', 'size'], model.size);
  ms.setIn(['modelArtifacts', 'authSecretName'], hfToken ? HF_TOKEN_SECRET : '');
  ms.setIn(['accelerator', 'type'], accelerator);
  ms.setIn(['routing', 'servicePort'], release.ports.decodeTarget);
  ms.setIn(['routing', 'proxy', 'image'], sidecarImage.ref);
  ms.setIn(['routing', 'proxy', 'targetPort'], release.ports.decodeVllm);
  if (sidecarImage.zapFlags) {
    // Let the chart's defaults (json encoder, debug level) apply.
    (ms.getIn(['routing', 'proxy']) as YAML.YAMLMap).delete('zapEncoder');
    (ms.getIn(['routing', 'proxy']) as YAML.YAMLMap).delete('zapLogLevel');
  }
  ms.setIn(['decode', 'replicas'], settings.replicas);
  ms.setIn(['decode', 'monitoring', 'podmonitor', 'enabled'], monitoring);
  const containers = ms.getIn(['decode', 'containers']) as YAML.YAMLSeq<YAML.YAMLMap>;
  const vllm = containers.items.find((c) => c.get('name') === release.containers.modelServer);
  if (!vllm) throw new Error(`resources/releases/${release.id}/templates/ms-values.yaml has no ${release.containers.modelServer} container`);
  vllm.set('image', vllmImage.ref);
  let args = (vllm.get('args') as YAML.YAMLSeq).toJSON() as string[];
  args = setArg(args, '--model', model.id);
  args = setArg(args, '--port', String(release.ports.decodeVllm));
  for (const [flag, value] of Object.entries(perModel.args)) args = setArg(args, flag, value);
  if (input.dtype) args = setArg(args, '--dtype', input.dtype);
  // --disable-frontend-multiprocessing stays last, as in the guide.
  if (args.includes('--disable-frontend-multiprocessing')) args = [...args.filter((a) => a !== '--disable-frontend-multiprocessing'), '--disable-frontend-multiprocessing'];
  vllm.set('args', ms.createNode(args));
  let env = (vllm.get('env') as YAML.YAMLSeq).toJSON() as Array<{ name: string; value?: string }>;
  for (const [name, value] of Object.entries(modelEnv(perModel.env, settings))) env = setEnv(env, name, value);
  if (accelerator === 'nvidia') env = env.filter((e) => !CPU_ONLY_ENV.includes(e.name));
  if (settings.modelCache) {
    // The chart's own model volume is a per-pod emptyDir (H l.307-329, HF_HOME set only with
    // mountModelVolume): turn that off and give HF_HOME the shared host cache instead.
    vllm.set('mountModelVolume', false);
    env = setEnv(env, MODEL_CACHE.env, MODEL_CACHE.mountPath);
    const mounts = ((vllm.get('volumeMounts') as YAML.YAMLSeq | undefined)?.toJSON() as Array<{ name: string }> | undefined ?? []).filter((m) => m.name !== MODEL_CACHE.volume);
    vllm.set('volumeMounts', ms.createNode([...mounts, modelCacheMount()]));
    const volumes = ((ms.getIn(['decode', 'volumes']) as YAML.YAMLSeq | undefined)?.toJSON() as Array<{ name: string }> | undefined ?? []).filter((v) => v.name !== MODEL_CACHE.volume);
    ms.setIn(['decode', 'volumes'], ms.createNode([...volumes, modelCacheVolume()]));
  }
  vllm.set('env', ms.createNode(env));
  const res = mustResources(settings);
  vllm.setIn(['resources', 'limits', 'memory'], `${res.memoryLimitGi}Gi`);
  vllm.setIn(['resources', 'limits', 'cpu'], res.cpuLimit);
  vllm.setIn(['resources', 'requests', 'memory'], `${res.memoryRequestGi}Gi`);
  vllm.setIn(['resources', 'requests', 'cpu'], res.cpuRequest);
  if (accelerator === 'nvidia') {
    // One GPU per replica. The chart adds the accelerator's resource for accelerator.type too; the
    // explicit limit keeps the request visible on the Plan page whatever the chart version does.
    vllm.setIn(['resources', 'limits', 'nvidia.com/gpu'], 1);
    vllm.setIn(['resources', 'requests', 'nvidia.com/gpu'], 1);
  }
  for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
    if (vllm.hasIn([probe, 'httpGet', 'port'])) vllm.setIn([probe, 'httpGet', 'port'], release.ports.decodeVllm);
  }
  vllm.setIn(['startupProbe', 'initialDelaySeconds'], perModel.startupProbe.initialDelaySeconds);
  vllm.setIn(['startupProbe', 'failureThreshold'], perModel.startupProbe.failureThreshold);
  vllm.set('ports', ms.createNode([{ containerPort: release.ports.decodeVllm, name: 'metrics', protocol: 'TCP' }]));

  return [
    { name: 'helmfile.yaml', content: helmfile.toString() },
    { name: 'gaie-values.yaml', content: gaie.toString() },
    { name: 'ms-values.yaml', content: ms.toString() },
  ];
}

type IstioGateway = Extract<StackRelease['gateway'], { provider: 'istio' }>;

/** Istio (base + istiod) and the HTTPRoute from its gateway to the InferencePool. */
function renderIstio(resourcesDir: string, input: StackRenderInput, gateway: IstioGateway): RenderedFile[] {
  const { release, settings } = input;
  const ns = settings.namespace;
  const names = releaseNames(release);
  const charts = { istioBase: needChart(release, 'istioBase'), istiod: needChart(release, 'istiod') };
  if (!names.httpRoute || !names.gateway) throw new Error(`The stack release ${release.id} uses Istio but names no gateway or HTTPRoute.`);
  // route: name, namespace, parent gateway, the InferencePool backend; the backend group is always the v1 group Istio accepts.
  const route = load(resourcesDir, release, 'httproute.yaml');
  route.setIn(['metadata', 'name'], names.httpRoute);
  route.setIn(['metadata', 'namespace'], ns);
  route.setIn(['spec', 'parentRefs', 0, 'name'], names.gateway);
  route.setIn(['spec', 'rules', 0, 'backendRefs', 0, 'group'], INFERENCE_POOL_GROUP);
  route.setIn(['spec', 'rules', 0, 'backendRefs', 0, 'name'], names.inferencePool);
  route.setIn(['spec', 'rules', 0, 'backendRefs', 0, 'port'], release.ports.decodeTarget);

  // istio: charts and versions from the release.
  const istio = load(resourcesDir, release, 'istio.helmfile.yaml');
  istio.set('repositories', istio.createNode([charts.istiod.repo].filter(Boolean)));
  const istioReleases = istio.get('releases') as YAML.YAMLSeq<YAML.YAMLMap>;
  for (const rel of istioReleases.items) {
    const chart = rel.getIn(['labels', 'kind']) === 'gateway-crds' ? charts.istioBase : charts.istiod;
    rel.set('name', chart.release);
    rel.set('chart', chart.chart);
    rel.set('version', chart.version);
    rel.set('namespace', gateway.namespace);
    if (chart === charts.istiod) {
      rel.set('needs', istio.createNode([`${gateway.namespace}/${charts.istioBase.release}`]));
      (rel.get('values') as YAML.YAMLSeq<YAML.YAMLMap>).items[0]?.set('tag', gateway.version);
    }
  }
  return [
    { name: 'httproute.yaml', content: route.toString() },
    { name: 'istio.helmfile.yaml', content: istio.toString() },
  ];
}

type RouterStack = Extract<StackRelease['stack'], { kind: 'router' }>;

/**
 * Today's llm-d way: the router chart (EPP, InferencePool, and in standalone mode the Envoy proxy) from a
 * values template, and the model servers as plain manifests the way llm-d's kustomize recipes render them
 * (names, labels, container `modelserver` on port 8000, probes, env). The pool's selector and the
 * Deployment's labels come from the same release field so they cannot drift apart.
 */
function renderRouterStack(resourcesDir: string, input: StackRenderInput, stack: RouterStack): RenderedFile[] {
  const { release, settings, hfToken } = input;
  const { model, perModel } = perModelOf(release, settings.model);
  const names = releaseNames(release);
  const vllmImage = imageOf(input.images, 'vllm');
  const eppImage = imageOf(input.images, 'epp');
  const monitoring = settings.monitoring ?? true;

  const values = load(resourcesDir, release, stack.values);
  const epp = splitImage(eppImage.ref);
  // routerlib values.yaml: router.epp.image {registry: ghcr.io/llm-d, repository: llm-d-router-endpoint-picker, tag}.
  values.setIn(['router', 'epp', 'image', 'registry'], epp.hub);
  values.setIn(['router', 'epp', 'image', 'repository'], epp.name);
  values.setIn(['router', 'epp', 'image', 'tag'], epp.tag);
  values.setIn(['router', 'epp', 'flags', 'v'], release.epp.routingLogVerbosity);
  values.setIn(['router', 'monitoring', 'prometheus', 'enabled'], monitoring);
  const matchLabels = (values.getIn(['router', 'modelServers', 'matchLabels']) as YAML.YAMLMap | undefined)?.toJSON() as Record<string, string> | undefined;
  if (!matchLabels || Object.keys(matchLabels).length === 0) throw new Error(`resources/releases/${release.id}/templates/${stack.values}: router.modelServers.matchLabels is required`);

  const docs = YAML.parseAllDocuments(readTemplate(resourcesDir, release, stack.manifests));
  for (const d of docs) if (d.errors.length) throw new Error(`resources/releases/${release.id}/templates/${stack.manifests}: ${d.errors[0]!.message}`);
  for (const d of docs) {
    d.setIn(['metadata', 'namespace'], settings.namespace);
    // The pool selects by these labels: every model-server object carries them.
    for (const [k, v] of Object.entries(matchLabels)) d.setIn(['metadata', 'labels', k], v);
    if (d.get('kind') === 'PodMonitor') for (const [k, v] of Object.entries(matchLabels)) d.setIn(['spec', 'selector', 'matchLabels', k], v);
    if (d.get('kind') !== 'Deployment') continue;
    d.setIn(['metadata', 'name'], names.decodeDeployment);
    d.setIn(['spec', 'replicas'], settings.replicas);
    for (const [k, v] of Object.entries(matchLabels)) {
      d.setIn(['spec', 'selector', 'matchLabels', k], v);
      d.setIn(['spec', 'template', 'metadata', 'labels', k], v);
    }
    const containers = d.getIn(['spec', 'template', 'spec', 'containers']) as YAML.YAMLSeq<YAML.YAMLMap>;
    const server = containers.items.find((c) => c.get('name') === release.containers.modelServer);
    if (!server) throw new Error(`resources/releases/${release.id}/templates/${stack.manifests} has no ${release.containers.modelServer} container`);
    server.set('image', vllmImage.ref);
    // `vllm serve <model> --flag=value …`, as llm-d's recipes pass them.
    const args = (server.get('args') as YAML.YAMLSeq | undefined)?.toJSON() as string[] | undefined ?? [];
    const argValues: Record<string, string | null> = { ...perModel.args, ...(input.dtype ? { '--dtype': input.dtype } : {}) };
    const rest = args.slice(1).filter((a) => !Object.hasOwn(argValues, a.split('=')[0]!));
    const modelArgs = Object.entries(argValues).flatMap(([flag, value]) => (value == null ? [] : [`${flag}=${value}`]));
    server.set('args', d.createNode([model.id, ...rest, ...modelArgs]));
    let env = (server.get('env') as YAML.YAMLSeq | undefined)?.toJSON() as Array<{ name: string; value?: string; valueFrom?: unknown }> | undefined ?? [];
    for (const [name, value] of Object.entries(modelEnv(perModel.env, settings))) env = [...env.filter((e) => e.name !== name), ...(value == null ? [] : [{ name, value }])];
    if (!hfToken) env = env.filter((e) => e.name !== 'HF_TOKEN');
    // The CUDA image computes on the GPU: the CPU backend's env would only mislead whoever reads the pod.
    if (input.accelerator === 'nvidia') env = env.filter((e) => !CPU_ONLY_ENV.includes(e.name) && !e.name.startsWith('VLLM_CPU_'));
    if (settings.modelCache) {
      // llm-d's recipe leaves the Hub cache in the container (downloaded again at every pod start): point
      // HF_HOME at the shared host cache instead.
      env = [...env.filter((e) => e.name !== MODEL_CACHE.env), { name: MODEL_CACHE.env, value: MODEL_CACHE.mountPath }];
      const mounts = ((server.get('volumeMounts') as YAML.YAMLSeq | undefined)?.toJSON() as Array<{ name: string }> | undefined ?? []).filter((m) => m.name !== MODEL_CACHE.volume);
      server.set('volumeMounts', d.createNode([...mounts, modelCacheMount()]));
      const podSpec = ['spec', 'template', 'spec'];
      const volumes = ((d.getIn([...podSpec, 'volumes']) as YAML.YAMLSeq | undefined)?.toJSON() as Array<{ name: string }> | undefined ?? []).filter((v) => v.name !== MODEL_CACHE.volume);
      d.setIn([...podSpec, 'volumes'], d.createNode([...volumes, modelCacheVolume()]));
    }
    server.set('env', d.createNode(env));
    const res = mustResources(settings);
    server.setIn(['resources', 'limits', 'memory'], `${res.memoryLimitGi}Gi`);
    server.setIn(['resources', 'limits', 'cpu'], res.cpuLimit);
    server.setIn(['resources', 'requests', 'memory'], `${res.memoryRequestGi}Gi`);
    server.setIn(['resources', 'requests', 'cpu'], res.cpuRequest);
    if (input.accelerator === 'nvidia') {
      // One GPU per replica, as llm-d's gpu recipes ask (guides/recipes/modelserver/base: nvidia.com/gpu).
      server.setIn(['resources', 'limits', 'nvidia.com/gpu'], 1);
      server.setIn(['resources', 'requests', 'nvidia.com/gpu'], 1);
      // The template's `accelerator-variant: cpu` would be wrong; the GPU recipe's value is not verified here.
      d.deleteIn(['metadata', 'labels', 'llm-d.ai/accelerator-variant']);
      d.deleteIn(['spec', 'template', 'metadata', 'labels', 'llm-d.ai/accelerator-variant']);
    }
    server.setIn(['startupProbe', 'initialDelaySeconds'], perModel.startupProbe.initialDelaySeconds);
    server.setIn(['startupProbe', 'failureThreshold'], perModel.startupProbe.failureThreshold);
  }
  const kept = docs.filter((d) => monitoring || d.get('kind') !== 'PodMonitor');
  return [
    { name: stack.values, content: values.toString() },
    // A parsed document after the first keeps its own `---` marker; print each without it, joined by one.
    { name: stack.manifests, content: kept.map((d) => d.toString().replace(/^---\n/, '')).join('---\n') },
  ];
}

/** Writes rendered files into a folder (the engine's per-run stack dir) and returns their paths. */
export async function writeStack(dir: string, files: RenderedFile[]): Promise<Record<string, string>> {
  await fs.mkdir(dir, { recursive: true });
  const paths: Record<string, string> = {};
  for (const f of files) {
    const p = path.join(dir, f.name);
    await fs.writeFile(p, f.content, 'utf8');
    paths[f.name] = p;
  }
  return paths;
}
