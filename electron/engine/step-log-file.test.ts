// step.logFile's reader: every line of a step's log file, without the time each was written; the end of a
// file larger than the bound, with the count of lines left out; nothing from outside the logs folder.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JournalDoc } from '../../shared/api/engine.js';
import { readStepLogFile } from './step-log-file.js';

let dir: string;
beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'step-log-file-')); });
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const journal = (logPath: string): JournalDoc => ({
  version: 1, runId: 'r1', kind: 'up', status: 'succeeded', pid: 1, startedAt: '2026-01-01T00:00:00.000Z', settings: {},
  steps: [{ id: 'stack', state: 'done', logPath }],
});
const write = (file: string, n: number) => {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, Array.from({ length: n }, (_, i) => `2026-01-01T00:00:00.${String(i % 1000).padStart(3, '0')}Z line ${i + 1}\n`).join(''));
};

describe('readStepLogFile', () => {
  it('returns every line of the step’s file, as the terminal shows them', () => {
    const file = path.join(dir, 'logs', 'r1', 'stack.log');
    write(file, 200_000);
    const r = readStepLogFile(journal(file), 'stack', path.join(dir, 'logs'));
    expect(r.lines).toHaveLength(200_000);
    expect(r.lines[0]).toBe('line 1');
    expect(r.lines.at(-1)).toBe('line 200000');
    expect(r.omittedLines).toBe(0);
    expect(r.path).toBe(file);
  });

  it('returns the end of a file larger than the bound and counts the lines before it', () => {
    const file = path.join(dir, 'logs', 'r1', 'stack.log');
    write(file, 1000);
    const r = readStepLogFile(journal(file), 'stack', path.join(dir, 'logs'), 3000);
    expect(r.lines.at(-1)).toBe('line 1000');
    expect(r.omittedLines + r.lines.length).toBe(1000);
    expect(r.lines[0]).toBe(`line ${r.omittedLines + 1}`);
  });

  it('reads nothing outside the logs folder, and nothing for a step without a log', () => {
    const file = path.join(dir, 'elsewhere.log');
    write(file, 3);
    expect(readStepLogFile(journal(file), 'stack', path.join(dir, 'logs')).lines).toEqual([]);
    expect(readStepLogFile(journal(file), 'other', path.join(dir, 'logs'))).toEqual({ lines: [], omittedLines: 0 });
    expect(readStepLogFile(null, 'stack', path.join(dir, 'logs'))).toEqual({ lines: [], omittedLines: 0 });
  });
});
