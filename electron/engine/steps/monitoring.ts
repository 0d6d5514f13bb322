// Step "Install monitoring" (docs/architecture.md §4 step 6; llm-d-facts.md §3): kube-prometheus-stack as release
// `llmd` in llm-d-monitoring with the guide's values, before the stack (the llm-d charts create a
// ServiceMonitor and a PodMonitor, whose CRDs must exist first). As the guide's script does, the chart's
// CRDs are applied server-side (`helm show crds` → apply) and the release installed with --skip-crds.
import { ApiextensionsV1Api } from '@kubernetes/client-node';
import path from 'node:path';
import { applyObjects, parseManifests } from '../kube/apply.js';
import type { PlanContext, Step } from '../plan/step.js';
import { helmReleases, liveCluster, requireCluster } from './cluster-access.js';
import { fileIn, writeRendered } from './rendered-stack.js';

export function monitoringCommands(plan: PlanContext, valuesFile: string): string[][] {
  const c = plan.release.charts.monitoring;
  const repo = c.repo ? [['helm', 'repo', 'add', c.repo.name, c.repo.url, '--force-update'], ['helm', 'repo', 'update', c.repo.name]] : [];
  return [
    ...repo,
    ['helm', 'show', 'crds', c.chart, '--version', c.version],
    ['helm', 'upgrade', '--install', c.release, c.chart, '--version', c.version, '--namespace', plan.release.monitoringNamespace, '--create-namespace', '--skip-crds',
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
      manifests: [{ name: 'monitoring-values.yaml', yaml: fileIn(plan.renderedStack(), 'monitoring-values.yaml') }],
      notes: ['The chart\'s CRDs (helm show crds) are applied server-side before the release, like the guide\'s install-prometheus-grafana.sh.'],
    };
  },
  async detect(ctx) {
    const live = await liveCluster(ctx);
    if (!live.kc) return { state: 'todo', reason: live.why };
    const c = ctx.release.charts.monitoring;
    const ns = ctx.release.monitoringNamespace;
    const status = (await helmReleases(live.kc, ns)).get(c.release);
    if (status !== 'deployed') return { state: 'todo', reason: `release ${c.release} is ${status ?? 'not installed'}` };
    const names = new Set((await live.kc.makeApiClient(ApiextensionsV1Api).listCustomResourceDefinition()).items.map((c) => c.metadata?.name));
    const missing = MONITORING_CRDS.filter((n) => !names.has(n));
    return missing.length ? { state: 'todo', reason: `missing CRDs ${missing.join(', ')}` } : { state: 'done', detail: `release ${c.release} (${c.chart} ${c.version}) is deployed in ${ns}` };
  },
  async run(ctx) {
    const files = await writeRendered(ctx);
    const commands = monitoringCommands(ctx, files['monitoring-values.yaml']!);
    const [showCrds, install] = commands.slice(-2);
    for (const repo of commands.slice(0, -2)) await ctx.run('helm', repo.slice(1));
    ctx.progress(0.3, 'monitoring CRDs');
    const crdsText = await ctx.run('helm', showCrds!.slice(1), { quiet: true });
    const objects = parseManifests(crdsText.stdout, 'helm show crds');
    ctx.log(`Applying ${objects.length} CRDs of ${ctx.release.charts.monitoring.chart} ${ctx.release.charts.monitoring.version} (server-side)`);
    await applyObjects(requireCluster(ctx), objects, { signal: ctx.signal, onApplied: (ref) => ctx.log(`  applied ${ref}`) });
    ctx.progress(0.5, `helm install ${ctx.release.charts.monitoring.release}`);
    await ctx.run('helm', install!.slice(1));
  },
};
