// docker / podman presence and state. A missing binary and a missing daemon are normal answers here,
// not errors: "docker client present, daemon down" is { installed: true, running: false }.
import { execa } from 'execa';
import type { ToolPresence } from '../../../shared/api/host.js';

export interface CommandOutcome {
  /** The executable was not found (ENOENT). */
  notFound: boolean;
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
}

export type CommandRunner = (file: string, args: string[]) => Promise<CommandOutcome>;

/**
 * Runs a command with an argument array (never a shell), a timeout, and no throw on failure. `env` is the
 * tool environment (process/path-env.ts toolEnv): detection looks for docker and podman on the very PATH
 * the plan's commands run with, so the facts and the plan cannot disagree about what is installed.
 */
export function execaRunner(env: NodeJS.ProcessEnv, timeoutMs = 8000): CommandRunner {
  return async (file, args) => {
    const result = await execa(file, args, {
      reject: false,
      timeout: timeoutMs,
      env,
      extendEnv: false,
      stdin: 'ignore',
    });
    const code = (result as { code?: unknown }).code;
    return {
      notFound: code === 'ENOENT',
      exitCode: result.exitCode,
      stdout: typeof result.stdout === 'string' ? result.stdout : '',
      stderr: typeof result.stderr === 'string' ? result.stderr : '',
    };
  };
}

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

const record = (v: unknown): Record<string, unknown> | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

/**
 * `docker version --format json` prints {"Client":{…},"Server":{…}|null} and exits 1 when the daemon is
 * unreachable; `podman version --format json` prints {"Client":{…},"Server":{…}} (Server only when a
 * machine/service answers).
 */
export function parseVersionJson(outcome: CommandOutcome): ToolPresence {
  if (outcome.notFound) return { installed: false };
  const doc = record(parseJson(outcome.stdout.trim()));
  const client = record(doc?.Client);
  const server = record(doc?.Server);
  const version = str(client?.Version) ?? str(server?.Version);
  return {
    installed: true,
    ...(version ? { version } : {}),
    running: outcome.exitCode === 0 && server !== undefined,
  };
}

/** Parses `podman machine list --format json` (an array of {Name, Running, CPUs, Memory, DiskSize}). */
export function parseMachineList(stdout: string): NonNullable<ToolPresence['machines']> {
  const doc = parseJson(stdout.trim());
  if (!Array.isArray(doc)) return [];
  return doc.flatMap((entry) => {
    const m = record(entry);
    const name = str(m?.Name);
    if (!m || !name) return [];
    const num = (v: unknown): number | undefined => {
      const n = typeof v === 'string' ? Number(v) : v;
      return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
    };
    const cpus = num(m.CPUs);
    // podman reports Memory and DiskSize in bytes (as strings in some versions).
    const memoryBytes = num(m.Memory);
    const diskBytes = num(m.DiskSize);
    return [{
      name: name.replace(/\*$/, ''),
      running: m.Running === true || m.LastUp === 'Currently running',
      ...(cpus !== undefined ? { cpus } : {}),
      ...(memoryBytes !== undefined ? { memoryMiB: Math.round(memoryBytes / 2 ** 20) } : {}),
      ...(diskBytes !== undefined ? { diskGB: Math.round(diskBytes / 1e9) } : {}),
    }];
  });
}

export async function detectDocker(run: CommandRunner): Promise<ToolPresence> {
  return parseVersionJson(await run('docker', ['version', '--format', 'json']));
}

export async function detectPodman(run: CommandRunner, platform: NodeJS.Platform | string): Promise<ToolPresence> {
  const presence = parseVersionJson(await run('podman', ['version', '--format', 'json']));
  if (!presence.installed || platform !== 'darwin') return presence;
  // On macOS podman is only usable through a machine (a VM); "running" means one is up.
  const list = await run('podman', ['machine', 'list', '--format', 'json']);
  const machines = list.exitCode === 0 ? parseMachineList(list.stdout) : [];
  return { ...presence, machines, running: machines.some((m) => m.running) };
}
