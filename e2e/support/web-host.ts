// Starts the built web host (out/web/web.js) as a child process with a throw-away app data dir and
// reads the URL line it prints.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SCREENSHOTS = path.join(ROOT, 'test-results', 'screenshots');
const URL_LINE = /llm-d Installer web UI: (http:\/\/127\.0\.0\.1:(\d+)\/\?token=([\w-]+))/;

export interface RunningWebHost {
  url: string;
  port: number;
  token: string;
  dataDir: string;
  pid: number;
  stop(): Promise<void>;
  /** Kills the engine outright (a crash): no clean-up runs. */
  kill(): Promise<void>;
}

export interface StartOptions {
  /** Reuse this app data dir (an engine restart); it is then left in place by stop(). */
  dataDir?: string;
}

export async function startWebHostProcess(env: NodeJS.ProcessEnv = {}, opts: StartOptions = {}): Promise<RunningWebHost> {
  const entry = path.join(ROOT, 'out', 'web', 'web.js');
  await fs.access(entry).catch(() => {
    throw new Error('out/web/web.js is missing: run `npm run build` first.');
  });
  const dataDir = opts.dataDir ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'llmd-e2e-')));
  const child: ChildProcess = spawn(process.execPath, [entry, '--port', '0'], {
    cwd: ROOT,
    env: { ...process.env, LLMD_INSTALLER_HOME: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const match = await new Promise<RegExpMatchArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`web host printed no URL within 15 s:\n${output}`)), 15_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const m = URL_LINE.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`web host exited with ${code}:\n${output}`));
    });
  });
  return {
    url: match[1]!,
    port: Number(match[2]),
    token: match[3]!,
    dataDir,
    pid: child.pid!,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      if (!opts.dataDir) await fs.rm(dataDir, { recursive: true, force: true });
    },
    async kill() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    },
  };
}
