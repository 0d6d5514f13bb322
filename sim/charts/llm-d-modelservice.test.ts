// The llm-d-modelservice v0.3.8 render passes through exactly the container keys the chart's templates read
// (charts/llm-d-modelservice/templates/_helpers.tpl at tag llm-d-modelservice-v0.3.8).
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../apiserver/types.js';
import { llmdModelservice } from './llm-d-modelservice.js';

const REL = { name: 'ms-cpu-inference', namespace: 'llm-d-cpu-inference' };
type C = { name: string; image: string; args?: string[]; command?: string[]; env: Array<{ name: string; value?: string }>; resources: { limits: Record<string, string>; requests: Record<string, string> }; volumeMounts?: Array<{ name: string }> } & Record<string, unknown>;
type PodSpec = { initContainers?: Array<{ name: string; args: string[] }>; containers: C[]; volumes: Array<{ name: string }> };
const deploy = (objs: KubeObject[], role = 'decode') => objs.find((o) => o.kind === 'Deployment' && o.metadata.name === `ms-cpu-inference-llm-d-modelservice-${role}`);
const pod = (values: Record<string, unknown>) => (deploy(llmdModelservice.render(REL, values))?.spec as { template: { spec: PodSpec } }).template.spec;
const vllm = { name: 'vllm', image: 'quay.io/petecheslock/llm-d-cpu:v0.4.0-arm64', modelCommand: 'custom', command: ['python3', '-m', 'vllm.entrypoints.openai.api_server'], args: ['--port', '8200'] };
const cpu = (extra: Record<string, unknown> = {}) => ({ accelerator: { type: 'cpu' }, modelArtifacts: { uri: 'hf://TinyLlama/TinyLlama-1.1B-Chat-v1.0', name: 'TinyLlama/TinyLlama-1.1B-Chat-v1.0', size: '4Gi' }, prefill: { create: false }, ...extra });

