// Step "Install monitoring" (DESIGN.md §4 step 6; llm-d-facts.md §3): kube-prometheus-stack as release
// `llmd` in llm-d-monitoring with the guide's values, before the stack (the llm-d charts create a
// ServiceMonitor and a PodMonitor, whose CRDs must exist first). As the guide's script does, the chart's
// CRDs are applied server-side (`helm show crds` → apply) and the release installed with --skip-crds.
import { ApiextensionsV1Api } from '@kubernetes/client-node';
import path from 'node:path';
import { CHARTS, MONITORING_NAMESPACE, RELEASES } from '../../../shared/stack.js';
import { applyObjects, parseManifests } from '../kube/apply.js';
import type { PlanContext, Step } from '../plan/step.js';
import { fileIn, helmReleases, liveCluster, renderFor, requireCluster, writeRendered } from './cluster-api.js';

export function monitoringCommands(plan: PlanContext, valuesFile: string): string[][] {
  const c = CHARTS.monitoring;
  return [
    ['helm', 'repo', 'add', c.repo, c.url, '--force-update'],
    ['helm', 'repo', 'update', c.repo],
    ['helm', 'show', 'crds', c.chart],
    ['helm', 'upgrade', '--install', RELEASES.monitoring, c.chart, '--namespace', MONITORING_NAMESPACE, '--create-namespace', '--skip-crds',
      '-f', valuesFile, '--kube-context', plan.settings.profile],
  ];
}

export const MONITORING_CRDS = ['servicemonitors.monitoring.coreos.com', 'podmonitors.monitoring.coreos.com'];

export const monitoring: Step = {
  id: 'monitoring',
  title: 'Install monitoring (Prometheus and Grafana)',
  needs: ['minikube-start'],
  include: (plan) => plan.settings.monitoring,
  describe(plan) {
    return {
      commands: monitoringCommands(plan, path.join('<app data>', 'stack', 'current', 'monitoring-values.yaml')),
      manifests: [{ name: 'monitoring-values.yaml', yaml: fileIn(renderFor(plan, process.env), 'monitoring-values.yaml') }],
      notes: ['The chart\'s CRDs (helm show crds) are applied server-side before the release, like the guide\'s install-prometheus-grafana.sh.'],
    };
  },
  async detect(ctx) {
    const live = await liveCluster(ctx);
    if (!live.kc) return { state: 'todo', reason: live.why };
    const status = (await helmReleases(live.kc, MONITORING_NAMESPACE)).get(RELEASES.monitoring);
    if (status !== 'deployed') return { state: 'todo', reason: `release ${RELEASES.monitoring} is ${status ?? 'not installed'}` };
    const names = new Set((await live.kc.makeApiClient(ApiextensionsV1Api).listCustomResourceDefinition()).items.map((c) => c.metadata?.name));
    const missing = MONITORING_CRDS.filter((n) => !names.has(n));
    return missing.length ? { state: 'todo', reason: `missing CRDs ${missing.join(', ')}` } : { state: 'done', detail: `release ${RELEASES.monitoring} is deployed in ${MONITORING_NAMESPACE}` };
  },
  async run(ctx) {
    const files = await writeRendered(ctx);
    const [add, update, showCrds, install] = monitoringCommands(ctx, files['monitoring-values.yaml']!);
    await ctx.run('helm', add!.slice(1));
    await ctx.run('helm', update!.slice(1));
    ctx.progress(0.3, 'monitoring CRDs');
    const crdsText = await ctx.run('helm', showCrds!.slice(1), { quiet: true });
    const objects = parseManifests(crdsText.stdout, 'helm show crds');
    ctx.log(`Applying ${objects.length} CRDs of ${CHARTS.monitoring.chart} (server-side)`);
    await applyObjects(requireCluster(ctx), objects, { signal: ctx.signal, onApplied: (ref) => ctx.log(`  applied ${ref}`) });
    ctx.progress(0.5, `helm install ${RELEASES.monitoring}`);
    await ctx.run('helm', install!.slice(1));
  },
};
