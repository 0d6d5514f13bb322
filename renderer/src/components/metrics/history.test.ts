import { describe, expect, it } from 'vitest';
import { addSamples, formatMetric, latest, shortPodName, sparkPath } from './history.js';

const at = (s: number) => new Date(1_700_000_000_000 + s * 1000).toISOString();

describe('metrics history', () => {
  it('appends each replica’s values, caps the series, and drops replicas that are gone', () => {
    let h = addSamples({}, [{ pod: 'a', at: at(0), kvCacheUsage: 0.1, running: 0, waiting: 0, requestsTotal: 5 }, { pod: 'b', at: at(0), running: 1 }]);
    h = addSamples(h, [{ pod: 'a', at: at(1), kvCacheUsage: 0.3, running: 2, waiting: 1, requestRate: 1.5 }], 3);
    expect(Object.keys(h)).toEqual(['a']);
    expect(h.a!.series.kvCacheUsage.map((p) => p.value)).toEqual([0.1, 0.3]);
    expect(latest(h.a!, 'requestRate')).toBe(1.5);
    for (let i = 2; i < 6; i++) h = addSamples(h, [{ pod: 'a', at: at(i), running: i }], 3);
    expect(h.a!.series.running.map((p) => p.value)).toEqual([3, 4, 5]);
    expect(h.a!.series.kvCacheUsage).toHaveLength(2);
  });

  it('keeps the scrape error of a replica whose /metrics failed', () => {
    const h = addSamples({}, [{ pod: 'a', at: at(0), error: '/metrics answered 500' }]);
    expect(h.a?.error).toBe('/metrics answered 500');
  });

  it('writes values in words', () => {
    expect(formatMetric('kvCacheUsage', 0.256)).toBe('26%');
    expect(formatMetric('kvCacheUsage', 0.031)).toBe('3.1%');
    expect(formatMetric('running', 2)).toBe('2 running');
    expect(formatMetric('requestRate', 1.26)).toBe('1.3 req/s');
    expect(formatMetric('waiting', undefined)).toBe('no data yet');
  });

  it('draws a path in the box with a floor on the y range', () => {
    const pts = [{ at: 0, value: 0 }, { at: 1, value: 2 }];
    const { line, max } = sparkPath(pts, 100, 20, 4);
    expect(max).toBe(4);
    expect(line).toBe('M0.0,19.0 L100.0,10.0');
    expect(sparkPath([], 100, 20, 4).line).toBe('');
  });

  it('shortens decode pod names to their distinct tail', () => {
    expect(shortPodName('ms-cpu-inference-llm-d-modelservice-decode-7d9f8-abcde')).toBe('decode-7d9f8-abcde');
    expect(shortPodName('other')).toBe('other');
  });
});
