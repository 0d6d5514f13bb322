// Every stack release is valid data: it loads, every release × architecture × accelerator × model renders,
// the rendered HTTPRoute and the InferencePool the chart makes from the rendered values fit the real CRDs
// of the versions the release installs, and every model-server arg is accepted by the image's vLLM.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { MODEL_IDS } from '../../../shared/api/settings.js';
import { Accelerator, Arch, chooseImages, dtypeFor, ReleaseImageMissing, stackRequests, summarizeRelease, unsupportedVllmFlags, type StackRelease } from '../../../shared/release.js';
import { findResourcesDir } from '../resources.js';
import { CRD_FIELD_RULES, checkFields } from './crd-fields/index.js';
import { ROUTER_VALUES_V0_10_0 } from './crd-fields/router-values.js';
import { listReleases, readRelease, readTemplate } from './releases.js';
import { renderStackSync } from './render.js';
import { inferencepool } from '../../../sim/charts/inferencepool.js';
import { llmdModelservice } from '../../../sim/charts/llm-d-modelservice.js';

const resources = findResourcesDir({});
const releases = listReleases(resources);
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test-only view of rendered YAML

const combos = releases.flatMap((r) => Arch.options.flatMap((arch) => Accelerator.options.flatMap((acc) => MODEL_IDS.map((model) => ({ r, arch, acc, model })))));

function crdRule(r: StackRelease, apiVersion: string, kind: string) {
  const byVersion = CRD_FIELD_RULES[`${apiVersion} ${kind}`];
  expect(byVersion, `no field rules for ${apiVersion} ${kind}`).toBeDefined();
  const manifest = r.crdManifests.find((m) => byVersion![m.version]);
  expect(manifest, `${r.id}: no field rules for ${kind} at the versions it installs`).toBeDefined();
  return byVersion![manifest!.version]!;
}

