// Names and versions of the deployed stack, in one place (DESIGN.md §9). Facts from
// ../shared/reference/llm-d-facts.md; the engine, the templates in resources/ and the simulated
// world all read these instead of repeating literals.

export const PROFILE_DEFAULT = 'llm-d-cpu';
export const NAMESPACE_DEFAULT = 'llm-d-cpu-inference';
/** The release new installs get (resources/releases/<id>). */
export const DEFAULT_RELEASE_ID = 'llm-d-0.4-cpu-guide';

export const MONITORING_NAMESPACE = 'llm-d-monitoring';
export const ISTIO_NAMESPACE = 'istio-system';

export const VERSIONS = {
  gatewayApi: 'v1.4.0',
  gaieCrds: 'v1.2.0',
  istio: '1.28.1',
  llmdInfra: 'v1.3.4',
  inferencepool: 'v1.2.0-rc.1',
  modelservice: 'v0.3.8',
} as const;

export const RELEASES = {
  infra: 'infra-cpu-inference',
  gaie: 'gaie-cpu-inference',
  ms: 'ms-cpu-inference',
  istioBase: 'istio-base',
  istiod: 'istiod',
  monitoring: 'llmd',
} as const;

export const CHARTS = {
  infra: { repo: 'llm-d-infra', url: 'https://llm-d-incubation.github.io/llm-d-infra/', chart: 'llm-d-infra/llm-d-infra', version: VERSIONS.llmdInfra },
  gaie: { chart: 'oci://registry.k8s.io/gateway-api-inference-extension/charts/inferencepool', version: VERSIONS.inferencepool },
  ms: { repo: 'llm-d-modelservice', url: 'https://llm-d-incubation.github.io/llm-d-modelservice/', chart: 'llm-d-modelservice/llm-d-modelservice', version: VERSIONS.modelservice },
  istioBase: { repo: 'istio', url: 'https://istio-release.storage.googleapis.com/charts', chart: 'istio/base', version: VERSIONS.istio },
  istiod: { repo: 'istio', url: 'https://istio-release.storage.googleapis.com/charts', chart: 'istio/istiod', version: VERSIONS.istio },
  monitoring: { repo: 'prometheus-community', url: 'https://prometheus-community.github.io/helm-charts', chart: 'prometheus-community/kube-prometheus-stack' },
} as const;

/** Object names the charts render (llm-d-facts.md §1, §5). */
export const NAMES = {
  gateway: 'infra-cpu-inference-inference-gateway',
  gatewayService: 'infra-cpu-inference-inference-gateway-istio',
  gatewayServicePort: 80,
  epp: 'gaie-cpu-inference-epp',
  eppGrpcPort: 9002,
  eppMetricsPort: 9090,
  inferencePool: 'gaie-cpu-inference',
  decodeDeployment: 'ms-cpu-inference-llm-d-modelservice-decode',
  httpRoute: 'llm-d-cpu-inference',
  prometheusService: 'llmd-kube-prometheus-stack-prometheus',
  prometheusPort: 9090,
  grafanaService: 'llmd-grafana',
  grafanaPort: 80,
  /** routing-proxy sidecar port (the InferencePool target port). */
  decodeProxyPort: 8000,
  /** vLLM's own port inside the decode pod (container port named `metrics`). */
  decodeVllmPort: 8200,
} as const;

/** Label selectors the guide waits on (llm-d-facts.md §4 step 8). */
export const SELECTORS = {
  epp: 'inferencepool=gaie-cpu-inference-epp',
  gateway: 'app.kubernetes.io/component=inference-gateway',
  decode: 'llm-d.ai/inferenceServing=true',
  istiod: 'app=istiod',
} as const;

export const INFERENCE_POOL_GROUP = 'inference.networking.k8s.io';
export const INFERENCE_POOL_GROUP_LEGACY = 'inference.networking.x-k8s.io';

/** Official release locations of the CRD manifests (llm-d-facts.md §2). */
export const CRD_MANIFESTS = {
  gatewayApi: `https://github.com/kubernetes-sigs/gateway-api/releases/download/${VERSIONS.gatewayApi}/standard-install.yaml`,
  gaie: `https://github.com/kubernetes-sigs/gateway-api-inference-extension/releases/download/${VERSIONS.gaieCrds}/manifests.yaml`,
} as const;

/**
 * Images per host architecture. The guide's images are arm64-only (built by its build-and-push script);
 * on amd64 we use upstream multi-arch builds (llm-d-facts.md §1 "Images used"). The vLLM CPU image
 * decides the KV-cache metric name: vLLM >= 0.10 exposes vllm:kv_cache_usage_perc, older ones
 * vllm:gpu_cache_usage_perc, and the EPP flag must name the one the image serves (§6).
 * Registry availability could not be checked from our machines; every image is overridable in settings.
 */
export interface StackImages {
  vllm: string;
  routingSidecar: string;
  /** EPP image as the inferencepool chart wants it: hub / name : tag. */
  epp: { hub: string; name: string; tag: string };
  kvCacheMetric: 'vllm:kv_cache_usage_perc' | 'vllm:gpu_cache_usage_perc';
  /** The routing sidecar build understands the zap logging flags (the guide's local arm64 build does not). */
  sidecarSupportsZapFlags: boolean;
}

export const IMAGES: Record<'arm64' | 'amd64', StackImages> = {
  arm64: {
    vllm: 'quay.io/petecheslock/llm-d-cpu:v0.4.0-arm64',
    routingSidecar: 'quay.io/petecheslock/llm-d-routing-sidecar:v0.4.0-rc.1-arm64',
    epp: { hub: 'quay.io/petecheslock', name: 'gateway-api-inference-extension-epp', tag: 'v1.2.0-rc.1-arm64' },
    kvCacheMetric: 'vllm:kv_cache_usage_perc',
    sidecarSupportsZapFlags: false,
  },
  amd64: {
    vllm: 'public.ecr.aws/q9t5s3a7/vllm-cpu-release-repo:v0.9.3',
    routingSidecar: 'ghcr.io/llm-d/llm-d-routing-sidecar:v0.4.0',
    epp: { hub: 'ghcr.io/llm-d', name: 'llm-d-inference-scheduler', tag: 'v0.4.0' },
    kvCacheMetric: 'vllm:gpu_cache_usage_perc',
    sidecarSupportsZapFlags: true,
  },
};

/** EPP verbosity at which it logs one "Request handled" line per request (llm-d-facts.md §7). */
export const EPP_ROUTING_LOG_VERBOSITY = 3;
/** Secret holding the Hugging Face token, created only when a token is set. */
export const HF_TOKEN_SECRET = 'llm-d-hf-token';
