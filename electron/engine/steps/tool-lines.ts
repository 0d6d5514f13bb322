// Runs a tool through ctx.run (same env, signal, redaction, the `$ command` log line and the process-group
// ledger that lets a resumed run stop what a killed one left) but hands each output line to the step
// instead of the log, for tools whose output carries progress (minikube's --output=json step events).
import type { RunResult, StreamName } from '../process/runner.js';
import type { StepContext, StepRunOptions } from '../plan/step.js';

export function runWithLines(ctx: StepContext, file: string, args: string[], onLine: (line: string, stream: StreamName) => void,
  opts: Omit<StepRunOptions, 'onLine' | 'quiet'> = {}): Promise<RunResult> {
  return ctx.run(file, args, { ...opts, onLine });
}
