// What the simulated world knows of upstream releases: the chart versions its chart models render and the
// CRD manifests its mirror serves, each with the upstream source it models. These are facts about the
// world the sim stands in for — deliberately not read from resources/releases (the app's own beliefs),
// so a release that names a version the real world lacks fails here as it would for real.

/** Chart versions the sim's chart models render (sim/charts/*). */
export const SIM_CHART_VERSIONS = {
  /** istio/base and istio/istiod (istio-release charts index). */
  istio: '1.28.1',
  /** llm-d-incubation/llm-d-infra tag v1.3.4 (gh-pages index.yaml). */
  llmdInfra: 'v1.3.4',
  /** GAIE tag v1.2.0-rc.1, config/charts/inferencepool (oci://registry.k8s.io/gateway-api-inference-extension/charts). */
  inferencepool: 'v1.2.0-rc.1',
  /** llm-d-incubation/llm-d-modelservice tag llm-d-modelservice-v0.3.8. */
  modelservice: 'v0.3.8',
  /**
   * llm-d/llm-d-router tag v0.10.0 (commit 71f4f0999f95, 2026-08-17): oci://ghcr.io/llm-d/charts/llm-d-router-standalone
   * (and -gateway), version = appVersion = the tag (hack/push-chart.sh); llm-d v0.9.0 pins it (guides/env.sh ROUTER_CHART_VERSION).
   */
  llmdRouter: 'v0.10.0',
} as const;

/** CRD release manifests the sim mirror serves (release assets of the upstream projects). */
export const SIM_CRD_MANIFESTS = {
  gatewayApi: { version: 'v1.4.0', url: 'https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.4.0/standard-install.yaml' },
  gaie: { version: 'v1.2.0', url: 'https://github.com/kubernetes-sigs/gateway-api-inference-extension/releases/download/v1.2.0/manifests.yaml' },
  /** llm-d v0.9.0 guides/env.sh GATEWAY_API_VERSION=v1.5.1: the standard channel with the safe-upgrades ValidatingAdmissionPolicy. */
  gatewayApiV151: { version: 'v1.5.1', url: 'https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.5.1/standard-install.yaml' },
  /** llm-d v0.9.0 guides/env.sh GAIE_VERSION=v1.5.0: only the CRDs with a v1 version (InferencePool). */
  gaieV150: { version: 'v1.5.0', url: 'https://github.com/kubernetes-sigs/gateway-api-inference-extension/releases/download/v1.5.0/v1-manifests.yaml' },
} as const;

/** The label every decode pod carries, in llm-d-modelservice and in llm-d's kustomize recipes alike. */
export const DECODE_ROLE_LABEL = { key: 'llm-d.ai/role', value: 'decode' } as const;
