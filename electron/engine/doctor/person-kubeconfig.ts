// The person's own kubeconfig for the doctor's kube-context rule: read the way kubectl merges it (every
// file of KUBECONFIG, else ~/.kube/config; the first file defining a name wins; current-context from the
// first file that sets one) and never switched. The engine's own KubeConfig (kube/kubeconfig.ts) cannot
// serve: it is switched to the profile's context, and it is not there at all when that context is missing
// — the very case the rule looks for. Files only, no network.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KubeConfig, type Cluster, type Context, type User } from '@kubernetes/client-node';
import type { KubeSnapshot } from './snapshot.js';

export interface PersonKubeConfig {
  config: KubeConfig;
  /** The files it was read from (or, when none exists yet, where minikube will write). */
  files: string[];
}

/** The files kubectl reads: KUBECONFIG's entries, else ~/.kube/config. */
export function kubeconfigFiles(env: NodeJS.ProcessEnv): string[] {
  const listed = (env.KUBECONFIG ?? '').split(path.delimiter).filter(Boolean);
  return listed.length ? listed : [path.join(env.HOME || os.homedir(), '.kube', 'config')];
}

const firstByName = <T extends { name: string }>(into: Map<string, T>, items: T[]): void => {
  for (const i of items) if (!into.has(i.name)) into.set(i.name, i);
};

/** Loads the person's kubeconfig as kubectl sees it; a missing or unreadable file contributes nothing. */
export function personKubeConfig(env: NodeJS.ProcessEnv = process.env): PersonKubeConfig {
  const listed = kubeconfigFiles(env);
  const existing = listed.filter((f) => fs.existsSync(f));
  const clusters = new Map<string, Cluster>();
  const contexts = new Map<string, Context>();
  const users = new Map<string, User>();
  let current: string | undefined;
  for (const file of existing) {
    const kc = new KubeConfig();
    try {
      kc.loadFromFile(file);
    } catch {
      continue; // empty or not YAML: kubectl would complain about it; the doctor reads the rest
    }
    firstByName(clusters, kc.getClusters());
    firstByName(contexts, kc.getContexts());
    firstByName(users, kc.getUsers());
    current ??= kc.getCurrentContext() || undefined;
  }
  const config = new KubeConfig();
  config.loadFromOptions({ clusters: [...clusters.values()], contexts: [...contexts.values()], users: [...users.values()], currentContext: current ?? '' });
  return { config, files: existing.length ? existing : listed.slice(0, 1) };
}

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
