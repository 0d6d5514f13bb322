// Minimal but valid CRD manifests for the two release files the engine downloads (llm-d-facts.md §2):
// Gateway API v1.4.0 standard-install.yaml and GAIE v1.2.0 manifests.yaml. Names, groups, versions and
// scopes match the real ones; schemas are permissive.
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
