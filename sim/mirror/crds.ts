// Minimal but valid CRD manifests for the release files the engine downloads: Gateway API v1.4.0
// standard-install.yaml and GAIE v1.2.0 manifests.yaml (the Dec-2025 guide, llm-d-facts.md §2), and
// Gateway API v1.5.1 standard-install.yaml (with its safe-upgrades ValidatingAdmissionPolicy) and GAIE
// v1.5.0 v1-manifests.yaml (llm-d v0.9.0, llm-d-current-facts.md §2). Names, groups, versions and scopes
// match the real ones; schemas are permissive unless said otherwise.
import { stringify } from 'yaml';
import { crd } from '../charts/chart.js';
import { INFERENCE_POOL_GROUP, INFERENCE_POOL_GROUP_LEGACY } from '../../shared/stack.js';
import { SIM_CRD_MANIFESTS } from '../upstream.js';
import type { KubeObject } from '../apiserver/types.js';

const GW = 'gateway.networking.k8s.io';
const annotate = (o: KubeObject, key: string, value: string): KubeObject => ({ ...o, metadata: { ...o.metadata, annotations: { [key]: value } } });

export const gatewayApiCrds = (): KubeObject[] => [
  crd(GW, 'GatewayClass', 'gatewayclasses', ['v1beta1', 'v1'], 'Cluster', ['gc']),
  crd(GW, 'Gateway', 'gateways', ['v1beta1', 'v1'], 'Namespaced', ['gtw']),
  crd(GW, 'HTTPRoute', 'httproutes', ['v1beta1', 'v1']),
  crd(GW, 'GRPCRoute', 'grpcroutes', ['v1']),
  crd(GW, 'ReferenceGrant', 'referencegrants', ['v1beta1'], 'Namespaced', ['refgrant']),
  crd(GW, 'BackendTLSPolicy', 'backendtlspolicies', ['v1'], 'Namespaced', ['btlspolicy']),
].map((c) => annotate(c, 'gateway.networking.k8s.io/bundle-version', SIM_CRD_MANIFESTS.gatewayApi.version)).map((c) => ({ ...c, metadata: { ...c.metadata, annotations: { ...c.metadata.annotations, 'gateway.networking.k8s.io/channel': 'standard' } } }));

export const gaieCrds = (): KubeObject[] => [
  crd(INFERENCE_POOL_GROUP, 'InferencePool', 'inferencepools', ['v1'], 'Namespaced', ['infpool']),
  crd(INFERENCE_POOL_GROUP_LEGACY, 'InferencePool', 'inferencepools', ['v1alpha2'], 'Namespaced', ['infpool']),
  crd(INFERENCE_POOL_GROUP_LEGACY, 'InferenceObjective', 'inferenceobjectives', ['v1alpha2']),
  crd(INFERENCE_POOL_GROUP_LEGACY, 'InferencePoolImport', 'inferencepoolimports', ['v1alpha1']),
].map((c) => annotate(c, 'inference.networking.k8s.io/bundle-version', SIM_CRD_MANIFESTS.gaie.version));

export const manifest = (objs: KubeObject[], header: string): string => `# ${header}\n${objs.map((o) => `---\n${stringify(o)}`).join('')}`;

// ---- Gateway API v1.5.1 and GAIE v1.5.0: the CRD manifests llm-d v0.9.0 installs (llm-d-current-facts.md §1-§2) ----

interface CrdVersion { name: string; served?: boolean; storage?: boolean }

