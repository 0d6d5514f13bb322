// A step's whole log on demand (shared/api/engine.ts `step.logFile`): the live events and the replay
// buffer are bounded (process/log-sink.ts), the step's log file is not, so a person who wants every
// line of a flood reads it from the file. The file is named by the journal, and only a file inside the
// app's logs folder is read. What is returned is bounded by bytes: the end of a larger file, with the
// number of lines left out before it.
import fs from 'node:fs';
import path from 'node:path';
import type { JournalDoc } from '../../shared/api/engine.js';

/** About 300,000 lines of a chatty tool; a JSON reply of this size still crosses the WebSocket at once. */
export const STEP_LOG_FILE_MAX_BYTES = 48 * 1024 * 1024;

export interface StepLogFile {
  lines: string[];
  omittedLines: number;
  path?: string;
}

/** Each line in the file starts with the time it was written (log-sink.ts); the terminal shows the line. */
const TIMESTAMP = /^\d{4}-\d\d-\d\dT[\d:.]+Z /;

/** Line ends in the file's first `bytes`, read a MiB at a time (the part left out can be any size). */
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

export function readStepLogFile(journal: JournalDoc | null, stepId: string, logsDir: string, maxBytes = STEP_LOG_FILE_MAX_BYTES): StepLogFile {
  const logPath = journal?.steps.find((s) => s.id === stepId)?.logPath;
  if (!logPath) return { lines: [], omittedLines: 0 };
  const file = path.resolve(logPath);
  const inside = path.relative(path.resolve(logsDir), file);
  if (inside.startsWith('..') || path.isAbsolute(inside)) return { lines: [], omittedLines: 0 };
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return { lines: [], omittedLines: 0, path: file }; // not written yet, or removed with the logs
  }
  try {
    const size = fs.fstatSync(fd).size;
    const from = Math.max(0, size - maxBytes);
    const buf = Buffer.alloc(size - from);
    fs.readSync(fd, buf, 0, buf.length, from);
    let omittedLines = 0;
    let body = buf;
    if (from > 0) {
      // Skip the partial line the cut landed in, and count the lines before the part returned.
      const nl = buf.indexOf(10);
      body = buf.subarray(nl + 1);
      omittedLines = countLines(fd, from) + 1;
    }
    const lines = body.toString('utf8').split('\n');
    if (lines.at(-1) === '') lines.pop();
    return { lines: lines.map((l) => l.replace(TIMESTAMP, '')), omittedLines, path: file };
  } finally {
    fs.closeSync(fd);
  }
}
