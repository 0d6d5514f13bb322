// Resource types the simulated cluster's controllers read and write through the ObjectStore.
import type { ResourceType } from '../apiserver/types.js';

export const T = {
  pods: { group: '', version: 'v1', resource: 'pods' },
  events: { group: '', version: 'v1', resource: 'events' },
  services: { group: '', version: 'v1', resource: 'services' },
  secrets: { group: '', version: 'v1', resource: 'secrets' },
  configmaps: { group: '', version: 'v1', resource: 'configmaps' },
  nodes: { group: '', version: 'v1', resource: 'nodes' },
  namespaces: { group: '', version: 'v1', resource: 'namespaces' },
  deployments: { group: 'apps', version: 'v1', resource: 'deployments' },
  replicasets: { group: 'apps', version: 'v1', resource: 'replicasets' },
  gateways: { group: 'gateway.networking.k8s.io', version: 'v1', resource: 'gateways' },
  gatewayclasses: { group: 'gateway.networking.k8s.io', version: 'v1', resource: 'gatewayclasses' },
  httproutes: { group: 'gateway.networking.k8s.io', version: 'v1', resource: 'httproutes' },
  inferencepools: { group: 'inference.networking.k8s.io', version: 'v1', resource: 'inferencepools' },
  inferencepoolsLegacy: { group: 'inference.networking.x-k8s.io', version: 'v1alpha2', resource: 'inferencepools' },
  prometheuses: { group: 'monitoring.coreos.com', version: 'v1', resource: 'prometheuses' },
} satisfies Record<string, ResourceType>;
