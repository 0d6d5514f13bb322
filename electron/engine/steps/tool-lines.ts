// Runs a tool like ctx.run (same env, signal, redaction, step log) but also hands each output line to the
// step, for tools whose output carries progress (minikube's --output=json step events).
import { formatCommand, runProcess, type RunOptions, type RunResult, type StreamName } from '../process/runner.js';
import type { StepContext } from '../plan/step.js';

export function runWithLines(ctx: StepContext, file: string, args: string[], onLine: (line: string, stream: StreamName) => void,
  opts: Omit<RunOptions, 'env' | 'signal' | 'redactor' | 'onLine'> = {}): Promise<RunResult> {
  ctx.log(`$ ${formatCommand([file, ...args])}`);
  return runProcess(file, args, { ...opts, env: ctx.env, signal: ctx.signal, redactor: ctx.redactor, onLine });
}
