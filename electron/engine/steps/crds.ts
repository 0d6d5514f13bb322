// Step "Install the Gateway API and inference CRDs" (DESIGN.md §4 step 5): Gateway API v1.4.0 (standard)
// and GAIE v1.2.0 from their release manifests (through the mirror setting), server-side applied with
// client-node. Every failure is surfaced with the object it concerns (the guide's script swallows them
// with `|| true`).
import { ApiextensionsV1Api } from '@kubernetes/client-node';
import { resolveDownloadUrl } from '../../../shared/mirror.js';
import { CRD_MANIFESTS, VERSIONS } from '../../../shared/stack.js';
import { applyObjects, parseManifests } from '../kube/apply.js';
import { fetchText } from '../prereqs/download.js';
import type { Step } from '../plan/step.js';
import { liveCluster, requireCluster } from './cluster-api.js';

/** The CRDs the stack relies on, with the bundle-version annotation each release manifest sets. */
export const REQUIRED_CRDS = [
  ...['gatewayclasses', 'gateways', 'httproutes', 'grpcroutes', 'referencegrants'].map((r) => ({
    name: `${r}.gateway.networking.k8s.io`, annotation: 'gateway.networking.k8s.io/bundle-version', version: VERSIONS.gatewayApi,
  })),
  ...['inferencepools.inference.networking.k8s.io', 'inferencepools.inference.networking.x-k8s.io', 'inferenceobjectives.inference.networking.x-k8s.io'].map((name) => ({
    name, annotation: 'inference.networking.k8s.io/bundle-version', version: VERSIONS.gaieCrds,
  })),
];

export const crds: Step = {
  id: 'crds',
  title: 'Install the Gateway API and inference CRDs',
  needs: ['minikube-start'],
  describe(plan) {
    const urls = Object.values(CRD_MANIFESTS).map((u) => resolveDownloadUrl(u, plan.settings.mirror));
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
    const wrong = REQUIRED_CRDS.filter((r) => {
      const c = byName.get(r.name);
      if (!c) return true;
      const v = c.metadata?.annotations?.[r.annotation];
      return v !== undefined && v !== r.version;
    });
    return wrong.length === 0
      ? { state: 'done', detail: `Gateway API ${VERSIONS.gatewayApi} and GAIE ${VERSIONS.gaieCrds} CRDs are installed` }
      : { state: 'todo', reason: `missing or other version: ${wrong.map((w) => w.name).join(', ')}` };
  },
  async run(ctx) {
    const kc = requireCluster(ctx);
    const entries = Object.entries(CRD_MANIFESTS);
    for (const [i, [key, official]] of entries.entries()) {
      const url = resolveDownloadUrl(official, ctx.settings.mirror);
      ctx.log(`Downloading ${url}`);
      const text = await fetchText(url, { signal: ctx.signal });
      const objects = parseManifests(text, url);
      ctx.log(`Applying ${objects.length} objects from ${key} (server-side)`);
      await applyObjects(kc, objects, { signal: ctx.signal, onApplied: (ref) => ctx.log(`  applied ${ref}`) });
      ctx.progress((i + 1) / entries.length, key);
    }
  },
};
