// A short rolling history of each replica's metrics, built from the engine's `metrics.sample` events.
// Pure, so the charts' numbers are tested without a DOM.
import type { ReplicaSample } from '../../../../shared/api/chat.js';

export type MetricKey = 'kvCacheUsage' | 'running' | 'waiting' | 'requestRate';

export interface MetricPoint {
  /** ms since epoch */
  at: number;
  value: number;
}

export interface ReplicaHistory {
  pod: string;
  series: Record<MetricKey, MetricPoint[]>;
  /** The last scrape's error, when the replica's /metrics could not be read. */
  error?: string;
  lastAt: number;
}

export type MetricsHistory = Record<string, ReplicaHistory>;

export const METRIC_KEYS: readonly MetricKey[] = ['kvCacheUsage', 'running', 'waiting', 'requestRate'];

/** Keeps at most `keep` points per series; replicas missing from a sample set are dropped (they are gone). */
export function addSamples(history: MetricsHistory, samples: readonly ReplicaSample[], keep = 60): MetricsHistory {
  const next: MetricsHistory = {};
  for (const s of samples) {
    const at = Date.parse(s.at);
    const prev = history[s.pod];
    const series = { ...(prev?.series ?? { kvCacheUsage: [], running: [], waiting: [], requestRate: [] }) };
    for (const k of METRIC_KEYS) {
      const v = s[k];
      if (v === undefined || !Number.isFinite(v)) continue;
      series[k] = [...series[k], { at, value: v }].slice(-keep);
    }
    next[s.pod] = { pod: s.pod, series, lastAt: at, ...(s.error ? { error: s.error } : {}) };
  }
  return next;
}

export const latest = (h: ReplicaHistory, k: MetricKey): number | undefined => h.series[k].at(-1)?.value;

/** A metric's value in words, for the chart's text alternative and its visible label. */
export function formatMetric(k: MetricKey, v: number | undefined): string {
  if (v === undefined) return 'no data yet';
  switch (k) {
    case 'kvCacheUsage':
      return `${(v * 100).toFixed(v > 0 && v < 0.1 ? 1 : 0)}%`;
    case 'running':
      return `${v} running`;
    case 'waiting':
      return `${v} waiting`;
    case 'requestRate':
      return `${v.toFixed(v >= 10 ? 0 : 1)} req/s`;
  }
}

export const METRIC_LABELS: Record<MetricKey, string> = {
  kvCacheUsage: 'KV-cache usage',
  running: 'Running requests',
  waiting: 'Waiting requests',
  requestRate: 'Request rate',
};

/**
 * The sparkline's path for one series on a `width`×`height` box. The y range starts at 0 and is at
 * least `minMax` tall (so 0→1 running request does not fill the box like 0→100 would).
 */
export function sparkPath(points: readonly MetricPoint[], width: number, height: number, minMax: number): { line: string; area: string; max: number } {
  const max = Math.max(minMax, ...points.map((p) => p.value));
  if (points.length === 0) return { line: '', area: '', max };
  const n = points.length;
  const x = (i: number) => (n === 1 ? width : (i / (n - 1)) * width);
  const y = (v: number) => height - (v / max) * (height - 2) - 1;
  const coords = points.map((p, i) => `${x(i).toFixed(1)},${y(p.value).toFixed(1)}`);
  const line = `M${coords.join(' L')}`;
  const area = `${line} L${x(n - 1).toFixed(1)},${height} L${x(0).toFixed(1)},${height} Z`;
  return { line, area, max };
}

/** Long pod names ("ms-cpu-inference-llm-d-modelservice-decode-7d9f-abcde") shortened to their distinct tail. */
export function shortPodName(name: string): string {
  const m = /(decode-.*)$/.exec(name);
  return m ? m[1]! : name;
}