describe('llm-d-modelservice v0.3.8', () => {
  it('passes only the keys the container template reads: device, lifecycle, resources.claims are dropped', () => {
    const c = pod(cpu({ decode: { containers: [{ ...vllm, device: 'cpu', lifecycle: { preStop: { exec: { command: ['x'] } } }, volumeDevices: [], workingDir: '/w', mountModelVolume: true,
      resources: { limits: { cpu: '4' }, requests: { cpu: '1' }, claims: [{ name: 'x' }] } }] } })).containers[0];
    expect(c).not.toHaveProperty('device');
    expect(c).not.toHaveProperty('lifecycle');
    expect(c).not.toHaveProperty('volumeDevices');
    expect(c).not.toHaveProperty('mountModelVolume');
    expect(c).not.toHaveProperty('modelCommand');
    expect(c?.resources).toEqual({ limits: { cpu: '4' }, requests: { cpu: '1' } });
    expect(c?.workingDir).toBe('/w');
    expect(c?.command).toEqual(vllm.command);
  });

  it('always sets DP_SIZE/TP_SIZE/DP_SIZE_LOCAL; HF_HOME only with mountModelVolume', () => {
    const env = (mount: boolean) => pod(cpu({ decode: { containers: [{ ...vllm, mountModelVolume: mount }] } })).containers[0]?.env.map((e) => e.name);
    expect(env(true)).toEqual(['DP_SIZE', 'TP_SIZE', 'DP_SIZE_LOCAL', 'HF_HOME']);
    expect(env(false)).toEqual(['DP_SIZE', 'TP_SIZE', 'DP_SIZE_LOCAL']);
  });

  it('accelerator.type nvidia (the chart default) adds nvidia.com/gpu = dataLocal × tensor to every decode container\'s limits and requests', () => {
    const spec = pod({ modelArtifacts: { uri: 'hf://m/x', name: 'm/x' }, prefill: { create: false },
      decode: { parallelism: { tensor: 2 }, containers: [{ ...vllm, resources: { limits: { memory: '8Gi' } } }, { name: 'extra', image: 'busybox', modelCommand: 'custom', command: ['sleep'] }] } });
    expect(spec.containers[0]?.resources).toEqual({ limits: { memory: '8Gi', 'nvidia.com/gpu': '2' }, requests: { 'nvidia.com/gpu': '2' } });
    expect(spec.containers[1]?.resources.limits['nvidia.com/gpu']).toBe('2');
    expect(spec.initContainers?.[0]).toMatchObject({ name: 'routing-proxy', resources: {} });
    // cpu, and the llm-d-inference-sim image, get no accelerator resource.
    expect(pod(cpu({ decode: { containers: [vllm] } })).containers[0]?.resources).toEqual({ limits: {}, requests: {} });
    expect(pod({ prefill: { create: false }, decode: { containers: [{ name: 'vllm', image: 'ghcr.io/llm-d/llm-d-inference-sim:v0.6.1', modelCommand: 'imageDefault' }] } }).containers[0]?.resources).toEqual({ limits: {}, requests: {} });
    expect(pod({ accelerator: { type: 'amd' }, prefill: { create: false }, decode: { containers: [vllm] } }).containers[0]?.resources.limits).toEqual({ 'amd.com/gpu': '1' });
  });

  it('routing.proxy.enabled exists: false drops the sidecar and vLLM listens on the service port', () => {
    const spec = pod(cpu({ routing: { servicePort: 8000, proxy: { enabled: false } }, decode: { containers: [{ name: 'vllm', image: 'x', modelCommand: 'vllmServe' }] } }));
    expect(spec.initContainers).toBeUndefined();
    expect(spec.containers[0]?.args).toEqual(['TinyLlama/TinyLlama-1.1B-Chat-v1.0', '--port', '8000', '--served-model-name', 'TinyLlama/TinyLlama-1.1B-Chat-v1.0']);
    expect(spec.containers[0]?.command).toEqual(['vllm', 'serve']);
  });

  it('sidecar flags follow the keys present: chart defaults give zap json/debug and --secure-proxy=false; null removes them', () => {
    expect(pod(cpu({ decode: { containers: [vllm] } })).initContainers?.[0]?.args).toEqual(['--port=8000', '--vllm-port=8200', '--connector=nixlv2', '--zap-encoder=json', '--zap-log-level=debug', '--secure-proxy=false']);
    expect(pod(cpu({ routing: { proxy: { zapEncoder: null, zapLogLevel: null } }, decode: { containers: [vllm] } })).initContainers?.[0]?.args).toEqual(['--port=8000', '--vllm-port=8200', '--connector=nixlv2', '--secure-proxy=false']);
  });

  it('imageDefault passes --model/--port/--served-model-name before the user args', () => {
    expect(pod(cpu({ decode: { containers: [{ name: 'vllm', image: 'x', modelCommand: 'imageDefault', args: ['--max-model-len', '2048'] }] } })).containers[0]?.args)
      .toEqual(['--model', 'TinyLlama/TinyLlama-1.1B-Chat-v1.0', '--port', '8200', '--served-model-name', 'TinyLlama/TinyLlama-1.1B-Chat-v1.0', '--max-model-len', '2048']);
  });

  it('labels: the Deployment carries the chart labels, the pods the model labels + role; appVersion v0.3.0', () => {
    const objs = llmdModelservice.render(REL, cpu({ decode: { containers: [vllm] } }));
    const d = deploy(objs);
    expect(d?.metadata.labels).toEqual({ 'helm.sh/chart': 'llm-d-modelservice-v0.3.8', 'app.kubernetes.io/version': 'v0.3.0', 'app.kubernetes.io/managed-by': 'Helm' });
    expect((d?.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels)
      .toEqual({ 'llm-d.ai/inferenceServing': 'true', 'llm-d.ai/model': 'random_model', 'llm-d.ai/role': 'decode' });
  });

  it('prefill.create defaults to true with 0 replicas, as the chart renders it', () => {
    const objs = llmdModelservice.render(REL, { accelerator: { type: 'cpu' }, decode: { containers: [vllm] } });
    expect((deploy(objs, 'prefill')?.spec as { replicas: number }).replicas).toBe(0);
  });

  it('multinode renders LeaderWorkerSets instead of Deployments', () => {
    expect(llmdModelservice.render(REL, cpu({ multinode: true, decode: { containers: [vllm] } })).map((o) => o.kind)).toEqual(['ServiceAccount', 'LeaderWorkerSet']);
  });
});
