// A step's whole log on demand (shared/api/engine.ts `step.logFile`): the live events and the replay
// buffer are bounded (process/log-sink.ts), the step's log file is not, so a person who wants every
// line of a flood reads it from the file. The file is named by the journal, and only a file whose real
// path is inside the app's logs folder is read. It is served in pages bounded by bytes (issue #16): one
// reply holding a 200,000-line file took 376 ms of the renderer's main thread to parse and validate,
// a page of STEP_LOG_PAGE_BYTES takes a few. A page holds whole lines only and says where the next one
// starts, so a client reads the file exactly once, in order, and a file still being written is followed
// by asking again from `next`.
import fs from 'node:fs';
import path from 'node:path';
import type { JournalDoc } from '../../shared/api/engine.js';
import { STEP_LOG_PAGE_BYTES } from '../../shared/api/engine.js';
import { ApiException } from '../../shared/result.js';

export interface StepLogPage {
  lines: string[];
  /** Byte offset the page starts at (as asked). */
  offset: number;
  /** Byte offset of the first line not in this page: the next request's `offset`. */
  next: number;
  /** The file's size when read: `next === size` means the client has all of it (so far). */
  size: number;
  /** Lines in the whole file, counted for the first page only (a progress bar's total). */
  totalLines?: number;
  path?: string;
}

/** Each line in the file starts with the time it was written (log-sink.ts); the terminal shows the line. */
const TIMESTAMP = /^\d{4}-\d\d-\d\dT[\d:.]+Z /;

/** Line ends in the file's first `bytes`, read a MiB at a time. */
function countLines(fd: number, bytes: number): number {
  const chunk = Buffer.alloc(Math.min(bytes, 1024 * 1024));
  let n = 0;
  for (let at = 0; at < bytes;) {
    const got = fs.readSync(fd, chunk, 0, Math.min(chunk.length, bytes - at), at);
    if (got <= 0) break;
    const part = chunk.subarray(0, got);
    for (let i = part.indexOf(10); i !== -1; i = part.indexOf(10, i + 1)) n++;
    at += got;
  }
  return n;
}

/** The real path of the step's log if it lies inside the logs folder; undefined when it is missing. */
function confinedLogPath(logPath: string, logsDir: string): string | undefined {
  let real: string;
  try {
    real = fs.realpathSync(logPath);
  } catch {
    return undefined; // not written yet, or removed with the logs
  }
  let root: string;
  try {
    root = fs.realpathSync(logsDir);
  } catch {
    root = path.resolve(logsDir);
  }
  const inside = path.relative(root, real);
  // A journal (or a symlink in the logs folder) naming a file elsewhere is refused, never read.
  if (inside === '' || inside.startsWith('..') || path.isAbsolute(inside)) {
    throw new ApiException('BAD_REQUEST', `Refused: the journal names a log outside the logs folder (${logPath}).`);
  }
  return real;
}

/**
 * One page of the step's log file from byte `offset`: the whole lines within `maxBytes`. A line longer
 * than the page (the log sink caps lines far below it) is cut at the page's end, between characters; a
 * last line the file does not end with is returned once it is all that is left (the log sink writes
 * whole lines, so that is a file cut short — should it grow after all, the rest comes as a line of its
 * own, every byte still read once).
 */
export function readStepLogPage(journal: JournalDoc | null, stepId: string, logsDir: string, offset = 0, maxBytes = STEP_LOG_PAGE_BYTES): StepLogPage {
  const logPath = journal?.steps.find((s) => s.id === stepId)?.logPath;
  const none = (size: number): StepLogPage => {
    if (offset > size) throw new ApiException('BAD_REQUEST', `offset ${offset} is past the end of the log (${size} bytes).`);
    return { lines: [], offset, next: offset, size };
  };
  if (!logPath) return none(0);
  const file = confinedLogPath(logPath, logsDir);
  if (!file) return { ...none(0), path: path.resolve(logPath) };
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    if (offset > size) throw new ApiException('BAD_REQUEST', `offset ${offset} is past the end of the log (${size} bytes).`);
    const buf = Buffer.alloc(Math.min(maxBytes, size - offset));
    const got = buf.length ? fs.readSync(fd, buf, 0, buf.length, offset) : 0;
    const window = buf.subarray(0, got);
    const lastNl = window.lastIndexOf(10);
    const atEnd = offset + got >= size;
    // Whole lines only; a tail without a newline waits for the next page unless nothing else is left.
    const body = lastNl >= 0 ? window.subarray(0, lastNl + 1) : atEnd ? window : window.subarray(0, utf8Boundary(window));
    const text = body.toString('utf8');
    const lines = text === '' ? [] : text.split('\n');
    if (lines.at(-1) === '') lines.pop();
    return {
      lines: lines.map((l) => l.replace(TIMESTAMP, '')),
      offset,
      next: offset + body.length,
      size,
      ...(offset === 0 ? { totalLines: countLines(fd, size) + (size > 0 && !endsWithNewline(fd, size) ? 1 : 0) } : {}),
      path: file,
    };
  } finally {
    fs.closeSync(fd);
  }
}

/** Where a cut through `b` leaves no UTF-8 character in halves: before a lead byte whose tail is missing. */
function utf8Boundary(b: Buffer): number {
  let lead = b.length - 1;
  while (lead > 0 && (b[lead]! & 0xc0) === 0x80) lead--;
  const first = b[lead]!;
  const width = first >= 0xf0 ? 4 : first >= 0xe0 ? 3 : first >= 0xc0 ? 2 : 1;
  return lead + width > b.length ? lead : b.length;
}

function endsWithNewline(fd: number, size: number): boolean {
  const last = Buffer.alloc(1);
  fs.readSync(fd, last, 0, 1, size - 1);
  return last[0] === 10;
}
