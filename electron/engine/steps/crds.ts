// Step "Install the Gateway API and inference CRDs" (DESIGN.md §4 step 5): Gateway API v1.4.0 (standard)
// and GAIE v1.2.0 from their release manifests (through the mirror setting), server-side applied with
// client-node. Every failure is surfaced with the object it concerns (the guide's script swallows them
// with `|| true`).
import { ApiextensionsV1Api } from '@kubernetes/client-node';
import { resolveDownloadUrl } from '../../../shared/mirror.js';
import { applyObjects, parseManifests } from '../kube/apply.js';
import { fetchText } from '../prereqs/download.js';
import type { PlanContext, Step } from '../plan/step.js';
import { liveCluster, requireCluster } from './cluster-api.js';

/** The CRDs the release relies on, with the bundle-version annotation each manifest sets. */
export const requiredCrds = (plan: Pick<PlanContext, 'release'>) => plan.release.crdManifests.flatMap((m) =>
  m.crds.map((name) => ({ name, annotation: m.versionAnnotation, version: m.version })));

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
