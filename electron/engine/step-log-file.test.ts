// step.logFile's reader: a step's log file in pages of whole lines, without the time each was written;
// read page by page from `next`, every byte comes once and in order — a last line without a newline and
// a file still being written included; nothing from outside the logs folder; bad offsets are typed errors.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JournalDoc } from '../../shared/api/engine.js';
import { ApiException } from '../../shared/result.js';
import { readStepLogPage, type StepLogPage } from './step-log-file.js';

let dir: string;
let logs: string;
let file: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'step-log-file-'));
  logs = path.join(dir, 'logs');
  file = path.join(logs, 'r1', 'stack.log');
  fs.mkdirSync(path.dirname(file), { recursive: true });
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const journal = (logPath: string): JournalDoc => ({
  version: 1, runId: 'r1', kind: 'up', status: 'succeeded', pid: 1, startedAt: '2026-01-01T00:00:00.000Z', settings: {},
  steps: [{ id: 'stack', state: 'done', logPath }],
});
const stamped = (from: number, n: number) => Array.from({ length: n }, (_, i) => `2026-01-01T00:00:00.${String((from + i) % 1000).padStart(3, '0')}Z line ${from + i + 1}\n`).join('');
const numbered = (from: number, n: number) => Array.from({ length: n }, (_, i) => `line ${from + i + 1}`);

/** What a client does: page from 0 by `next` until it has the whole file as it stands. */
function readFrom(from: number, maxBytes: number, onPage: (p: StepLogPage) => void = () => {}): { lines: string[]; next: number } {
  const lines: string[] = [];
  for (let offset = from; ;) {
    const p = readStepLogPage(journal(file), 'stack', logs, offset, maxBytes);
    onPage(p);
    lines.push(...p.lines);
    if (p.next === p.size) return { lines, next: p.next };
    expect(p.next).toBeGreaterThan(offset); // always progress
    offset = p.next;
  }
}
const readAll = (maxBytes: number, onPage?: (p: StepLogPage) => void) => readFrom(0, maxBytes, onPage).lines;

describe('readStepLogPage', () => {
  it('serves a 200,000-line file in bounded pages that add up to every line once, in order', () => {
    fs.writeFileSync(file, stamped(0, 200_000));
    const pages: StepLogPage[] = [];
    const lines = readAll(256 * 1024, (p) => pages.push(p));
    expect(lines).toEqual(numbered(0, 200_000));
    expect(pages.length).toBeGreaterThan(20);
    for (const [i, p] of pages.entries()) {
      expect(p.next - p.offset).toBeLessThanOrEqual(256 * 1024);
      if (i > 0) expect(p.offset).toBe(pages[i - 1]!.next);
    }
    // The total, for the progress line, comes with the first page only.
    expect(pages[0]!.totalLines).toBe(200_000);
    expect(pages.slice(1).every((p) => p.totalLines === undefined)).toBe(true);
    expect(pages[0]!.path).toBe(fs.realpathSync(file));
  });

  it('returns a last line without a newline once, after the whole lines before it', () => {
    fs.writeFileSync(file, `${stamped(0, 3)}2026-01-01T00:00:00.003Z line 4 cut sh`);
    const pages: StepLogPage[] = [];
    expect(readAll(1024, (p) => pages.push(p))).toEqual([...numbered(0, 3), 'line 4 cut sh']);
    expect(pages.map((p) => p.lines.length)).toEqual([3, 1]);
    expect(pages[0]!.totalLines).toBe(4);
  });

  it('follows a file still being written: lines added between pages come once, after the others', () => {
    fs.writeFileSync(file, stamped(0, 500));
    let pages = 0;
    const { lines } = readFrom(0, 4096, () => {
      if (++pages === 2) fs.appendFileSync(file, stamped(500, 700)); // the step prints on while the person reads
    });
    expect(lines).toEqual(numbered(0, 1200));
  });

  it('takes half a line at the end once, and the rest as a line of its own if the file grows after all', () => {
    fs.writeFileSync(file, `${stamped(0, 500)}2026-01-01T00:00:00.500Z line 5`);
    const first = readFrom(0, 4096);
    expect(first.lines).toEqual([...numbered(0, 500), 'line 5']);
    fs.appendFileSync(file, `01\n${stamped(501, 700)}`);
    const more = readFrom(first.next, 4096);
    expect([...first.lines, ...more.lines]).toEqual([...numbered(0, 500), 'line 5', '01', ...numbered(501, 700)]);
  });

  it('cuts a line longer than a page between characters, never inside one', () => {
    fs.writeFileSync(file, `${'é'.repeat(3000)}\nnext\n`); // 2 bytes each: a 1025-byte page ends mid-character
    const lines = readAll(1025);
    expect(lines.join('')).toBe(`${'é'.repeat(3000)}next`);
    expect(lines.every((l) => !l.includes('\uFFFD'))).toBe(true);
  });

  it('answers an offset past the end with a typed BAD_REQUEST', () => {
    fs.writeFileSync(file, stamped(0, 3));
    const size = fs.statSync(file).size;
    expect(readStepLogPage(journal(file), 'stack', logs, size).lines).toEqual([]);
    expect(() => readStepLogPage(journal(file), 'stack', logs, size + 1)).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }) as unknown as Error);
    expect(() => readStepLogPage(journal(path.join(logs, 'r1', 'other.log')), 'stack', logs, 1)).toThrow(ApiException);
  });

  it('refuses a log outside the logs folder, or a link in it pointing out, and reads nothing for a step without one', () => {
    const outside = path.join(dir, 'elsewhere.log');
    fs.writeFileSync(outside, stamped(0, 3));
    expect(() => readStepLogPage(journal(outside), 'stack', logs)).toThrow(expect.objectContaining({ code: 'BAD_REQUEST', message: expect.stringContaining('Refused') }) as unknown as Error);
    fs.symlinkSync(outside, file);
    expect(() => readStepLogPage(journal(file), 'stack', logs)).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }) as unknown as Error);
    expect(readStepLogPage(journal(file), 'other', logs)).toEqual({ lines: [], offset: 0, next: 0, size: 0 });
    expect(readStepLogPage(null, 'stack', logs)).toEqual({ lines: [], offset: 0, next: 0, size: 0 });
  });
});
