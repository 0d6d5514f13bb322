// Live per-replica metrics (KV-cache usage, running and waiting requests, request rate) read from each
// decode pod's /metrics through the cluster. Used on the Playground and Cluster pages:
//   import { MetricsCharts } from '../components/metrics/MetricsCharts.js';
//   <MetricsCharts />            (starts the engine's sampling while it is on screen)
import { useEffect } from 'react';
import { formatMetric, latest, METRIC_KEYS, METRIC_LABELS, shortPodName, type MetricKey, type ReplicaHistory } from './history.js';
import { useMetrics } from './metrics-store.js';
import { Sparkline } from './Sparkline.js';
import '../../styles/metrics.css';

/** The smallest y range per metric, so a quiet replica draws a flat line instead of a full-height one. */
const MIN_RANGE: Record<MetricKey, number> = { kvCacheUsage: 1, running: 4, waiting: 4, requestRate: 2 };

function MetricChart({ replica, metric }: { replica: ReplicaHistory; metric: MetricKey }) {
  const points = replica.series[metric];
  const value = latest(replica, metric);
  const words = formatMetric(metric, value);
  const name = shortPodName(replica.pod);
  return (
    <figure className="metric" data-testid={`metric-${metric}`} data-value={value ?? ''} data-points={points.length} data-last-at={points.at(-1)?.at ?? ''}>
      <figcaption className="metric-head">
        <span className="metric-label">{METRIC_LABELS[metric]}</span>
        <span className="metric-value">{words}</span>
      </figcaption>
      <Sparkline points={points} minMax={MIN_RANGE[metric]} label={`${METRIC_LABELS[metric]} on ${name}: ${words}`} />
    </figure>
  );
}

export function MetricsCharts({ title = 'Live replica metrics', headingLevel = 2 }: { title?: string; headingLevel?: 2 | 3 }) {
  const history = useMetrics((s) => s.history);
  const lastSampleAt = useMetrics((s) => s.lastSampleAt);
  const watchError = useMetrics((s) => s.watchError);
  const watch = useMetrics((s) => s.watch);
  useEffect(() => watch(), [watch]);

  const replicas = Object.values(history).sort((a, b) => a.pod.localeCompare(b.pod));
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <section className="metrics section" aria-labelledby="metrics-heading" data-testid="metrics-charts">
      <div className="section-head">
        <Heading id="metrics-heading" className="section-title">{title}</Heading>
        <span className="muted small">From each decode replica’s /metrics, every second</span>
      </div>
      {watchError && <p className="callout callout-error" role="alert">Live metrics are unavailable: {watchError}</p>}
      {!watchError && replicas.length === 0 && (
        <p className="muted small metrics-empty">
          {lastSampleAt === undefined ? 'Waiting for the first sample…' : 'No ready decode replica to read metrics from yet.'}
        </p>
      )}
      {replicas.length > 0 && (
        <ul className="metrics-grid">
          {replicas.map((r) => (
            <li key={r.pod} className="card metrics-replica" data-testid="metrics-replica" data-pod={r.pod}>
              <p className="metrics-pod" title={r.pod}>{shortPodName(r.pod)}</p>
              {r.error ? (
                <p className="metrics-error small">Could not read /metrics: {r.error}</p>
              ) : (
                <div className="metrics-row">
                  {METRIC_KEYS.map((k) => <MetricChart key={k} replica={r} metric={k} />)}
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
