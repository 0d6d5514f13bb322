// Kubeconfig handling as minikube and kubectl do it: the file written is the first entry of KUBECONFIG
// (else ~/.kube/config); minikube adds a cluster, context and user named after the profile, makes the
// context current, and `minikube delete` removes them again. helm and helmfile read the merged view
// and honour --kube-context.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { parse, stringify } from 'yaml';

interface Named<T> { name: string; [k: string]: unknown; cluster?: T; context?: T; user?: T }
interface KubeConfigDoc {
  apiVersion?: string;
  kind?: string;
  clusters?: Array<Named<{ server: string; [k: string]: unknown }>>;
  contexts?: Array<Named<{ cluster: string; user: string; namespace?: string }>>;
  users?: Array<Named<Record<string, unknown>>>;
  'current-context'?: string;
  preferences?: Record<string, unknown>;
}

export function kubeconfigFiles(env: NodeJS.ProcessEnv = process.env): string[] {
  const list = (env.KUBECONFIG ?? '').split(delimiter).filter(Boolean);
  return list.length ? list : [join(env.HOME ?? homedir(), '.kube', 'config')];
}

const read = (file: string): KubeConfigDoc => {
  if (!existsSync(file)) return {};
  return (parse(readFileSync(file, 'utf8')) as KubeConfigDoc | null) ?? {};
};

const write = (file: string, doc: KubeConfigDoc) => {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, stringify({ apiVersion: 'v1', kind: 'Config', preferences: {}, ...doc }), { mode: 0o600 });
};

const upsert = <T extends { name: string }>(list: T[] | undefined, item: T): T[] => [...(list ?? []).filter((x) => x.name !== item.name), item];

/** `keepContext` is minikube's --keep-context: the profile's context is added but not made current. */
export function writeProfileContext(profile: string, server: string, env: NodeJS.ProcessEnv = process.env, keepContext = false): string {
  const file = kubeconfigFiles(env)[0] as string;
  const doc = read(file);
  const ext = [{ name: 'cluster_info', extension: { provider: 'minikube.sigs.k8s.io', version: 'v1.37.0', 'last-update': new Date().toUTCString() } }];
  // The simulated API server speaks plain HTTP; @kubernetes/client-node refuses http:// unless the
  // cluster is marked insecure-skip-tls-verify ("HTTP protocol is not allowed when skipTLSVerify is not set").
  doc.clusters = upsert(doc.clusters, { name: profile, cluster: { server, 'insecure-skip-tls-verify': true, extensions: ext } });
  doc.contexts = upsert(doc.contexts, { name: profile, context: { cluster: profile, user: profile, namespace: 'default', extensions: ext } as never });
  doc.users = upsert(doc.users, { name: profile, user: {} });
  if (!keepContext) doc['current-context'] = profile;
  write(file, doc);
  return file;
}

export function removeProfileContext(profile: string, env: NodeJS.ProcessEnv = process.env): void {
  for (const file of kubeconfigFiles(env)) {
    if (!existsSync(file)) continue;
    const doc = read(file);
    doc.clusters = (doc.clusters ?? []).filter((c) => c.name !== profile);
    doc.contexts = (doc.contexts ?? []).filter((c) => c.name !== profile);
    doc.users = (doc.users ?? []).filter((c) => c.name !== profile);
    if (doc['current-context'] === profile) doc['current-context'] = '';
    write(file, doc);
  }
}

export interface ResolvedContext { context: string; server: string; namespace: string }

/** The merged view kubectl uses: first file that defines a name wins; current-context from the first file that sets it. */
export function resolveContext(contextName?: string, env: NodeJS.ProcessEnv = process.env): ResolvedContext {
  const docs = kubeconfigFiles(env).map(read);
  const current = contextName || docs.map((d) => d['current-context']).find(Boolean);
  if (!current) throw new Error('Kubernetes cluster unreachable: invalid configuration: no configuration has been provided, try setting KUBERNETES_MASTER environment variable');
  const ctx = docs.flatMap((d) => d.contexts ?? []).find((c) => c.name === current)?.context;
  if (!ctx) throw new Error(`Kubernetes cluster unreachable: context "${current}" does not exist`);
  const cluster = docs.flatMap((d) => d.clusters ?? []).find((c) => c.name === ctx.cluster)?.cluster;
  if (!cluster) throw new Error(`Kubernetes cluster unreachable: invalid configuration: cluster "${ctx.cluster}" not found`);
  return { context: current, server: cluster.server, namespace: ctx.namespace ?? 'default' };
}
