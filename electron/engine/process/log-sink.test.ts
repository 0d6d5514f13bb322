import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { StepLogEvent } from '../../../shared/api/engine.js';
import { LogBook } from './log-sink.js';
import { Redactor } from './redact.js';

const dirs: string[] = [];
const tmp = () => { const d = fs.mkdtempSync(path.join(os.tmpdir(), 'logs-')); dirs.push(d); return d; };
afterEach(() => { for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true }); });

describe('LogBook', () => {
  it('batches a flood of lines into few events with increasing sequence numbers', async () => {
    const events: StepLogEvent[] = [];
    const book = new LogBook({ logsDir: tmp(), redactor: new Redactor(), emit: (e) => events.push(e), batchMs: 16 });
    const log = book.open('run1', 'prerequisites');
    for (let i = 0; i < 1000; i++) log.write(`line ${i}`);
    await new Promise((r) => setTimeout(r, 40));
    log.write('late');
    await book.close();
    expect(events.length).toBe(2);
    expect(events[0]!.lines).toHaveLength(1000);
    expect(events.map((e) => e.seq)).toEqual([1, 2]);
    expect(events[1]!.lines).toEqual(['late']);
  });

  it('summarises a flood beyond one batch in a single line while the file keeps every line', async () => {
    const events: StepLogEvent[] = [];
    const book = new LogBook({ logsDir: tmp(), redactor: new Redactor(), emit: (e) => events.push(e), maxBatchLines: 100, replayLines: 50 });
    const log = book.open('run2', 'stack');
    for (let i = 0; i < 10_000; i++) log.write(`line ${i}`);
    await book.close();
    expect(events).toHaveLength(1);
    expect(events[0]!.lines).toHaveLength(101);
    expect(events[0]!.lines[0]).toBe("… 9,900 lines of fast output not shown live (all are in this step's log file)");
    expect(events[0]!.lines.at(-1)).toBe('line 9999');
    expect(book.replay('stack').lines).toHaveLength(50);
    expect(book.replay('stack').lines[0]).toBe('line 9950');
    expect(fs.readFileSync(log.filePath, 'utf8').trim().split('\n')).toHaveLength(10_000);
  });

  it('writes a log file per step under the run and keeps a bounded replay buffer', async () => {
    const dir = tmp();
    const book = new LogBook({ logsDir: dir, redactor: new Redactor(), emit: () => {}, replayLines: 3 });
    const log = book.open('run7', 'podman-machine');
    for (const l of ['a', 'b', 'c', 'd']) log.write(l);
    await book.close();
    expect(log.filePath).toBe(path.join(dir, 'run7', 'podman-machine.log'));
    const file = fs.readFileSync(log.filePath, 'utf8').trim().split('\n');
    expect(file.map((l) => l.split(' ').slice(1).join(' '))).toEqual(['a', 'b', 'c', 'd']);
    expect(book.replay('podman-machine').lines).toEqual(['b', 'c', 'd']);
    expect(book.replay('unknown')).toEqual({ stepId: 'unknown', seq: 0, lines: [] });
  });

  it('redacts secrets in the event, the replay buffer and the file', async () => {
    const events: StepLogEvent[] = [];
    const book = new LogBook({ logsDir: tmp(), redactor: new Redactor(['hf_secret_token']), emit: (e) => events.push(e) });
    const log = book.open('r', 's');
    log.write('using hf_secret_token now');
    await book.close();
    expect(events[0]!.lines).toEqual(['using *** now']);
    expect(book.replay('s').lines).toEqual(['using *** now']);
    expect(fs.readFileSync(log.filePath, 'utf8')).not.toContain('hf_secret_token');
  });
});
