// The process runner (docs/architecture.md §4 "Process runner"): execa with argument arrays (never a shell string),
// stdout/stderr streamed line by line, cancellation and timeouts that kill the whole process tree, secret
// redaction of every line, and a typed error carrying the exit code and the last lines of output.
//
// Tree killing: each tool starts as the leader of its own process group (`detached: true`), so one
// kill(-pgid) reaches the grandchildren too (minikube → docker, helmfile → helm). SIGTERM first, then
// SIGKILL to the group once the leader is gone or the grace period ends, so nothing survives a cancel.
import { execa } from 'execa';
import { ApiException, type ErrorCode } from '../../../shared/result.js';
import type { GroupRecorder } from './process-groups.js';
import { Redactor } from './redact.js';

export type StreamName = 'stdout' | 'stderr';

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Written to stdin, then closed; stdin is ignored otherwise. */
  input?: string;
  onLine?: (line: string, stream: StreamName) => void;
  redactor?: Redactor;
  /** Time between SIGTERM and SIGKILL on cancel or timeout. */
  killGraceMs?: number;
  /** Lines kept for the error message. */
  tailLines?: number;
  /** Exit codes that count as success (default [0]). */
  okExitCodes?: number[];
  /**
   * Where the tool's process group is recorded while it runs (process-groups.ts), so a run that resumes
   * after this process was killed can stop it instead of starting a second copy beside it.
   */
  groups?: GroupRecorder;
}

export interface RunResult {
  exitCode: number;
  /** Redacted full output (capped), for callers that parse it (`--format json`). */
  stdout: string;
  stderr: string;
  durationMs: number;
}

/** Keep at most this much of each stream in memory; logs carry everything. */
const MAX_CAPTURE = 8 * 1024 * 1024;

export class ProcessError extends ApiException {
  constructor(
    code: ErrorCode,
    message: string,
    readonly command: string[],
    readonly exitCode: number | undefined,
    readonly lastLines: string[],
    hint?: string,
  ) {
    super(code, message, hint, { command, exitCode, lastLines });
    this.name = 'ProcessError';
  }

  get cancelled(): boolean {
    return this.code === 'CANCELLED';
  }
}

/** Splits a stream into lines on \n, \r\n and bare \r (spinners redraw with \r; keep each state once). */
export class LineSplitter {
  private rest = '';
  constructor(private readonly emit: (line: string) => void) {}

  push(chunk: string): void {
    const text = this.rest + chunk;
    const parts = text.split(/\r\n|\n|\r/);
    this.rest = parts.pop() ?? '';
    for (const p of parts) this.emit(p);
  }

  end(): void {
    if (this.rest.length > 0) this.emit(this.rest);
    this.rest = '';
  }
}

export const formatCommand = (argv: string[]): string =>
  argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

export async function runProcess(file: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  const redactor = opts.redactor ?? new Redactor();
  const command = [file, ...args];
  const shown = redactor.redact(formatCommand(command));
  const tailSize = opts.tailLines ?? 20;
  const tail: string[] = [];
  const captured: Record<StreamName, string[]> = { stdout: [], stderr: [] };
  const capturedSize: Record<StreamName, number> = { stdout: 0, stderr: 0 };
  const started = Date.now();

  if (opts.signal?.aborted) throw new ProcessError('CANCELLED', `Cancelled before \`${shown}\` started.`, command, undefined, []);

  const sub = execa(file, args, {
    env: opts.env ?? process.env,
    extendEnv: false,
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
    detached: true,
    ...(opts.input !== undefined ? { input: opts.input } : { stdin: 'ignore' as const }),
    buffer: false,
    reject: false,
    encoding: 'utf8',
  });

  // Recorded as soon as it exists: a `kill -9` of this process a moment later must still leave a trace.
  const recorded = sub.pid !== undefined && opts.groups ? opts.groups.record(sub.pid, shown).catch(() => undefined) : undefined;

  const onLine = (stream: StreamName) => (raw: string) => {
    const line = redactor.redact(raw);
    tail.push(line);
    if (tail.length > tailSize) tail.shift();
    if (capturedSize[stream] < MAX_CAPTURE) {
      captured[stream].push(line);
      capturedSize[stream] += line.length + 1;
    }
    opts.onLine?.(line, stream);
  };
  const splitters = { stdout: new LineSplitter(onLine('stdout')), stderr: new LineSplitter(onLine('stderr')) };
  sub.stdout?.setEncoding('utf8');
  sub.stderr?.setEncoding('utf8');
  sub.stdout?.on('data', (c: string) => splitters.stdout.push(c));
  sub.stderr?.on('data', (c: string) => splitters.stderr.push(c));

  let stopReason: 'cancel' | 'timeout' | undefined;
  let exited = false;
  let graceTimer: NodeJS.Timeout | undefined;
  const stop = (reason: 'cancel' | 'timeout') => {
    if (stopReason || exited) return;
    stopReason = reason;
    killGroup(sub.pid, 'SIGTERM');
    graceTimer = setTimeout(() => killGroup(sub.pid, 'SIGKILL'), opts.killGraceMs ?? 3000);
  };
  const onAbort = () => stop('cancel');
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  const timeout = opts.timeoutMs ? setTimeout(() => stop('timeout'), opts.timeoutMs) : undefined;

  let result;
  try {
    result = await sub;
  } finally {
    exited = true;
    opts.signal?.removeEventListener('abort', onAbort);
    if (timeout) clearTimeout(timeout);
    if (graceTimer) clearTimeout(graceTimer);
    // After a cancel the leader is gone but a grandchild that ignored SIGTERM may not be: finish the group.
    if (stopReason) killGroup(sub.pid, 'SIGKILL');
    if (sub.pid !== undefined && opts.groups) {
      await recorded;
      try {
        opts.groups.forget(sub.pid);
      } catch {
        // A ledger that cannot be written must not turn a finished tool into a failure; the entry's
        // leader is gone, so a later stopOrphanedGroups finds nothing left of it.
      }
    }
  }
  splitters.stdout.end();
  splitters.stderr.end();
  const durationMs = Date.now() - started;
  const lastLines = [...tail];

  if (stopReason === 'cancel') {
    throw new ProcessError('CANCELLED', `Cancelled \`${shown}\`.`, command, result.exitCode, lastLines);
  }
  if (stopReason === 'timeout') {
    throw new ProcessError('TIMEOUT', `\`${shown}\` did not finish within ${Math.round((opts.timeoutMs ?? 0) / 1000)} s and was stopped.`, command, result.exitCode, lastLines,
      'Check the step log for where it stalled, then retry.');
  }
  const code = (result as { code?: unknown }).code;
  if (code === 'ENOENT') {
    throw new ProcessError('TOOL_MISSING', `\`${file}\` was not found on PATH.`, command, undefined, lastLines,
      `Install ${file} from the Prerequisites page (or \`npm run cli -- check\`), then retry.`);
  }
  const exitCode = result.exitCode;
  const okCodes = opts.okExitCodes ?? [0];
  if (exitCode === undefined || !okCodes.includes(exitCode)) {
    const how = exitCode === undefined ? `was killed by ${result.signal ?? 'a signal'}` : `exited with code ${exitCode}`;
    const last = lastLines.filter((l) => l.trim()).slice(-1)[0];
    throw new ProcessError('TOOL_FAILED', `\`${shown}\` ${how}${last ? `: ${last.trim()}` : '.'}`, command, exitCode, lastLines,
      'The last lines of its output are in the step log; fix the cause and retry.');
  }
  return { exitCode, stdout: captured.stdout.join('\n'), stderr: captured.stderr.join('\n'), durationMs };
}
