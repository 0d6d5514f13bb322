// The llm-d Grafana dashboards (llm-d-facts.md §3: one ConfigMap per dashboard named llmd-<file>,
// labelled grafana_dashboard=1, which Grafana's sidecar loads). Our own panel sets over the metrics the
// stack exposes (vLLM per replica, EPP's pool figures), generated here rather than copied, so a metric name
// changes in one place (the KV-cache metric follows the image, release.yaml).
import type { ReleaseImage, StackRelease } from '../../../shared/release.js';

type KvMetric = NonNullable<ReleaseImage['kvCacheMetric']>;
import type { ManifestObject } from '../kube/apply.js';

export const DASHBOARD_LABEL = { grafana_dashboard: '1' } as const;

interface PanelSpec { title: string; expr: string; unit?: string }
interface DashboardSpec { file: string; uid: string; title: string; panels: PanelSpec[] }

export type EppMetrics = StackRelease['epp']['metrics'];

export function dashboardSpecs(kvMetric: KvMetric, epp: EppMetrics): DashboardSpec[] {
  return [
    { file: 'llm-d-vllm-overview', uid: 'llm-d-vllm-overview', title: 'llm-d vLLM Overview', panels: [
      { title: 'Running requests per pod', expr: 'sum by (pod) (vllm:num_requests_running)' },
      { title: 'Waiting requests per pod', expr: 'sum by (pod) (vllm:num_requests_waiting)' },
      { title: 'KV-cache usage per pod', expr: `max by (pod) (${kvMetric})`, unit: 'percentunit' },
      { title: 'Generated tokens/s', expr: 'sum by (pod) (rate(vllm:generation_tokens_total[1m]))' },
    ] },
    { file: 'llm-d-performance-dashboard', uid: 'llm-d-performance', title: 'llm-d Performance Dashboard', panels: [
      { title: 'Time to first token p50', expr: 'histogram_quantile(0.5, sum by (le) (rate(vllm:time_to_first_token_seconds_bucket[5m])))', unit: 's' },
      { title: 'Time to first token p95', expr: 'histogram_quantile(0.95, sum by (le) (rate(vllm:time_to_first_token_seconds_bucket[5m])))', unit: 's' },
      { title: 'End-to-end latency p95', expr: 'histogram_quantile(0.95, sum by (le) (rate(vllm:e2e_request_latency_seconds_bucket[5m])))', unit: 's' },
      { title: 'Requests/s per pod', expr: 'sum by (pod) (rate(vllm:request_success_total[1m]))' },
    ] },
    { file: 'llm-d-diagnostic-drill-down', uid: 'llm-d-diagnostic-drill-down', title: 'llm-d Diagnostic Drill-Down', panels: [
      { title: 'Pool average KV-cache utilisation (EPP)', expr: epp.poolKvCache, unit: 'percentunit' },
      { title: 'Pool average queue size (EPP)', expr: epp.poolQueue },
      { title: 'Ready pods in the pool (EPP)', expr: epp.poolReadyPods },
    ] },
    { file: 'llm-d-failure-saturation-indicators', uid: 'llm-d-failure-saturation', title: 'llm-d Failure & Saturation Indicators', panels: [
      { title: 'Request errors/s (EPP)', expr: `sum(rate(${epp.requestErrors}[5m]))` },
      { title: 'Waiting requests (all pods)', expr: 'sum(vllm:num_requests_waiting)' },
      { title: 'Highest KV-cache usage', expr: `max(${kvMetric})`, unit: 'percentunit' },
    ] },
  ];
}

export function dashboardJson(d: DashboardSpec): Record<string, unknown> {
  return {
    uid: d.uid, title: d.title, tags: ['llm-d'], schemaVersion: 39, version: 1, editable: true, refresh: '10s',
    time: { from: 'now-30m', to: 'now' },
    panels: d.panels.map((p, i) => ({
      id: i + 1, type: 'timeseries', title: p.title, datasource: { type: 'prometheus', uid: '${DS_PROMETHEUS}' },
      gridPos: { h: 8, w: 12, x: (i % 2) * 12, y: Math.floor(i / 2) * 8 },
      fieldConfig: { defaults: { unit: p.unit ?? 'short' }, overrides: [] },
      targets: [{ refId: 'A', expr: p.expr, legendFormat: '{{pod}}' }],
    })),
    templating: { list: [{ name: 'DS_PROMETHEUS', type: 'datasource', query: 'prometheus', hide: 2 }] },
  };
}

/** One ConfigMap per dashboard, named llmd-<file>, labelled for Grafana's sidecar. */
export function dashboardConfigMaps(kvMetric: KvMetric, epp: EppMetrics, namespace: string): ManifestObject[] {
  return dashboardSpecs(kvMetric, epp).map((d) => ({
    apiVersion: 'v1', kind: 'ConfigMap',
    metadata: { name: `llmd-${d.file}`, namespace, labels: { ...DASHBOARD_LABEL } },
    data: { [`${d.file}.json`]: JSON.stringify(dashboardJson(d), null, 2) },
  }));
}
