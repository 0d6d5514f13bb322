// Where a step's output goes (DESIGN.md §3): a log file per step under the app data dir, a bounded replay
// buffer so a page that re-opens can show past output, and `step.log` events batched per ~16 ms with a
// sequence number, so a flood of output never floods the UI. Every line is redacted before any of them.
import fs from 'node:fs';
import path from 'node:path';
import type { StepLogEvent } from '../../../shared/api/engine.js';
import { Redactor } from './redact.js';

export interface LogBookOptions {
  logsDir: string;
  redactor: Redactor;
  emit: (event: StepLogEvent) => void;
  /** Lines kept per step for replay. */
  replayLines?: number;
  batchMs?: number;
  /** Longest line kept (a binary blob on stdout must not blow up the UI). */
  maxLineLength?: number;
}

interface StepBuffer {
  lines: string[];
  seq: number;
  pending: string[];
  timer: NodeJS.Timeout | undefined;
  file: fs.WriteStream | undefined;
  filePath: string | undefined;
}

export interface StepLog {
  readonly stepId: string;
  readonly filePath: string;
  write(line: string): void;
}

export class LogBook {
  private readonly steps = new Map<string, StepBuffer>();
  private readonly replayLines: number;
  private readonly batchMs: number;
  private readonly maxLineLength: number;

  constructor(private readonly opts: LogBookOptions) {
    this.replayLines = opts.replayLines ?? 5000;
    this.batchMs = opts.batchMs ?? 16;
    this.maxLineLength = opts.maxLineLength ?? 8192;
  }

  private buffer(stepId: string): StepBuffer {
    let b = this.steps.get(stepId);
    if (!b) {
      b = { lines: [], seq: 0, pending: [], timer: undefined, file: undefined, filePath: undefined };
      this.steps.set(stepId, b);
    }
    return b;
  }

  /** Opens (appending) the step's log file for a run and returns the writer. */
  open(runId: string, stepId: string): StepLog {
    const b = this.buffer(stepId);
    const filePath = path.join(this.opts.logsDir, runId, `${stepId}.log`);
    if (b.filePath !== filePath) {
      b.file?.end();
      fs.mkdirSync(path.dirname(filePath), { recursive: true });
      b.file = fs.createWriteStream(filePath, { flags: 'a', mode: 0o600 });
      b.file.on('error', () => { /* a full disk must not crash a step; the replay buffer still has the lines */ });
      b.filePath = filePath;
    }
    return { stepId, filePath, write: (line) => this.write(stepId, line) };
  }

  write(stepId: string, raw: string): void {
    const b = this.buffer(stepId);
    let line = this.opts.redactor.redact(raw);
    if (line.length > this.maxLineLength) line = `${line.slice(0, this.maxLineLength)} …[truncated]`;
    b.lines.push(line);
    if (b.lines.length > this.replayLines) b.lines.splice(0, b.lines.length - this.replayLines);
    b.file?.write(`${new Date().toISOString()} ${line}\n`);
    b.pending.push(line);
    b.timer ??= setTimeout(() => this.flush(stepId), this.batchMs);
  }

  flush(stepId: string): void {
    const b = this.steps.get(stepId);
    if (!b) return;
    if (b.timer) clearTimeout(b.timer);
    b.timer = undefined;
    if (b.pending.length === 0) return;
    const lines = b.pending;
    b.pending = [];
    b.seq += 1;
    this.opts.emit({ stepId, seq: b.seq, lines });
  }

  replay(stepId: string): { stepId: string; seq: number; lines: string[] } {
    const b = this.steps.get(stepId);
    return { stepId, seq: b?.seq ?? 0, lines: b ? [...b.lines] : [] };
  }

  /** Flushes pending events and closes the files (waits for the bytes to reach the disk). */
  async close(): Promise<void> {
    const closing: Promise<void>[] = [];
    for (const [stepId, b] of this.steps) {
      this.flush(stepId);
      const file = b.file;
      b.file = undefined;
      b.filePath = undefined;
      if (file) closing.push(new Promise((resolve) => file.end(() => resolve())));
    }
    await Promise.all(closing);
  }
}
