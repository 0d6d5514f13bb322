// Renders the stack the app deploys from resources/stack/*.yaml and the settings (DESIGN.md §2
// "resources/"): model, replicas, images for the host architecture, EPP verbosity, the HF token secret.
// Templates are parsed and edited as YAML documents (never string-spliced), so a value can't break the
// document and the output stays reviewable on the Plan page.
import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import YAML from 'yaml';
import { modelSpec, type Settings } from '../../../shared/api/settings.js';
import { EPP_ROUTING_LOG_VERBOSITY, HF_TOKEN_SECRET, IMAGES, INFERENCE_POOL_GROUP, NAMES, RELEASES, type StackImages } from '../../../shared/stack.js';

export type StackArch = 'arm64' | 'amd64';

export interface StackRenderInput {
  settings: Pick<Settings, 'namespace' | 'model' | 'replicas'> & Partial<Pick<Settings, 'monitoring'>>;
  arch: StackArch;
  /** Overrides of the per-arch images (settings or a mirror registry). */
  images?: Partial<StackImages>;
  /** True when an HF token is set: the ms values reference the token Secret. */
  hfToken: boolean;
}

export interface RenderedFile {
  /** File name inside the rendered stack folder (helmfile references values by these names). */
  name: string;
  content: string;
}

type Doc = YAML.Document.Parsed;

// Synchronous on purpose: the Plan page's describe() is synchronous and shows the rendered manifests.
const load = (resourcesDir: string, name: string): Doc => {
  const text = fsSync.readFileSync(path.join(resourcesDir, 'stack', name), 'utf8');
  const doc = YAML.parseDocument(text);
  if (doc.errors.length) throw new Error(`resources/stack/${name}: ${doc.errors[0]!.message}`);
  return doc;
};

const mustModel = (id: string) => {
  const spec = modelSpec(id);
  if (!spec) throw new Error(`Unknown model ${id}`);
  return spec;
};

export function imagesFor(arch: StackArch, overrides: Partial<StackImages> = {}): StackImages {
  return { ...IMAGES[arch], ...overrides };
}

/** Sets an argv `--flag value` pair in place (keeping the guide's order), appends it, or removes it. */
function setArg(args: string[], flag: string, value: string | undefined): string[] {
  const i = args.indexOf(flag);
  if (i >= 0) {
    return value === undefined ? [...args.slice(0, i), ...args.slice(i + 2)] : [...args.slice(0, i + 1), value, ...args.slice(i + 2)];
  }
  return value === undefined ? args : [...args, flag, value];
}

function setEnv(env: Array<{ name: string; value?: string }>, name: string, value: string | undefined) {
  const rest = env.filter((e) => e.name !== name);
  return value === undefined ? rest : [...rest, { name, value }];
}

export function renderStack(resourcesDir: string, input: StackRenderInput): Promise<RenderedFile[]> {
  return Promise.resolve().then(() => renderStackSync(resourcesDir, input));
}

