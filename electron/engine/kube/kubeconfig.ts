// Loads the kubeconfig the way kubectl does (KUBECONFIG list, else ~/.kube/config) and selects the
// minikube profile's context IN MEMORY only: we never switch the person's current context behind their
// back (the guide's `kubectl config use-context` does; we don't need to).
import fs from 'node:fs';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { ApiException } from '../../../shared/result.js';

export interface ClusterConfigOptions {
  /** The context to talk to (minikube names it after the profile). */
  context: string;
  env?: NodeJS.ProcessEnv;
}

export function loadClusterConfig(opts: ClusterConfigOptions): KubeConfig {
  const env = opts.env ?? process.env;
  const kc = new KubeConfig();
  // client-node reads process.env.KUBECONFIG; pass ours explicitly so tests and the sim can relocate it.
  const saved = process.env.KUBECONFIG;
  try {
    // kubectl skips KUBECONFIG entries that do not exist (yet): minikube creates the file when it starts.
    const files = env.KUBECONFIG !== undefined ? env.KUBECONFIG.split(path.delimiter).filter((f) => f && fs.existsSync(f)) : undefined;
    if (files !== undefined && files.length === 0) {
      // nothing to load: no contexts
    } else {
      if (files !== undefined) process.env.KUBECONFIG = files.join(path.delimiter);
      else delete process.env.KUBECONFIG;
      kc.loadFromDefault();
    }
  } finally {
    if (saved === undefined) delete process.env.KUBECONFIG;
    else process.env.KUBECONFIG = saved;
  }
  if (!kc.getContexts().some((c) => c.name === opts.context)) {
    throw new ApiException('KUBE', `The kubeconfig has no context named "${opts.context}".`, 'Start the cluster first (minikube writes that context when it starts).');
  }
  kc.setCurrentContext(opts.context);
  return kc;
}
