import { describe, expect, it } from 'vitest';
import { parsePromText, rate, replicaMetrics } from './prom-text.js';

const text = `# HELP vllm:num_requests_running Number of requests in model execution batches.
# TYPE vllm:num_requests_running gauge
vllm:num_requests_running{engine="0",model_name="HuggingFaceTB/SmolLM2-360M-Instruct"} 2.0
vllm:num_requests_waiting{engine="0",model_name="HuggingFaceTB/SmolLM2-360M-Instruct"} 1.0
vllm:kv_cache_usage_perc{engine="0",model_name="m"} 0.25
vllm:request_success_total{engine="0",finished_reason="stop",model_name="m"} 10.0
vllm:request_success_total{engine="0",finished_reason="length",model_name="m"} 5.0
vllm:time_to_first_token_seconds_bucket{le="+Inf",model_name="m"} 15
weird{label="a \\"quoted\\" value, with comma"} 1 1700000000000
broken line here
`;

describe('Prometheus text', () => {
  it('parses samples with labels, escaped quotes, +Inf and timestamps; skips junk', () => {
    const s = parsePromText(text);
    expect(s.find((x) => x.name === 'weird')?.labels.label).toBe('a "quoted" value, with comma');
    expect(s.find((x) => x.name.endsWith('_bucket'))?.labels.le).toBe('+Inf');
    expect(s.some((x) => x.name === 'broken')).toBe(false);
  });
  it('extracts the per-replica figures, summing label sets', () => {
    expect(replicaMetrics(parsePromText(text))).toEqual({ kvCacheUsage: 0.25, running: 2, waiting: 1, requestsTotal: 15 });
  });
  it('falls back to the pre-0.10 gpu_cache_usage_perc name', () => {
    expect(replicaMetrics(parsePromText('vllm:gpu_cache_usage_perc{model_name="m"} 0.5'))).toEqual({ kvCacheUsage: 0.5 });
  });
  it('derives a rate and refuses one across a counter reset', () => {
    expect(rate({ value: 10, at: 0 }, { value: 20, at: 5000 })).toBe(2);
    expect(rate({ value: 10, at: 0 }, { value: 2, at: 5000 })).toBeUndefined();
    expect(rate(undefined, { value: 2, at: 5000 })).toBeUndefined();
  });
});
