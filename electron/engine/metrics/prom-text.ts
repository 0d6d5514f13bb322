// A reader for the Prometheus text exposition format (what vLLM's /metrics serves), enough for live
// per-replica charts: samples with labels, histograms' _sum/_count/_bucket as ordinary samples.
// Hand-written because the npm parsers for this format are unmaintained; the format is small and stable.

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const unescapeLabel = (s: string): string => s.replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c));

function parseLabels(src: string): Record<string, string> | undefined {
  const labels: Record<string, string> = {};
  const re = /\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*(,|$)/gy;
  let pos = 0;
  while (pos < src.length) {
    re.lastIndex = pos;
    const m = re.exec(src);
    if (!m) return src.slice(pos).trim() === '' ? labels : undefined;
    labels[m[1]!] = unescapeLabel(m[2]!);
    pos = re.lastIndex;
  }
  return labels;
}

function parseValue(s: string): number | undefined {
  if (s === '+Inf' || s === 'Inf') return Infinity;
  if (s === '-Inf') return -Infinity;
  if (s === 'NaN') return NaN;
  const v = Number(s);
  return Number.isNaN(v) ? undefined : v;
}

/** Parses the text; malformed lines are skipped rather than failing the whole scrape. */
export function parsePromText(text: string): Sample[] {
  const out: Sample[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+\S+)?$/.exec(line);
    if (!m) continue;
    const labels = m[3] !== undefined ? parseLabels(m[3]) : {};
    const value = parseValue(m[4]!);
    if (!labels || value === undefined) continue;
    out.push({ name: m[1]!, labels, value });
  }
  return out;
}

/** Sum of all samples with this name (across label sets), or undefined when absent. */
export function sumOf(samples: readonly Sample[], name: string): number | undefined {
  const matching = samples.filter((s) => s.name === name);
  return matching.length ? matching.reduce((a, s) => a + s.value, 0) : undefined;
}

/** The figures the Playground and Cluster pages chart per replica. */
export interface ReplicaMetrics {
  /** 0..1 */
  kvCacheUsage?: number;
  running?: number;
  waiting?: number;
  /** Cumulative successful requests; the UI derives a rate from two scrapes. */
  requestsTotal?: number;
}

export function replicaMetrics(samples: readonly Sample[]): ReplicaMetrics {
  // vLLM >= 0.10 renamed gpu_cache_usage_perc to kv_cache_usage_perc; accept both (llm-d-facts.md §6).
  const kv = sumOf(samples, 'vllm:kv_cache_usage_perc') ?? sumOf(samples, 'vllm:gpu_cache_usage_perc');
  const running = sumOf(samples, 'vllm:num_requests_running');
  const waiting = sumOf(samples, 'vllm:num_requests_waiting');
  const total = sumOf(samples, 'vllm:request_success_total');
  return {
    ...(kv !== undefined ? { kvCacheUsage: kv } : {}),
    ...(running !== undefined ? { running } : {}),
    ...(waiting !== undefined ? { waiting } : {}),
    ...(total !== undefined ? { requestsTotal: total } : {}),
  };
}

/** Requests per second between two scrapes; undefined across a counter reset (replica restart). */
export function rate(prev: { value: number; at: number } | undefined, next: { value: number; at: number }): number | undefined {
  if (!prev || next.at <= prev.at || next.value < prev.value) return undefined;
  return (next.value - prev.value) / ((next.at - prev.at) / 1000);
}
