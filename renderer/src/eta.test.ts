import { describe, expect, it } from 'vitest';
import type { JournalDoc, StepProgress } from '../../shared/api/engine.js';
import { estimateRemainingMs, formatDuration, formatEta } from './eta.js';

const t0 = Date.parse('2026-01-01T00:00:00Z');
const iso = (s: number) => new Date(t0 + s * 1000).toISOString();
const step = (id: string, state: StepProgress['state'], start?: number, end?: number): StepProgress => ({
  id, state, ...(start !== undefined ? { startedAt: iso(start) } : {}), ...(end !== undefined ? { endedAt: iso(end) } : {}),
});

describe('time left in a run', () => {
  it('says nothing before the first step has finished', () => {
    expect(estimateRemainingMs([step('a', 'running', 0), step('b', 'pending')], null, t0 + 5000)).toBeUndefined();
  });

  it('averages the steps done so far over the steps left', () => {
    const steps = [step('a', 'done', 0, 10), step('b', 'done', 10, 30), step('c', 'running', 30), step('d', 'pending')];
    // average 15 s; c has run 5 s → 10 s left, d 15 s
    expect(estimateRemainingMs(steps, null, t0 + 35_000)).toBe(25_000);
  });

  it('prefers what a past run took for the same step', () => {
    const past = { steps: [{ id: 'd', state: 'done', durationMs: 60_000 }] } as unknown as JournalDoc;
    const steps = [step('a', 'done', 0, 10), step('d', 'pending')];
    expect(estimateRemainingMs(steps, past, t0 + 10_000)).toBe(60_000);
  });

  it('writes durations and estimates plainly', () => {
    expect(formatDuration(400)).toBe('under a second');
    expect(formatDuration(42_000)).toBe('42 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
    expect(formatEta(3000)).toBe('a few seconds');
    expect(formatEta(42_000)).toBe('about 40 s');
    expect(formatEta(150_000)).toBe('about 3 min');
  });
});
