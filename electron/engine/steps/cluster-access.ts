// How the cluster steps reach the cluster: the profile's context loaded in memory (never switching the
// person's current context) and cheap reachability and read helpers for detect() — one kubeconfig load
// and a few GETs, no tool processes.
import { CoreV1Api, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { ApiException } from '../../../shared/result.js';
import { statusCodeOf } from '../kube/errors.js';
import { loadClusterConfig } from '../kube/kubeconfig.js';
import { labelMatcher, summarizePod } from '../kube/pod-summary.js';
import type { StepContext } from '../plan/step.js';
import type { PodSummary } from '../../../shared/api/cluster.js';

type Ctx = Pick<StepContext, 'settings' | 'env'>;

/** The profile's kubeconfig context, or undefined when minikube has not written it (no cluster yet). */
export function clusterConfig(ctx: Ctx): KubeConfig | undefined {
  try {
    return loadClusterConfig({ context: ctx.settings.profile, env: ctx.env });
  } catch (e) {
    if (e instanceof ApiException && e.code === 'KUBE') return undefined;
    throw e;
  }
}

/** The profile's context, or a clear error when the cluster step has not run. */
export function requireCluster(ctx: Ctx): KubeConfig {
  const kc = clusterConfig(ctx);
  if (!kc) throw new ApiException('KUBE', `There is no kubeconfig context "${ctx.settings.profile}".`, 'Start the cluster first (the "Start the cluster" step).');
  return kc;
}

/** Whether the API server answers and the minikube node (named after the profile) is Ready. */
export async function nodeReady(kc: KubeConfig, profile: string): Promise<{ ok: boolean; why?: string }> {
  try {
    const node = await kc.makeApiClient(CoreV1Api).readNode({ name: profile });
    const ready = (node.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
    return ready ? { ok: true } : { ok: false, why: `node ${profile} is not Ready` };
  } catch (e) {
    const code = statusCodeOf(e);
    return { ok: false, why: code !== undefined ? `the API server answered ${code}` : 'the API server does not answer' };
  }
}

/** A usable cluster for detect(): undefined (with why) when there is none or it does not answer. */
export async function liveCluster(ctx: Ctx): Promise<{ kc: KubeConfig } | { kc?: undefined; why: string }> {
  const kc = clusterConfig(ctx);
  if (!kc) return { why: `no cluster "${ctx.settings.profile}" yet` };
  const r = await nodeReady(kc, ctx.settings.profile);
  return r.ok ? { kc } : { why: `cluster "${ctx.settings.profile}" is not running (${r.why ?? 'unknown'})` };
}

/** helm's release records (Secrets labelled owner=helm) in a namespace: name → status of the newest revision. */
export async function helmReleases(kc: KubeConfig, namespace: string): Promise<Map<string, string>> {
  const list = await kc.makeApiClient(CoreV1Api).listNamespacedSecret({ namespace, labelSelector: 'owner=helm' });
  const newest = new Map<string, { version: number; status: string }>();
  for (const s of list.items) {
    const l = s.metadata?.labels ?? {};
    const name = l.name;
    if (!name) continue;
    const version = Number(l.version ?? 0);
    if ((newest.get(name)?.version ?? -1) < version) newest.set(name, { version, status: l.status ?? '' });
  }
  return new Map([...newest].map(([k, v]) => [k, v.status]));
}

export async function podsMatching(kc: KubeConfig, namespace: string, selector: string): Promise<PodSummary[]> {
  const list = await kc.makeApiClient(CoreV1Api).listNamespacedPod({ namespace });
  const match = labelMatcher(selector);
  return list.items.map((p: V1Pod) => summarizePod(p)).filter((p) => match(p.labels));
}
