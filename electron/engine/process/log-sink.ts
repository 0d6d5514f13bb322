// Where a step's output goes (docs/architecture.md §3): a log file per step under the app data dir, a bounded replay
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
  /** Most lines one event carries; a flood beyond it is summarised in one line (the file keeps all). */
  maxBatchLines?: number;
}

interface StepBuffer {
  lines: string[];
  seq: number;
  pending: string[];
  /** Lines of a flood left out of the live events since the last flush. */
  skipped: number;
  /** File text waiting for the next flush: one write per batch, not per line. */
  fileText: string[];
  timer: NodeJS.Timeout | undefined;
  file: fs.WriteStream | undefined;
  filePath: string | undefined;
  /** The run whose lines the buffer holds: the replay is one run's, never an install's under its teardown. */
  runId: string | undefined;
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
  private readonly maxBatchLines: number;

  constructor(private readonly opts: LogBookOptions) {
    this.replayLines = opts.replayLines ?? 5000;
    this.batchMs = opts.batchMs ?? 16;
    this.maxLineLength = opts.maxLineLength ?? 8192;
    this.maxBatchLines = opts.maxBatchLines ?? 2000;
  }

  private buffer(stepId: string): StepBuffer {
    let b = this.steps.get(stepId);
    if (!b) {
      b = { lines: [], seq: 0, pending: [], skipped: 0, fileText: [], timer: undefined, file: undefined, filePath: undefined, runId: undefined };
      this.steps.set(stepId, b);
    }
    return b;
  }

  /** Opens (appending) the step's log file for a run and returns the writer. */
  open(runId: string, stepId: string): StepLog {
    const b = this.buffer(stepId);
    if (b.runId !== runId) {
      // Another run of this step (the teardown after the install, a fresh run): the last run's pending lines
      // go out under its own id, then the replay starts empty. A resume keeps its run id and its lines. The
      // sequence keeps counting, so a consumer never takes the new run's first batch for one it has.
      this.flush(stepId);
      b.lines = [];
      b.runId = runId;
    }
    const filePath = path.join(this.opts.logsDir, runId, `${stepId}.log`);
    if (b.filePath !== filePath) {
      this.writeFile(b);
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
    // Trim in bulk (amortised O(1) per line): splicing one line off a 5000-line array per write made a
    // chatty tool cost milliseconds per line (bench/run.ts "log flood").
    if (b.lines.length >= this.replayLines * 2) b.lines = b.lines.slice(-this.replayLines);
    if (b.file) {
      b.fileText.push(`${new Date().toISOString()} ${line}\n`);
      if (b.fileText.length >= 1000) this.writeFile(b);
    }
    b.pending.push(line);
    if (b.pending.length >= this.maxBatchLines * 2) {
      b.skipped += b.pending.length - this.maxBatchLines;
      b.pending = b.pending.slice(-this.maxBatchLines);
    }
    b.timer ??= setTimeout(() => this.flush(stepId), this.batchMs);
  }

  flush(stepId: string): void {
    const b = this.steps.get(stepId);
    if (!b) return;
    if (b.timer) clearTimeout(b.timer);
    b.timer = undefined;
    this.writeFile(b);
    if (b.pending.length === 0) return;
    let lines = b.pending;
    if (lines.length > this.maxBatchLines) {
      b.skipped += lines.length - this.maxBatchLines;
      lines = lines.slice(-this.maxBatchLines);
    }
    if (b.skipped > 0) {
      lines = [`… ${b.skipped.toLocaleString('en')} lines of fast output not shown live (all are in this step's log file)`, ...lines];
      b.skipped = 0;
    }
    b.pending = [];
    b.seq += 1;
    this.opts.emit({ stepId, seq: b.seq, lines, ...(b.runId ? { runId: b.runId } : {}) });
  }

  private writeFile(b: StepBuffer): void {
    if (b.fileText.length === 0) return;
    b.file?.write(b.fileText.join(''));
    b.fileText = [];
  }

  replay(stepId: string): { stepId: string; seq: number; lines: string[]; runId?: string } {
    const b = this.steps.get(stepId);
    return { stepId, seq: b?.seq ?? 0, lines: b ? b.lines.slice(-this.replayLines) : [], ...(b?.runId ? { runId: b.runId } : {}) };
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
