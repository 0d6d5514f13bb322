import { describe, expect, it } from 'vitest';
import { armStats, distribution, readExperiment, type ExperimentSample } from './experiment-stats.js';

const s = (arm: ExperimentSample['arm'], replica: string | undefined, latencyMs: number, ttftMs?: number, ok = true): ExperimentSample =>
  ({ arm, latencyMs, ok, ...(replica ? { replica } : {}), ...(ttftMs !== undefined ? { ttftMs } : {}) });

describe('experiment statistics', () => {
  it('computes nearest-rank percentiles', () => {
    expect(distribution([5, 1, 4, 2, 3, 6, 7, 8, 9, 10])).toEqual({ count: 10, min: 1, p50: 5, p90: 9, max: 10, mean: 5.5 });
    expect(distribution([])).toBeUndefined();
  });

  it('counts per replica and measures concentration, leaving failures and unknowns out', () => {
    const samples = [s('shared-prefix', 'a', 100, 10), s('shared-prefix', 'a', 120, 12), s('shared-prefix', 'a', 110, 11), s('shared-prefix', 'b', 300, 30),
      s('shared-prefix', undefined, 90), s('shared-prefix', 'b', 0, undefined, false)];
    const st = armStats('shared-prefix', samples);
    expect(st).toMatchObject({ total: 6, failed: 1, unattributed: 1, concentration: 0.75 });
    expect(st.replicas.map((r) => [r.replica, r.count])).toEqual([['a', 3], ['b', 1]]);
    expect(st.replicas[0]!.ttft?.p50).toBe(11);
  });

  it('reads concentration on one replica for the shared prefix and spread for distinct prompts', () => {
    const samples = [
      ...Array.from({ length: 8 }, () => s('shared-prefix', 'decode-a', 100)),
      ...Array.from({ length: 4 }, () => s('distinct', 'decode-a', 100)),
      ...Array.from({ length: 4 }, () => s('distinct', 'decode-b', 100)),
    ];
    const lines = readExperiment(armStats('shared-prefix', samples), armStats('distinct', samples), 2);
    expect(lines[0]).toContain('stayed together: 100% went to decode-a');
    expect(lines[1]).toContain('spread over 2 replicas');
  });

  it('says when nothing could be attributed', () => {
    const samples = [s('shared-prefix', undefined, 1), s('distinct', undefined, 1)];
    expect(readExperiment(armStats('shared-prefix', samples), armStats('distinct', samples), 2)[0]).toContain('No request could be attributed');
  });

  it('explains that one replica cannot show routing', () => {
    const samples = [s('shared-prefix', 'a', 1), s('distinct', 'a', 1)];
    expect(readExperiment(armStats('shared-prefix', samples), armStats('distinct', samples), 1)[0]).toContain('Only one replica');
  });
});
