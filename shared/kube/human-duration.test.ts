// The one age formatter (the Cluster page, the sim's kubectl tables) against kubectl's own rules.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { humanDuration, shortAge } from './pod-status.js';

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;
const y = 365 * d;

describe('pod age as kubectl writes it (duration.HumanDuration)', () => {
  it('agrees with kubectl on the everyday ages the Cluster page shows', () => {
    expect(humanDuration(90 * s)).toBe('90s'); // today's page said 1m30s
    expect(humanDuration(2 * m + 5 * s)).toBe('2m5s');
    expect(humanDuration(10 * m)).toBe('10m');
    expect(humanDuration(3 * h)).toBe('3h');
    expect(humanDuration(2 * d + 5 * h)).toBe('2d5h');
  });

  // The boundaries of apimachinery's own test table (duration_test.go), as [milliseconds, expected].
  const table: Array<[number, string]> = [
    [-2 * s, '<invalid>'], [-2 * s + 1, '0s'], [0, '0s'], [s - 1, '0s'], [s, '1s'], [70 * s, '70s'],
    [2 * m - 1, '119s'], [2 * m, '2m'], [2 * m + s, '2m1s'], [190 * s, '3m10s'], [10 * m - 1, '9m59s'], [10 * m, '10m'], [10 * m + s, '10m'],
    [70 * m, '70m'], [3 * h - 1, '179m'], [3 * h, '3h'], [3 * h + m, '3h1m'], [8 * h - 1, '7h59m'], [8 * h, '8h'], [8 * h + 59 * m, '8h'],
    [47 * h, '47h'], [2 * d - 1, '47h'], [2 * d, '2d'], [49 * h, '2d1h'], [8 * d - 1, '7d23h'], [8 * d, '8d'], [8 * d + 23 * h, '8d'],
    [367 * d, '367d'], [2 * y - 1, '729d'], [2 * y, '2y'], [2 * y + 24 * h - 1, '2y'], [2 * y + d, '2y1d'], [2 * y + 25 * h, '2y1d'],
    [7 * y, '7y'], [8 * y - 1, '7y364d'], [8 * y, '8y'], [8 * y + 364 * d, '8y'], [9 * y, '9y'],
  ];
  it.each(table)('%i ms → %s', (ms, want) => {
    expect(humanDuration(ms)).toBe(want);
  });

  const UNIT: Record<string, number> = { s, m, h, d, y };
  const parse = (text: string): { value: number; last: number } => {
    const parts = [...text.matchAll(/(\d+)([smhdy])/g)];
    expect(parts.map((p) => p[0]).join('')).toBe(text);
    return { value: parts.reduce((sum, p) => sum + Number(p[1]) * UNIT[p[2]!]!, 0), last: UNIT[parts.at(-1)![2]!]! };
  };

  it('never overstates an age and is off by less than its last unit, in at most two parts', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 12 * y }), (ms) => {
      const text = humanDuration(ms);
      const { value, last } = parse(text);
      expect(text.match(/[smhdy]/g)!.length).toBeLessThanOrEqual(2);
      expect(value).toBeLessThanOrEqual(ms);
      expect(ms - value).toBeLessThan(last);
    }));
  });

  it('never gets shorter as a pod gets older', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 12 * y }), fc.integer({ min: 0, max: y }), (ms, more) => {
      expect(parse(humanDuration(ms + more)).value).toBeGreaterThanOrEqual(parse(humanDuration(ms)).value);
    }));
  });

  it('measures from the pod’s creation time, and says <unknown> without one, as kubectl does', () => {
    const now = new Date('2026-01-01T01:00:00Z');
    expect(shortAge('2026-01-01T00:58:30Z', now)).toBe('90s');
    expect(shortAge(undefined, now)).toBe('<unknown>');
    expect(shortAge('not a time', now)).toBe('<unknown>');
  });
});
