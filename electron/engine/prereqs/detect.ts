// Prerequisite detection (docs/architecture.md §4 step 2): each tool's presence, version against its minimum, and
// for container runtimes whether the daemon / machine answers. The app's bin dir is looked at first,
// then PATH (the env passed in already has that order, see process/path-env.ts).
import fs from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import type { ToolName, ToolStatus } from '../../../shared/api/engine.js';
import { RUNTIMES, TOOLS } from '../../../shared/tools.js';
import { parseVersionJson } from '../host/runtimes.js';
import { runProcess } from '../process/runner.js';

/** Which container runtimes a PATH holds: what `driver: auto` resolves from in the plan and in settings checks. */
export const runtimesOnPath = (PATH: string | undefined): { docker: boolean; podman: boolean } =>
  ({ docker: !!findExecutable('docker', PATH), podman: !!findExecutable('podman', PATH) });

export function findExecutable(name: string, pathVar: string | undefined): string | undefined {
  for (const dir of (pathVar ?? '').split(path.delimiter).filter(Boolean)) {
    const file = path.join(dir, name);
    try {
      const st = fs.statSync(file);
      if (!st.isFile()) continue;
      fs.accessSync(file, fs.constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Arguments that make each tool print its version, and how to read it. */
export const VERSION_ARGS: Record<ToolName, string[]> = {
  docker: ['version', '--format', 'json'],
  podman: ['version', '--format', 'json'],
  minikube: ['version', '--short'],
  helm: ['version', '--short'],
  helmfile: ['--version'],
  kubectl: ['version', '--client', '-o', 'json'],
};

/** "v1.37.0", "v3.19.0+g3d8990f", "helmfile version 1.1.7", kubectl's JSON → "1.37.0". */
export function parseToolVersion(name: ToolName, stdout: string): string | undefined {
  let text = stdout.trim();
  if (name === 'kubectl') {
    try {
      const doc = JSON.parse(text) as { clientVersion?: { gitVersion?: string } };
      text = doc.clientVersion?.gitVersion ?? text;
    } catch {
      // older kubectl prints text
    }
  }
  const m = /v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)/.exec(text);
  return m ? (semver.valid(m[1]!) ?? semver.coerce(m[1]!)?.version) : undefined;
}

export interface DetectOptions {
  env: NodeJS.ProcessEnv;
  binDir: string;
  platform: string;
  /** The runtime the settings resolve to; the other one is reported but not required. */
  driver: 'docker' | 'podman';
  signal?: AbortSignal;
}

const ANY_EXIT = Array.from({ length: 256 }, (_, i) => i);

export async function detectTool(name: ToolName, opts: DetectOptions): Promise<ToolStatus> {
  const isRuntime = name === 'docker' || name === 'podman';
  const minimum = isRuntime ? RUNTIMES[name].minimum : TOOLS[name].minimum;
  const required = isRuntime ? name === opts.driver : TOOLS[name].required;
  const install: ToolStatus['install'] = isRuntime
    ? name === 'podman' && opts.platform === 'linux' ? 'admin' : 'manual'
    : 'download';
  const base = { name, required, minimum, install, ...(isRuntime ? {} : { pinned: TOOLS[name].version }) };
  const file = findExecutable(name, opts.env.PATH);
  if (!file) {
    return { ...base, installed: false, ok: false, problem: `${name} is not installed${required ? '' : ' (optional)'}.` };
  }
  const source = path.dirname(file) === path.resolve(opts.binDir) ? 'app' as const : 'system' as const;
  let stdout: string;
  let exitCode: number | undefined;
  try {
    const res = await runProcess(file, VERSION_ARGS[name], { env: opts.env, timeoutMs: 20_000, okExitCodes: ANY_EXIT, ...(opts.signal ? { signal: opts.signal } : {}) });
    stdout = res.stdout;
    exitCode = res.exitCode;
  } catch {
    return { ...base, installed: true, path: file, source, ok: false, problem: `${name} is installed but did not answer \`${name} ${VERSION_ARGS[name].join(' ')}\`.` };
  }
  const presence = isRuntime ? parseVersionJson({ notFound: false, exitCode, stdout, stderr: '' }) : undefined;
  const version = presence ? presence.version : exitCode === 0 ? parseToolVersion(name, stdout) : undefined;
  const running = presence?.running;
  const status: ToolStatus = { ...base, installed: true, path: file, source, ok: true, ...(version ? { version } : {}), ...(running !== undefined ? { running } : {}) };
  const coerced = version ? semver.coerce(version)?.version : undefined;
  if (!coerced) return { ...status, ok: false, problem: `Could not read the version of ${name}.` };
  if (semver.lt(coerced, minimum)) {
    return { ...status, ok: false, problem: `${name} ${version} is older than the minimum ${minimum}.${isRuntime ? ' Update it.' : ' Install the pinned version.'}` };
  }
  // On macOS podman runs inside a machine; the podman-machine step starts it, so "not running" is expected there.
  if (isRuntime && running === false && !(name === 'podman' && opts.platform === 'darwin')) {
    return { ...status, ok: false, problem: name === 'docker' ? 'The Docker daemon is not running: start Docker Desktop (or `systemctl start docker`).' : 'Podman does not answer: check `podman info`.' };
  }
  return status;
}
