// Loads the kubeconfig the way kubectl does and selects the minikube profile's context IN MEMORY only: we
// never switch the person's current context behind their back (the guide's `kubectl config use-context`
// does; we don't need to). One loader for the engine and the doctor (which reads the person's contexts
// unswitched), so the two can never see different kubeconfigs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KubeConfig, type Cluster, type Context, type User } from '@kubernetes/client-node';
import { ApiException } from '../../../shared/result.js';

export interface ClusterConfigOptions {
  /** The context to talk to (minikube names it after the profile). */
  context: string;
  env?: NodeJS.ProcessEnv;
}

export interface LoadedKubeConfig {
  /** The merged kubeconfig, its current context as the files set it. */
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

/**
 * Merges the files the way kubectl does: files that do not exist (yet: minikube writes its file when it
 * starts) or do not parse contribute nothing, the first file defining a name wins, current-context comes
 * from the first file that sets one. client-node's own merge (loadFromDefault) throws on a name defined
 * twice, which kubectl accepts. Files only, no network.
 */
export function loadKubeConfig(env: NodeJS.ProcessEnv = process.env): LoadedKubeConfig {
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
      continue; // empty or not YAML: kubectl would complain about it; the rest still counts
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

export function loadClusterConfig(opts: ClusterConfigOptions): KubeConfig {
  const { config: kc } = loadKubeConfig(opts.env ?? process.env);
  if (!kc.getContexts().some((c) => c.name === opts.context)) {
    throw new ApiException('KUBE', `The kubeconfig has no context named "${opts.context}".`, 'Start the cluster first (minikube writes that context when it starts).');
  }
  kc.setCurrentContext(opts.context);
  return kc;
}
