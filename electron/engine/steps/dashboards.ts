// Step "Load the llm-d dashboards" (llm-d-facts.md §3, load-llm-d-dashboards.sh): one ConfigMap per
// dashboard in llm-d-monitoring labelled grafana_dashboard=1, server-side applied.
import { CoreV1Api } from '@kubernetes/client-node';
import YAML from 'yaml';
import { applyObjects } from '../kube/apply.js';
import { dashboardConfigMaps } from '../stack/dashboards.js';
import type { Step } from '../plan/step.js';
import { liveCluster, requireCluster } from './cluster-access.js';
import type { PlanContext } from '../plan/step.js';

const mapsFor = (plan: PlanContext) => dashboardConfigMaps(plan.images.find((i) => i.role === 'vllm')?.kvCacheMetric ?? 'vllm:kv_cache_usage_perc', plan.release.epp.metrics, plan.release.monitoringNamespace);

export const dashboards: Step = {
  id: 'dashboards',
  title: 'Load the llm-d Grafana dashboards',
  needs: ['monitoring'],
  include: (plan) => plan.settings.monitoring,
  describe(plan) {
    const maps = mapsFor(plan);
    return { commands: [], manifests: maps.map((m) => ({ name: `configmap/${m.metadata.name}`, yaml: YAML.stringify({ ...m, data: { '…': '(dashboard JSON)' } }) })),
      notes: [`Server-side applies ${maps.length} ConfigMaps labelled grafana_dashboard=1 in ${plan.release.monitoringNamespace}.`] };
  },
  async detect(ctx) {
    const live = await liveCluster(ctx);
    if (!live.kc) return { state: 'todo', reason: live.why };
    const want = mapsFor(ctx);
    const have = await live.kc.makeApiClient(CoreV1Api).listNamespacedConfigMap({ namespace: ctx.release.monitoringNamespace, labelSelector: 'grafana_dashboard=1' });
    const byName = new Map(have.items.map((c) => [c.metadata?.name, c.data ?? {}]));
    const stale = want.filter((w) => JSON.stringify(byName.get(w.metadata.name)) !== JSON.stringify((w as unknown as { data: unknown }).data));
    return stale.length ? { state: 'todo', reason: `to load: ${stale.map((s) => s.metadata.name).join(', ')}` } : { state: 'done', detail: `${want.length} dashboards loaded` };
  },
  async run(ctx) {
    const maps = mapsFor(ctx);
    await applyObjects(requireCluster(ctx), maps, { signal: ctx.signal, onApplied: (ref) => ctx.log(`applied ${ref}`) });
  },
};
