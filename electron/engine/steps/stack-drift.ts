// What the stack step owns in the cluster that a person can change by hand without the stack record
// noticing (docs/architecture.md §4 step "the stack"): the model-server Deployment and the EPP Deployment
// (which, in a standalone release, is the gateway too). The record's hash only says the settings did not
// change; a `kubectl scale --replicas=0` or a `kubectl delete deployment` leaves it as it was, so detect()
// also compares these Deployments with what the rendered stack asks for — one list call. Running the step
// again puts them back: helm 3's upgrade creates a chart object that is missing and three-way merges the
// others against the live object (helm v3 pkg/kube/client.go update → createResource / createPatch's
// strategicpatch.CreateThreeWayMergePatch(original, target, live)), so a hand-set spec.replicas is patched
// back; `helmfile sync` runs that upgrade for every release; the model servers' manifests are server-side
// applied with force (kube/apply.ts), which takes spec.replicas back from `kubectl scale`'s field manager.
// The guide's Istio gateway Deployment is not here: Istio makes it from the Gateway and puts it back itself.
import { AppsV1Api, type KubeConfig } from '@kubernetes/client-node';
import YAML from 'yaml';
import { releaseNames, type StackRelease } from '../../../shared/release.js';
import type { Settings } from '../../../shared/api/settings.js';
import { parseManifests } from '../kube/apply.js';
import type { RenderedFile } from '../stack/render.js';
import { fileIn } from './rendered-stack.js';

/** A Deployment the stack step deploys, and the replicas it deploys it with. */
export interface OwnedDeployment {
  name: string;
  replicas: number;
  /** Who asks for that number: the settings (the model servers) or the stack's own values (the EPP). */
  wantedBy: 'settings' | 'stack';
}

/** A Deployment as the API server has it: spec.replicas, which it defaults to 1 when unset (apps/v1 defaults). */
export interface LiveDeployment { namespace: string; name: string; replicas: number; readyReplicas: number }

/**
 * Where the EPP chart reads its replicas, and its default when the values leave it out: llm-d-router's
 * routerlib values.yaml `epp.replicas: 1` (v0.10.0, under the parent chart's `router:` alias); GAIE's
 * inferencepool chart values.yaml l.2 `inferenceExtension.replicas: 1` (v1.2.0-rc.1).
 */
const EPP_REPLICAS: Record<StackRelease['stack']['kind'], { file: (r: StackRelease) => string; path: string[] }> = {
  router: { file: (r) => (r.stack.kind === 'router' ? r.stack.values : ''), path: ['router', 'epp', 'replicas'] },
  helmfile: { file: () => 'gaie-values.yaml', path: ['inferenceExtension', 'replicas'] },
};
const CHART_DEFAULT_REPLICAS = 1;

function eppReplicas(release: StackRelease, files: RenderedFile[]): number {
  const where = EPP_REPLICAS[release.stack.kind];
  const v: unknown = YAML.parseDocument(fileIn(files, where.file(release))).getIn(where.path);
  return typeof v === 'number' ? v : CHART_DEFAULT_REPLICAS;
}

/** The Deployments the stack step owns for these settings: the model servers and the EPP. */
export function ownedDeployments(release: StackRelease, settings: Pick<Settings, 'replicas'>, files: RenderedFile[]): OwnedDeployment[] {
  const names = releaseNames(release);
  // Today's llm-d: the model servers are the app's own manifests; their Deployments are read from them.
  const servers = release.stack.kind === 'router'
    ? parseManifests(fileIn(files, release.stack.manifests), release.stack.manifests).filter((o) => o.kind === 'Deployment').map((o) => o.metadata.name)
    : [names.decodeDeployment];
  return [
    ...servers.map((name) => ({ name, replicas: settings.replicas, wantedBy: 'settings' as const })),
    { name: names.epp, replicas: eppReplicas(release, files), wantedBy: 'stack' },
  ];
}

/** One sentence per owned Deployment that is missing or has other replicas than the stack deploys. */
export function stackDrift(owned: OwnedDeployment[], live: Array<Pick<LiveDeployment, 'name' | 'replicas'>>): string[] {
  const byName = new Map(live.map((d) => [d.name, d]));
  return owned.flatMap((o) => {
    const d = byName.get(o.name);
    if (!d) return [`Deployment ${o.name} is missing — deleted outside the app`];
    if (d.replicas === o.replicas) return [];
    const n = (k: number) => `${k} replica${k === 1 ? '' : 's'}`;
    return [`Deployment ${o.name} has ${n(d.replicas)}; ${o.wantedBy === 'settings' ? 'the settings want' : 'the stack deploys'} ${o.replicas} — changed outside the app`];
  });
}

/** The namespace's Deployments with their spec.replicas and ready replicas, in one list call (the doctor reads them too). */
export async function liveDeployments(kc: KubeConfig, namespace: string): Promise<LiveDeployment[]> {
  const list = await kc.makeApiClient(AppsV1Api).listNamespacedDeployment({ namespace });
  // The API server defaults an unset spec.replicas to 1 (apps/v1 SetDefaults_Deployment).
  return list.items.map((d) => ({
    namespace: d.metadata?.namespace ?? namespace, name: d.metadata?.name ?? '',
    replicas: d.spec?.replicas ?? 1, readyReplicas: d.status?.readyReplicas ?? 0,
  }));
}
