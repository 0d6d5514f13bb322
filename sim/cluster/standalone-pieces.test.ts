// The pieces the Standalone stack needs below the world test: vLLM's command line as llm-d's kustomize
// recipe writes it (positional model, `--k=v` and underscore forms, the v0.26.0 flags), the EPP generation
// and target read from a pod, the new EPP metric names, and the registry catalogue's new images.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../apiserver/types.js';
import { catalogEntry } from '../registry/catalog.js';
import { containerStartupSeconds, FAST_SCENARIO, parseScenario } from '../scenario.js';
import { readFileSync } from 'node:fs';
import { eppGeneration, eppTarget } from './epp.js';
import { eppMetricsText, isStandaloneProxy } from './servers.js';
import { acceptsFlag, unrecognizedArgs, vllmModel, vllmOption, vllmStartFailure } from './vllm-cli.js';

// llm-d v0.9.0 guides/optimized-baseline/modelserver/cpu/vllm patch-vllm.yaml (llm-d-current-facts.md §4).
const RECIPE = {
  name: 'modelserver', image: 'docker.io/vllm/vllm-openai-cpu:v0.26.0', command: ['vllm', 'serve'],
  args: ['meta-llama/Llama-3.2-3B-Instruct', '--disable-access-log-for-endpoints=/health,/metrics,/v1/models', '--disable-hybrid-kv-cache-manager', '--max_model_len=8192'],
};

describe('vLLM command lines of the kustomize recipe', () => {
  it('the model is the positional of `vllm serve`; options are read in every form argparse takes', () => {
    expect(vllmModel(RECIPE)).toBe('meta-llama/Llama-3.2-3B-Instruct');
    expect(vllmOption(RECIPE, '--max-model-len')).toBe('8192');
    expect(vllmOption({ args: ['--max-model-len', '4096'] }, '--max-model-len')).toBe('4096');
    expect(vllmOption(RECIPE, '--disable-access-log-for-endpoints')).toBe('/health,/metrics,/v1/models');
    expect(vllmModel({ args: ['--model', 'a/b', '--port', '8000'] })).toBe('a/b');
    expect(vllmModel({ command: ['vllm', 'serve', 'c/d'], args: ['--port=8000'] })).toBe('c/d');
    expect(vllmModel({ args: ['--port=8000'] })).toBeUndefined();
  });

  it('a vLLM container named modelserver starts as slowly as the scenario\'s vllm entry', () => {
    const fast = parseScenario(readFileSync(FAST_SCENARIO, 'utf8'));
    expect(containerStartupSeconds(fast, 'modelserver', 'vllm')).toBe(210);
    expect(containerStartupSeconds({ ...fast, faults: [{ kind: 'slowStartup', factor: 3, container: 'vllm' }] }, 'modelserver', 'vllm')).toBe(630);
    expect(containerStartupSeconds(fast, 'envoy-proxy')).toBe(5);
  });

  it('vLLM v0.26.0 accepts the recipe; a vLLM before 0.16 refuses --disable-access-log-for-endpoints', () => {
    expect(vllmStartFailure(RECIPE)).toBeUndefined();
    expect(acceptsFlag('0.26.0', '--disable-access-log-for-endpoints=/health')).toBe(true);
    expect(unrecognizedArgs('0.15.1', RECIPE.args)).toEqual(['--disable-access-log-for-endpoints=/health,/metrics,/v1/models']);
    expect(vllmStartFailure({ ...RECIPE, image: 'docker.io/vllm/vllm-openai-cpu:v0.11.2' })?.log.at(-1))
      .toBe('vllm: error: unrecognized arguments: --disable-access-log-for-endpoints=/health,/metrics,/v1/models');
  });
});

const pod = (containers: Array<{ name: string; image: string; args?: string[] }>, namespace = 'llm-d-optimized-baseline'): KubeObject =>
  ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace }, spec: { containers } });

describe('the EPP in a pod', () => {
  it('its generation comes from its image', () => {
    expect(eppGeneration('ghcr.io/llm-d/llm-d-router-endpoint-picker:v0.10.0')).toBe('llm-d-router');
    expect(eppGeneration('registry.k8s.io/gateway-api-inference-extension/epp:v1.2.0-rc.1')).toBe('gaie');
    expect(eppGeneration('ghcr.io/llm-d/llm-d-inference-scheduler:v0.4.0')).toBe('gaie');
  });

  it('its target: the pool its args name, or the endpoint selector without a pool', () => {
    const image = 'ghcr.io/llm-d/llm-d-router-endpoint-picker:v0.10.0';
    expect(eppTarget(pod([{ name: 'epp', image, args: ['--pool-name', 'optimized-baseline', '--pool-namespace', 'ns', '--pool-group', 'inference.networking.k8s.io'] }])))
      .toEqual({ kind: 'pool', name: 'optimized-baseline', namespace: 'ns', legacy: false });
    expect(eppTarget(pod([{ name: 'epp', image, args: ['--endpoint-selector', 'a=b,c=d', '--endpoint-target-ports', '8000,8001'] }])))
      .toEqual({ kind: 'selector', namespace: 'llm-d-optimized-baseline', selector: { a: 'b', c: 'd' }, targetPorts: [8000, 8001] });
    expect(eppTarget(pod([{ name: 'other', image }]))).toBeUndefined();
  });

  it('the standalone Envoy sidecar is recognised by name or image', () => {
    expect(isStandaloneProxy({ name: 'envoy-proxy', image: 'x' })).toBe(true);
    expect(isStandaloneProxy({ name: 'proxy', image: 'docker.io/envoyproxy/envoy:distroless-v1.33.2' })).toBe(true);
    expect(isStandaloneProxy({ name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.28.1' })).toBe(false);
  });

  it('llm-d-router EPPs export llm_d_epp_* beside the deprecated inference_pool_*; GAIE EPPs only the latter', () => {
    const text = eppMetricsText('pool', 2, 0.5, 0.25, 'llm-d-router');
    expect(text).toContain('# HELP llm_d_epp_ready_endpoints [ALPHA] The number of ready endpoints in the inference server pool.\n# TYPE llm_d_epp_ready_endpoints gauge\nllm_d_epp_ready_endpoints{name="pool"} 2');
    expect(text).toContain('llm_d_epp_average_queue_size{name="pool"} 0.5');
    expect(text).toContain('llm_d_epp_average_kv_cache_utilization{name="pool"} 0.25');
    expect(text).toContain('inference_pool_ready_pods{name="pool"} 2');
    expect(eppMetricsText('pool', 2, 0, 0)).not.toContain('llm_d_epp_');
  });
});

describe('registry catalogue: the Standalone stack\'s images', () => {
  it('the EPP, Envoy and vLLM CPU images are multi-arch', () => {
    for (const ref of ['ghcr.io/llm-d/llm-d-router-endpoint-picker:v0.10.0', 'docker.io/envoyproxy/envoy:distroless-v1.33.2', 'docker.io/vllm/vllm-openai-cpu:v0.26.0']) {
      const e = catalogEntry(ref);
      expect(e.pattern, ref).toBe(ref);
      expect(e.platforms).toEqual(['linux/amd64', 'linux/arm64']);
    }
    expect(catalogEntry('docker.io/envoyproxy/envoy:distroless-v1.33.2').source).toContain('⚠');
    expect(catalogEntry('docker.io/vllm/vllm-openai-cpu:v0.26.0').source).toContain('⚠');
  });
});
