// The terminal's slicer: never a write over its bound, every line once and in order (the step prefix,
// colours and line end included), a line longer than a slice spread over several, ranges queued while
// earlier ones are being taken kept in order.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { colourLine, stepPrefix } from './ansi.js';
import { rowsBound, SliceQueue } from './write-slices.js';

const rendered = (lines: readonly string[], ids?: readonly string[]) => lines.map((l, i) => `${ids?.[i] ? stepPrefix(ids[i]) : ''}${colourLine(l)}\r\n`).join('');

function drain(q: SliceQueue, max: number) {
  const slices: Array<{ text: string; lines: number }> = [];
  for (let s = q.take(max); s; s = q.take(max)) slices.push(s);
  return slices;
}

describe('SliceQueue', () => {
  it('never produces a write over the bound, and the writes add up to every line once, in order', () => {
    fc.assert(fc.property(
      fc.array(fc.array(fc.string({ unit: 'grapheme', maxLength: 300 }), { maxLength: 40 }), { maxLength: 6 }),
      fc.integer({ min: 1, max: 2000 }),
      fc.boolean(),
      (batches, max, withIds) => {
        const q = new SliceQueue();
        for (const b of batches) q.push(b, withIds ? b.map((_, i) => `s${i % 3}`) : undefined);
        const slices = drain(q, max);
        for (const s of slices) expect(s.text.length).toBeLessThanOrEqual(max);
        expect(slices.map((s) => s.text).join('')).toBe(batches.map((b) => rendered(b, withIds ? b.map((_, i) => `s${i % 3}`) : undefined)).join(''));
        expect(slices.reduce((n, s) => n + s.lines, 0)).toBe(batches.reduce((n, b) => n + b.length, 0));
        expect(q.pending).toBe(false);
      },
    ));
  });

  it('keeps lines whole when they fit, and spreads one longer than a slice over several', () => {
    const q = new SliceQueue();
    q.push(['a'.repeat(6), 'b'.repeat(6), 'c'.repeat(25)], undefined);
    expect(drain(q, 10)).toEqual([
      { text: 'aaaaaa\r\n', lines: 1 },
      { text: 'bbbbbb\r\ncc', lines: 1 }, // 'b…' waited for a slice of its own; the long 'c…' fills up
      { text: 'c'.repeat(10), lines: 0 },
      { text: 'c'.repeat(10), lines: 0 },
      { text: 'ccc\r\n', lines: 1 },
    ]);
  });

  it('a 200,000-line flood leaves in slices of at most 32 KiB, taking only the range it was given', () => {
    const lines = Array.from({ length: 200_000 }, (_, i) => `flood ${i + 1}/200000 at=1764700000000 some helmfile output`);
    const q = new SliceQueue();
    q.push(lines, undefined, 0, 150_000);
    q.push(lines, undefined, 150_000);
    const slices = drain(q, 32 * 1024);
    expect(Math.max(...slices.map((s) => s.text.length))).toBeLessThanOrEqual(32 * 1024);
    expect(slices.reduce((n, s) => n + s.lines, 0)).toBe(200_000);
    expect(slices.at(-1)!.text.endsWith('flood 200000/200000 at=1764700000000 some helmfile output\r\n')).toBe(true);
  });

  it('forgets what was queued when cleared (the terminal redraws)', () => {
    const q = new SliceQueue();
    q.push(['x'.repeat(50)], undefined);
    q.take(10);
    q.clear();
    q.push(['y'], undefined);
    expect(drain(q, 10)).toEqual([{ text: 'y\r\n', lines: 1 }]);
  });
});

describe('rowsBound', () => {
  it('is never fewer rows than the lines take once wrapped, at any width', () => {
    fc.assert(fc.property(fc.array(fc.string({ maxLength: 400 }), { maxLength: 200 }), fc.integer({ min: 1, max: 300 }), (lines, cols) => {
      const wrapped = lines.reduce((n, l) => n + Math.max(1, Math.ceil(l.length / cols)), 0);
      expect(rowsBound(lines.length, lines.reduce((n, l) => n + l.length, 0), cols)).toBeGreaterThanOrEqual(wrapped);
    }));
  });

  it('gives 50,000 lines of 90 characters at 85 columns twice as many rows as lines', () => {
    expect(rowsBound(50_000, 50_000 * 90, 85)).toBeGreaterThanOrEqual(100_000);
  });
});