export function renderStackSync(resourcesDir: string, input: StackRenderInput): RenderedFile[] {
  const { settings, arch, hfToken } = input;
  const ns = settings.namespace;
  const model = mustModel(settings.model);
  const images = imagesFor(arch, input.images);

  // helmfile: the namespace and the EPP host follow the settings.
  const helmfile = load(resourcesDir, 'helmfile.yaml');
  const releases = helmfile.get('releases') as YAML.YAMLSeq<YAML.YAMLMap>;
  for (const rel of releases.items) {
    rel.set('namespace', ns);
    if (rel.get('name') === RELEASES.gaie) {
      const values = rel.get('values') as YAML.YAMLSeq;
      const provider = values.items.find((v): v is YAML.YAMLMap => YAML.isMap(v) && v.has('provider'));
      provider?.setIn(['provider', 'istio', 'destinationRule', 'host'], `${NAMES.epp}.${ns}.svc.cluster.local`);
    }
  }

  // gaie: EPP image, the KV-cache metric the vLLM image serves, routing-decision logging.
  const gaie = load(resourcesDir, 'gaie-values.yaml');
  gaie.setIn(['inferenceExtension', 'image', 'hub'], images.epp.hub);
  gaie.setIn(['inferenceExtension', 'image', 'name'], images.epp.name);
  gaie.setIn(['inferenceExtension', 'image', 'tag'], images.epp.tag);
  gaie.setIn(['inferenceExtension', 'flags', 'kv-cache-usage-percentage-metric'], images.kvCacheMetric);
  gaie.setIn(['inferenceExtension', 'flags', 'v'], EPP_ROUTING_LOG_VERBOSITY);
  gaie.setIn(['inferencePool', 'apiVersion'], `${INFERENCE_POOL_GROUP}/v1`);
  // The charts create a ServiceMonitor (EPP) and a PodMonitor (decode pods); without monitoring their
  // CRDs do not exist and helm refuses the release ("ensure CRDs are installed first").
  const monitoring = settings.monitoring ?? true;
  gaie.setIn(['inferenceExtension', 'monitoring', 'prometheus', 'enabled'], monitoring);

  // ms: the model, its resources and probes, replicas, images, token secret.
  const ms = load(resourcesDir, 'ms-values.yaml');
  ms.setIn(['modelArtifacts', 'uri'], `hf://${model.id}`);
  ms.setIn(['modelArtifacts', 'name'], model.id);
  ms.setIn(['modelArtifacts', 'size'], model.size);
  ms.setIn(['modelArtifacts', 'authSecretName'], hfToken ? HF_TOKEN_SECRET : '');
  ms.setIn(['routing', 'proxy', 'image'], images.routingSidecar);
  if (images.sidecarSupportsZapFlags) {
    // Let the chart's defaults (json encoder, debug level) apply.
    (ms.getIn(['routing', 'proxy']) as YAML.YAMLMap).delete('zapEncoder');
    (ms.getIn(['routing', 'proxy']) as YAML.YAMLMap).delete('zapLogLevel');
  }
  ms.setIn(['decode', 'replicas'], settings.replicas);
  ms.setIn(['decode', 'monitoring', 'podmonitor', 'enabled'], monitoring);
  const containers = ms.getIn(['decode', 'containers']) as YAML.YAMLSeq<YAML.YAMLMap>;
  const vllm = containers.items.find((c) => c.get('name') === 'vllm');
  if (!vllm) throw new Error('resources/stack/ms-values.yaml has no vllm container');
  vllm.set('image', images.vllm);
  let args = (vllm.get('args') as YAML.YAMLSeq).toJSON() as string[];
  args = setArg(args, '--model', model.id);
  args = setArg(args, '--max-model-len', String(model.maxModelLen));
  args = setArg(args, '--max-num-batched-tokens', String(model.maxNumBatchedTokens));
  args = setArg(args, '--kv-cache-memory-bytes', model.kvCacheMemoryBytes !== undefined ? String(model.kvCacheMemoryBytes) : undefined);
  // --disable-frontend-multiprocessing stays last, as in the guide.
  args = [...args.filter((a) => a !== '--disable-frontend-multiprocessing'), '--disable-frontend-multiprocessing'];
  vllm.set('args', ms.createNode(args));
  let env = (vllm.get('env') as YAML.YAMLSeq).toJSON() as Array<{ name: string; value?: string }>;
  env = setEnv(env, 'VLLM_CPU_KVCACHE_SPACE', model.kvCacheSpaceGi !== undefined ? String(model.kvCacheSpaceGi) : undefined);
  vllm.set('env', ms.createNode(env));
  vllm.setIn(['resources', 'limits', 'memory'], `${model.memoryLimitGi}Gi`);
  vllm.setIn(['resources', 'limits', 'cpu'], model.cpuLimit);
  vllm.setIn(['resources', 'requests', 'memory'], `${model.memoryRequestGi}Gi`);
  vllm.setIn(['resources', 'requests', 'cpu'], model.cpuRequest);
  vllm.setIn(['startupProbe', 'initialDelaySeconds'], model.startupInitialDelaySeconds);
  vllm.setIn(['startupProbe', 'failureThreshold'], model.startupFailureThreshold);

  // route: the namespace; the backend group is always the v1 group Istio accepts.
  const route = load(resourcesDir, 'httproute.yaml');
  route.setIn(['metadata', 'namespace'], ns);
  route.setIn(['spec', 'rules', 0, 'backendRefs', 0, 'group'], INFERENCE_POOL_GROUP);

  const files: RenderedFile[] = [
    { name: 'helmfile.yaml', content: helmfile.toString() },
    { name: 'gaie-values.yaml', content: gaie.toString() },
    { name: 'ms-values.yaml', content: ms.toString() },
    { name: 'httproute.yaml', content: route.toString() },
    { name: 'istio.helmfile.yaml', content: load(resourcesDir, 'istio.helmfile.yaml').toString() },
    { name: 'monitoring-values.yaml', content: load(resourcesDir, 'monitoring-values.yaml').toString() },
  ];
  return files;
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