describe('stack releases', () => {
  it('finds at least the guide release, each folder valid', () => {
    expect(releases.map((r) => r.id)).toContain('llm-d-0.4-cpu-guide');
    for (const r of releases) {
      expect(new Set(r.images.map((i) => `${i.role} ${i.arch} ${i.accelerator ?? '*'}`)).size, `${r.id}: an image is listed twice`).toBe(r.images.length);
      for (const m of MODEL_IDS) expect(r.models[m], `${r.id} has no settings for ${m}`).toBeDefined();
      for (const i of r.images.filter((x) => x.role === 'vllm')) {
        expect(i.vllmVersion, `${i.ref}: a model server without its vLLM version`).toBeDefined();
        expect(i.kvCacheMetric, `${i.ref}: a model server without its KV metric`).toBeDefined();
      }
    }
  });

  it.each(combos.map((c) => [c.r.id, c.arch, c.acc, c.model, c] as const))('%s on %s/%s with %s renders, fits the CRDs, and passes only accepted vLLM args', (_id, arch, acc, model, { r }) => {
    let images;
    try {
      images = chooseImages(r, arch, acc);
    } catch (e) {
      // A release may have no NVIDIA build for an architecture; that must be a clear refusal, never a crash.
      expect(e).toBeInstanceOf(ReleaseImageMissing);
      expect(acc).toBe('nvidia');
      return;
    }
    const files = renderStackSync(resources, { release: r, settings: { namespace: 'ns-x', model, replicas: 2 }, images, accelerator: acc, hfToken: true });
    const get = (name: string): Json => YAML.parse(files.find((f) => f.name === name)!.content) as Json;

    let args: string[];
    if (r.stack.kind === 'helmfile') {
      const route = get('httproute.yaml');
      expect(checkFields(route.spec, crdRule(r, route.apiVersion, route.kind))).toEqual([]);
      const values = YAML.parse(files.find((f) => f.name === 'gaie-values.yaml')!.content) as Record<string, unknown>;
      const pool = inferencepool.render({ name: r.charts.gaie!.release, namespace: 'ns-x' }, values).find((o) => o.kind === 'InferencePool') as Json;
      expect(checkFields(pool.spec, crdRule(r, pool.apiVersion, pool.kind))).toEqual([]);
      args = get('ms-values.yaml').decode.containers.find((c: { name: string }) => c.name === r.containers.modelServer).args;
    } else {
      // The router chart's values use only keys the chart reads; the model servers carry the pool's labels.
      const values = get(r.stack.values);
      expect(checkFields(values, ROUTER_VALUES_V0_10_0, 'values')).toEqual([]);
      const docs = YAML.parseAllDocuments(files.find((f) => f.name === (r.stack as { manifests: string }).manifests)!.content).map((d) => d.toJSON() as Json);
      const deploy = docs.find((d) => d.kind === 'Deployment')!;
      expect(deploy.spec.template.metadata.labels).toMatchObject(values.router.modelServers.matchLabels);
      expect(deploy.spec.selector.matchLabels).toMatchObject(values.router.modelServers.matchLabels);
      for (const d of docs) expect(d.metadata.namespace).toBe('ns-x');
      const server = deploy.spec.template.spec.containers.find((c: { name: string }) => c.name === r.containers.modelServer);
      expect(server.args[0]).toBe(model);
      args = server.args.slice(1);
    }
    const vllm = { args };
    const version = images.find((i) => i.role === 'vllm')!.vllmVersion!;
    expect(unsupportedVllmFlags(r, version, vllm.args)).toEqual([]);
  });

  it('llm-d 0.9 runs the model in bfloat16 only where the CPU has bf16, and says why', () => {
    const r = releases.find((x) => x.id === 'llm-d-0.9-optimized-baseline')!;
    expect(dtypeFor(r, 'cpu', { bf16: true, from: 'lscpu' })).toEqual({ value: 'bfloat16', reason: 'this CPU computes in bf16 (lscpu)' });
    expect(dtypeFor(r, 'cpu', { bf16: false })).toMatchObject({ value: 'float32', reason: expect.stringMatching(/no bf16.*crash/) });
    expect(dtypeFor(r, 'cpu', { bf16: null })).toMatchObject({ value: 'float32', reason: expect.stringMatching(/could not tell/) });
    expect(dtypeFor(r, 'cpu', undefined)?.value).toBe('float32');
    // A person's choice wins; a GPU and the guide release (whose args set bfloat16) are left alone.
    expect(dtypeFor(r, 'cpu', { bf16: false }, 'bfloat16')).toEqual({ value: 'bfloat16', reason: 'chosen in Configure → Advanced' });
    expect(dtypeFor(r, 'nvidia', { bf16: false })).toBeUndefined();
    expect(dtypeFor(releases.find((x) => x.id === 'llm-d-0.4-cpu-guide')!, 'cpu', { bf16: false })).toBeUndefined();
    expect(summarizeRelease(r, 'amd64', 'cpu', { bf16: true }).dtype?.value).toBe('bfloat16');

    for (const dtype of ['bfloat16', 'float32']) {
      const files = renderStackSync(resources, { release: r, settings: { namespace: 'ns-x', model: MODEL_IDS[0], replicas: 2 }, images: chooseImages(r, 'amd64', 'cpu'), accelerator: 'cpu', hfToken: false, dtype });
      const deploy = YAML.parseAllDocuments(files.find((f) => f.name === 'modelservers.yaml')!.content).map((d) => d.toJSON() as Json).find((d) => d.kind === 'Deployment')!;
      const args: string[] = deploy.spec.template.spec.containers[0].args;
      expect(args.filter((a) => a.startsWith('--dtype'))).toEqual([`--dtype=${dtype}`]);
    }
    const plain = renderStackSync(resources, { release: r, settings: { namespace: 'ns-x', model: MODEL_IDS[0], replicas: 2 }, images: chooseImages(r, 'amd64', 'cpu'), accelerator: 'cpu', hfToken: false });
    expect(plain.find((f) => f.name === 'modelservers.yaml')!.content).not.toContain('--dtype');
  });

  it('llm-d 0.9 with the GPU on: the CUDA image, one nvidia.com/gpu per replica, none of the CPU backend\'s env or labels', () => {
    const r = releases.find((x) => x.id === 'llm-d-0.9-optimized-baseline')!;
    const images = chooseImages(r, 'amd64', 'nvidia');
    const files = renderStackSync(resources, { release: r, settings: { namespace: 'ns-x', model: MODEL_IDS[0], replicas: 2 }, images, accelerator: 'nvidia', hfToken: false });
    const deploy = YAML.parseAllDocuments(files.find((f) => f.name === 'modelservers.yaml')!.content).map((d) => d.toJSON() as Json).find((d) => d.kind === 'Deployment')!;
    const server = deploy.spec.template.spec.containers[0];
    expect(server.image).toBe('docker.io/vllm/vllm-openai:v0.26.0');
    expect(server.resources.limits['nvidia.com/gpu']).toBe(1);
    expect(server.resources.requests['nvidia.com/gpu']).toBe(1);
    expect(server.env.map((e: { name: string }) => e.name).filter((n: string) => n.startsWith('VLLM_CPU_'))).toEqual([]);
    expect(deploy.spec.template.metadata.labels['llm-d.ai/accelerator-variant']).toBeUndefined();
    expect(() => chooseImages(r, 'arm64', 'nvidia')).toThrow(ReleaseImageMissing);
  });

  it('GPU on: the decode pods the chart makes from the rendered values ask for nvidia.com/gpu and run the CUDA image', () => {
    const r = releases.find((x) => x.id === 'llm-d-0.4-cpu-guide')!;
    const images = chooseImages(r, 'amd64', 'nvidia');
    const files = renderStackSync(resources, { release: r, settings: { namespace: 'ns-x', model: MODEL_IDS[0], replicas: 2 }, images, accelerator: 'nvidia', hfToken: false });
    const values = YAML.parse(files.find((f) => f.name === 'ms-values.yaml')!.content) as Record<string, unknown>;
    const deploy = llmdModelservice.render({ name: r.charts.ms!.release, namespace: 'ns-x' }, values).find((o) => o.kind === 'Deployment' && o.metadata.name.endsWith('-decode')) as Json;
    const vllm = deploy.spec.template.spec.containers.find((c: { name: string }) => c.name === r.containers.modelServer);
    expect(vllm.image).toBe(images.find((i) => i.role === 'vllm')!.ref);
    expect(String(vllm.resources.limits['nvidia.com/gpu'])).toBe('1');
    expect(String(vllm.resources.requests['nvidia.com/gpu'])).toBe('1');
    // And without the GPU, nothing asks for one.
    const cpu = renderStackSync(resources, { release: r, settings: { namespace: 'ns-x', model: MODEL_IDS[0], replicas: 2 }, images: chooseImages(r, 'amd64', 'cpu'), accelerator: 'cpu', hfToken: false });
    const cpuValues = YAML.parse(cpu.find((f) => f.name === 'ms-values.yaml')!.content) as Record<string, unknown>;
    expect(JSON.stringify(llmdModelservice.render({ name: r.charts.ms!.release, namespace: 'ns-x' }, cpuValues))).not.toContain('nvidia.com/gpu');
  });

  it('Configure’s defaults for KV cache and the decode wait are what the rendered model server gets, per release and model', () => {
    // The decode container as the cluster will see it: rendered directly (0.9) or by the modelservice chart (0.4).
    const decodeContainer = (r: StackRelease, model: (typeof MODEL_IDS)[number]): Json => {
      const files = renderStackSync(resources, { release: r, settings: { namespace: 'ns-x', model, replicas: 1 }, images: chooseImages(r, 'amd64', 'cpu'), accelerator: 'cpu', hfToken: false });
      const direct = files.find((f) => f.name === 'modelservers.yaml');
      const objects = direct
        ? YAML.parseAllDocuments(direct.content).map((d) => d.toJSON() as Json)
        : llmdModelservice.render({ name: r.charts.ms!.release, namespace: 'ns-x' }, YAML.parse(files.find((f) => f.name === 'ms-values.yaml')!.content) as Record<string, unknown>) as Json[];
      const deploy = objects.find((o) => o.kind === 'Deployment' && (o.spec?.template?.spec?.containers ?? []).some((c: Json) => c.name === r.containers.modelServer))!;
      return deploy.spec.template.spec.containers.find((c: Json) => c.name === r.containers.modelServer);
    };
    for (const r of releases) {
      const summary = summarizeRelease(r, 'amd64', 'cpu');
      for (const model of MODEL_IDS) {
        const c = decodeContainer(r, model);
        const kv = c.env.find((e: Json) => e.name === 'VLLM_CPU_KVCACHE_SPACE')?.value;
        expect(summary.kvCacheGiB?.[model], `${r.id} ${model} KV cache`).toBe(kv === undefined ? 4 : Number(kv));
        const p = c.startupProbe;
        // The kubelet's own budget for the start, plus the install's 5 min margin, in whole minutes.
        expect(summary.decodeWaitMinutes?.[model], `${r.id} ${model} decode wait`).toBe(Math.ceil((p.initialDelaySeconds + p.failureThreshold * p.periodSeconds + 300) / 60));
      }
      // The CUDA image sizes its own KV cache: no default to show.
      if (!summary.problem) expect(summarizeRelease(r, 'amd64', 'nvidia').kvCacheGiB).toBeUndefined();
    }
  });

  it('the flag check refuses a flag newer than the image (the guide’s old amd64 vLLM v0.9.3 and --kv-cache-memory-bytes)', () => {
    const r = releases.find((x) => x.id === 'llm-d-0.4-cpu-guide')!;
    expect(unsupportedVllmFlags(r, '0.9.3', ['--model', 'x', '--kv-cache-memory-bytes', '1'])).toEqual([
      { flag: '--kv-cache-memory-bytes', why: expect.stringContaining('needs vLLM ≥') },
    ]);
    expect(unsupportedVllmFlags(r, '0.11.1', ['--no-such-flag'])[0]!.why).toContain('not in the release');
  });

  it('the CRD field check catches what the API server would prune or refuse', () => {
    const r = releases.find((x) => x.id === 'llm-d-0.4-cpu-guide')!;
    const rule = crdRule(r, 'gateway.networking.k8s.io/v1', 'HTTPRoute');
    expect(checkFields({ rules: [{ backendRefs: [{ name: 'p', prot: 8000 }], timeouts: { request: '0' }, matches: [{ path: { type: 'Prefix', value: '/' } }] }] }, rule)).toEqual([
      'spec.rules[0].backendRefs[0].prot: not a field of this CRD version',
      'spec.rules[0].timeouts.request: "0" does not match /^([0-9]{1,5}(h|m|s|ms)){1,4}$/',
      'spec.rules[0].matches[0].path.type: "Prefix" is not one of Exact, PathPrefix, RegularExpression',
    ]);
  });

  it('the non-model requests the fit counts are the ones the release’s own values templates set', () => {
    const template = (r: StackRelease, name: string): Json | undefined => (r.templates.includes(name) ? YAML.parse(readTemplate(resources, r, name)) as Json : undefined);
    const recorded = (r: StackRelease, pod: string) => {
      const hit = r.podRequests.find((p) => p.pod === pod);
      expect(hit, `${r.id}: no podRequests entry "${pod}"`).toBeDefined();
      return { cpu: hit!.cpu, memory: hit!.memory };
    };
    for (const r of releases) {
      expect(recorded(r, 'Prometheus (prometheus)'), r.id).toEqual(template(r, 'monitoring-values.yaml')?.prometheus.prometheusSpec.resources.requests);
      const router = template(r, 'router-values.yaml');
      if (router) {
        expect(recorded(r, 'router (epp)'), r.id).toEqual(router.router.epp.resources.requests);
        expect(recorded(r, 'router (proxy)'), r.id).toEqual(router.router.proxy.resources.requests);
      }
      const gaie = template(r, 'gaie-values.yaml');
      if (gaie) expect([gaie.inferenceExtension.resources, recorded(r, 'EPP (epp)')], r.id).toEqual([undefined, { cpu: '0', memory: '0' }]);
      // What the fit adds up: every entry, parsed as Kubernetes quantities.
      const sum = stackRequests(r);
      expect(sum.cpuMilli, r.id).toBeGreaterThan(0);
      expect(sum.pods, r.id).toContain('Prometheus (prometheus)');
    }
    expect(stackRequests(releases.find((r) => r.id === 'llm-d-0.9-optimized-baseline')!)).toEqual({ cpuMilli: 1250, memoryMiB: 2304, pods: ['router (epp)', 'router (proxy)', 'Prometheus (prometheus)'] });
  });

  it('a broken release folder is a clear error naming the file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'release-'));
    const bad = path.join(dir, 'bad-release');
    fs.mkdirSync(bad);
    fs.writeFileSync(path.join(bad, 'release.yaml'), 'id: bad-release\ntitle: x\n');
    expect(() => readRelease(bad)).toThrow(/bad-release.*release\.yaml is invalid/s);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
