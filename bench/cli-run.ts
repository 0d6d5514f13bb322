// Runs `npm run cli` (node scripts/cli.mjs — the CLI's public entry point) against a simulated world and
// times it, wall clock, from spawn to exit.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ROOT } from './sim-world.js';

export interface CliRun {
  code: number | null;
  ms: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: readonly string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
  const started = performance.now();
  const child = spawn(process.execPath, [path.join(ROOT, 'scripts', 'cli.mjs'), ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, ms: performance.now() - started, stdout, stderr }));
  });
}

/** Runs the CLI and fails the benchmark (with its output) when it does not exit 0. */
export async function runCliOk(args: readonly string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
  const r = await runCli(args, env);
  if (r.code !== 0) throw new Error(`cli ${args.join(' ')} exited ${r.code}:\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`);
  return r;
}
