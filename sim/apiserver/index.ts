// Public surface of the simulated Kubernetes API server, for the rest of the sim (same process).
export { InMemoryStore, type InMemoryStoreOptions, type WriteOptions } from './store.js';
export { startApiServer, SIM_KUBERNETES_VERSION, type ApiServer, type ApiServerOptions } from './server.js';
export { kubeconfigFor } from './kubeconfig.js';
export { ResourceRegistry, BUILTIN_RESOURCES, CRD_TYPE, NAMESPACE_TYPE, type ResourceInfo } from './resources.js';
export * from './types.js';