/** A CRD with explicit versions (served/storage as upstream marks them), categories and a permissive schema unless given. */
function crdOf(group: string, kind: string, plural: string, versions: CrdVersion[], opts: { scope?: 'Namespaced' | 'Cluster'; shortNames?: string[]; categories?: string[]; schema?: Record<string, unknown>; annotations?: Record<string, string> } = {}): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}`, ...(opts.annotations ? { annotations: opts.annotations } : {}) },
    spec: {
      group, scope: opts.scope ?? 'Namespaced',
      names: { ...(opts.categories ? { categories: opts.categories } : {}), kind, listKind: `${kind}List`, plural, ...(opts.shortNames ? { shortNames: opts.shortNames } : {}), singular: kind.toLowerCase() },
      versions: versions.map((v) => ({
        name: v.name, served: v.served ?? true, storage: v.storage ?? false,
        schema: { openAPIV3Schema: opts.schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
        ...((v.served ?? true) ? { subresources: { status: {} } } : {}),
      })),
    },
  };
}

/**
 * Gateway API v1.5.1 standard-install.yaml: hack/build-install-yaml.sh concatenates config/crd/standard/
 * gateway*.yaml in glob order at tag v1.5.1 — eight CRDs (listenersets and tlsroutes new in the standard
 * channel), then gateway.networking.k8s.io_vap_safeupgrades.yaml. Versions, served/storage flags, scopes,
 * short names and the `gateway-api` category as in those files (v1alpha2/v1alpha3 kept unserved).
 */
export const gatewayApiV151Crds = (): KubeObject[] => {
  const annotations = { 'gateway.networking.k8s.io/bundle-version': SIM_CRD_MANIFESTS.gatewayApiV151.version, 'gateway.networking.k8s.io/channel': 'standard' };
  const o = { annotations, categories: ['gateway-api'] };
  return [
    crdOf(GW, 'BackendTLSPolicy', 'backendtlspolicies', [{ name: 'v1', storage: true }, { name: 'v1alpha3', served: false }], { ...o, shortNames: ['btlspolicy'] }),
    crdOf(GW, 'GatewayClass', 'gatewayclasses', [{ name: 'v1', storage: true }, { name: 'v1beta1' }], { ...o, scope: 'Cluster', shortNames: ['gc'] }),
    crdOf(GW, 'Gateway', 'gateways', [{ name: 'v1', storage: true }, { name: 'v1beta1' }], { ...o, shortNames: ['gtw'] }),
    crdOf(GW, 'GRPCRoute', 'grpcroutes', [{ name: 'v1', storage: true }], o),
    crdOf(GW, 'HTTPRoute', 'httproutes', [{ name: 'v1', storage: true }, { name: 'v1beta1' }], o),
    crdOf(GW, 'ListenerSet', 'listenersets', [{ name: 'v1', storage: true }], { ...o, shortNames: ['lset'] }),
    // v1 served but v1beta1 is still the storage version in v1.5.1.
    crdOf(GW, 'ReferenceGrant', 'referencegrants', [{ name: 'v1' }, { name: 'v1beta1', storage: true }], { ...o, shortNames: ['refgrant'] }),
    crdOf(GW, 'TLSRoute', 'tlsroutes', [{ name: 'v1', storage: true }, { name: 'v1alpha2', served: false }, { name: 'v1alpha3', served: false }], o),
  ];
};

export const SAFE_UPGRADES = 'safe-upgrades.gateway.networking.k8s.io';

/**
 * config/crd/standard/gateway.networking.k8s.io_vap_safeupgrades.yaml at tag v1.5.1, verbatim in substance:
 * the ValidatingAdmissionPolicy (failurePolicy Fail; CREATE/UPDATE of apiextensions.k8s.io resources) with
 * its two CEL validations — standard→experimental channel downgrade, and bundle-version v1.0–v1.4 (or v0)
 * — and the Deny binding on customresourcedefinitions. Its own annotation says `v1.5.0-dev` in the tagged
 * file (the release script copies the file as is). The API server enforces it (sim/apiserver/admission.ts).
 */
export const safeUpgradesPolicy = (): KubeObject[] => {
  const annotations = { 'gateway.networking.k8s.io/bundle-version': 'v1.5.0-dev', 'gateway.networking.k8s.io/channel': 'standard' };
  return [
    {
      apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicy', metadata: { name: SAFE_UPGRADES, annotations },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: { resourceRules: [{ apiGroups: ['apiextensions.k8s.io'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['*'] }] },
        validations: [
          {
            expression: "object.spec.group != 'gateway.networking.k8s.io' || oldObject == null || ( has(object.metadata.annotations) && object.metadata.annotations.exists(k, k == 'gateway.networking.k8s.io/channel') && object.metadata.annotations['gateway.networking.k8s.io/channel'] == 'standard' ) || ( oldObject != null && has(oldObject.metadata.annotations) && oldObject.metadata.annotations.exists(k, k == 'gateway.networking.k8s.io/channel') && oldObject.metadata.annotations['gateway.networking.k8s.io/channel'] == 'experimental' )",
            message: 'Installing experimental CRDs on top of standard channel CRDs is prohibited by default. Uninstall ValidatingAdmissionPolicy safe-upgrades.gateway.networking.k8s.io to install experimental CRDs on top of standard channel CRDs.',
            reason: 'Invalid',
          },
          {
            expression: "object.spec.group != 'gateway.networking.k8s.io' || (has(object.metadata.annotations) && object.metadata.annotations.exists(k, k == 'gateway.networking.k8s.io/bundle-version') && !matches(object.metadata.annotations['gateway.networking.k8s.io/bundle-version'], 'v1.[0-4].\\\\d+') && !matches(object.metadata.annotations['gateway.networking.k8s.io/bundle-version'], 'v0'))",
            message: 'Installing CRDs with version before v1.5.0 is prohibited by default. Uninstall ValidatingAdmissionPolicy safe-upgrades.gateway.networking.k8s.io to install older versions.',
            reason: 'Invalid',
          },
        ],
      },
    },
    {
      apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding', metadata: { name: SAFE_UPGRADES, annotations },
      spec: {
        policyName: SAFE_UPGRADES, validationActions: ['Deny'],
        matchResources: { resourceRules: [{ apiGroups: ['apiextensions.k8s.io'], apiVersions: ['v1'], resources: ['customresourcedefinitions'], operations: ['CREATE', 'UPDATE'] }] },
      },
    },
  ];
};

/**
 * GAIE v1.5.0 v1-manifests.yaml: the Makefile `artifacts` target keeps the CRDs of manifests.yaml having a
 * `v1` version — only inferencepools.inference.networking.k8s.io (config/crd/bases at tag v1.5.0; the x-k8s
 * InferencePool was dropped in v1.5.0, PR #2796). The schema keeps the fields the sim and the router chart
 * care about: appProtocol (enum http | kubernetes.io/h2c, default http; new in v1.4.0) and
 * endpointPickerRef.failureMode (enum FailOpen | FailClose, default FailClose).
 */
export const gaieV150Crds = (): KubeObject[] => [
  crdOf(INFERENCE_POOL_GROUP, 'InferencePool', 'inferencepools', [{ name: 'v1', storage: true }], {
    shortNames: ['infpool'],
    annotations: { 'api-approved.kubernetes.io': 'https://github.com/kubernetes-sigs/gateway-api-inference-extension/pull/1173', 'inference.networking.k8s.io/bundle-version': SIM_CRD_MANIFESTS.gaieV150.version },
    schema: {
      type: 'object',
      properties: {
        apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' },
        spec: {
          type: 'object', required: ['endpointPickerRef', 'selector', 'targetPorts'], 'x-kubernetes-preserve-unknown-fields': true,
          properties: {
            appProtocol: { type: 'string', default: 'http', enum: ['http', 'kubernetes.io/h2c'] },
            endpointPickerRef: { type: 'object', required: ['name'], 'x-kubernetes-preserve-unknown-fields': true, properties: { failureMode: { type: 'string', default: 'FailClose', enum: ['FailOpen', 'FailClose'] } } },
          },
        },
        status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      },
    },
  }),
];
