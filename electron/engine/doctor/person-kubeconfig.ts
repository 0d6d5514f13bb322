// The person's own kubeconfig for the doctor's kube-context rule: kube/kubeconfig.ts loadKubeConfig (merged
// the way kubectl merges it, never switched) — the engine's KubeConfig is switched to the profile's context
// and is not there at all when that context is missing, the very case the rule looks for.
import { loadKubeConfig, type LoadedKubeConfig } from '../kube/kubeconfig.js';
import type { KubeSnapshot } from './snapshot.js';

export type PersonKubeConfig = LoadedKubeConfig;
export const personKubeConfig = (env: NodeJS.ProcessEnv = process.env): PersonKubeConfig => loadKubeConfig(env);

/** What the kube-context rule reads from it. */
export function kubeSnapshot(k: PersonKubeConfig): KubeSnapshot {
  const contexts = k.config.getContexts();
  const current = k.config.getCurrentContext() || undefined;
  return {
    files: k.files,
    contexts: contexts.map((c) => c.name),
    ...(current ? { current } : {}),
    clusterOf: Object.fromEntries(contexts.map((c) => {
      const server = k.config.getCluster(c.cluster)?.server;
      return [c.name, { cluster: c.cluster, ...(server ? { server } : {}) }];
    })),
  };
}
