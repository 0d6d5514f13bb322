// Step "Install the Gateway API and inference CRDs" (docs/architecture.md §4 step 5): Gateway API v1.4.0 (standard)
// and GAIE v1.2.0 from their release manifests (through the mirror setting), server-side applied with
// client-node. Every failure is surfaced with the object it concerns (the guide's script swallows them
// with `|| true`).
import { ApiextensionsV1Api } from '@kubernetes/client-node';
import { resolveDownloadUrl } from '../../../shared/mirror.js';
import { applyObjects, parseManifests } from '../kube/apply.js';
import { installedGatewayApi, releaseGatewayApi, safeUpgradesRefuse } from '../kube/gateway-api-crds.js';
import { fetchText } from '../prereqs/download.js';
import type { PlanContext, Step } from '../plan/step.js';
import { liveCluster, requireCluster } from './cluster-access.js';

/** The CRDs the release relies on, with the bundle-version annotation each manifest sets. */
export const requiredCrds = (plan: Pick<PlanContext, 'release'>) => plan.release.crdManifests.flatMap((m) =>
  m.crds.map((name) => ({ name, annotation: m.versionAnnotation, version: m.version })));

/**
 * A switch to a release with older Gateway API CRDs than the cluster has: from v1.5 on, the API server's
 * safe-upgrades policy refuses them ("Installing CRDs with version before v1.5.0 is prohibited by default"),
 * so the install would fail half-way. Said before anything is applied, with the ways out.
 */
export function gatewayApiDowngrade(plan: Pick<PlanContext, 'release'>, installed: Array<{ metadata?: { name?: string; annotations?: Record<string, string> } }>): { reason: string; hint: string } | undefined {
  const want = releaseGatewayApi(plan.release);
  const have = installedGatewayApi(installed);
  if (!have || !want || !safeUpgradesRefuse(have, want)) return undefined;
  return {
    reason: `This cluster has Gateway API ${have} CRDs; ${plan.release.title} needs ${want}, and Gateway API's safe-upgrades admission policy refuses CRDs older than v1.5.0.`,
    hint: 'Keep the newer stack release (Configure), or delete the cluster (Manage → delete the cluster) and install this release on a fresh one. Removing the ValidatingAdmissionPolicy safe-upgrades.gateway.networking.k8s.io by hand would let the downgrade through, at the risk of breaking what uses the newer CRDs.',
  };
}

export const crds: Step = {
  id: 'crds',
  title: 'Install the Gateway API and inference CRDs',
  needs: ['minikube-start'],
  describe(plan) {
    const urls = plan.release.crdManifests.map((m) => resolveDownloadUrl(m.url, plan.settings.mirror));
    return {
      commands: [],
      notes: urls.map((u) => `Download ${u} and server-side apply every object in it (field manager llm-d-installer); any failure stops the install and names the object.`),
    };
  },
  async detect(ctx) {
    const live = await liveCluster(ctx);
    if (!live.kc) return { state: 'todo', reason: live.why };
    const list = await live.kc.makeApiClient(ApiextensionsV1Api).listCustomResourceDefinition();
    const byName = new Map(list.items.map((c) => [c.metadata?.name ?? '', c]));
    const downgrade = gatewayApiDowngrade(ctx, list.items);
    if (downgrade) return { state: 'blocked', reason: downgrade.reason, hint: downgrade.hint };
    const wrong = requiredCrds(ctx).filter((r) => {
      const c = byName.get(r.name);
      if (!c) return true;
      const v = c.metadata?.annotations?.[r.annotation];
      return v !== undefined && v !== r.version;
    });
    return wrong.length === 0
      ? { state: 'done', detail: `${ctx.release.crdManifests.map((m) => `${m.title} ${m.version}`).join(' and ')} CRDs are installed` }
      : { state: 'todo', reason: `missing or other version: ${wrong.map((w) => w.name).join(', ')}` };
  },
  async run(ctx) {
    const kc = requireCluster(ctx);
    const entries = ctx.release.crdManifests;
    for (const [i, m] of entries.entries()) {
      const key = `${m.title} ${m.version}`;
      const url = resolveDownloadUrl(m.url, ctx.settings.mirror);
      ctx.log(`Downloading ${url}`);
      const text = await fetchText(url, { signal: ctx.signal });
      const objects = parseManifests(text, url);
      ctx.log(`Applying ${objects.length} objects from ${key} (server-side)`);
      await applyObjects(kc, objects, { signal: ctx.signal, onApplied: (ref) => ctx.log(`  applied ${ref}`) });
      ctx.progress((i + 1) / entries.length, key);
    }
  },
};
