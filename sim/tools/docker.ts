// Simulated `docker` CLI: only what the installer asks of Docker (is it there, is the daemon up, how big
// is it). `docker version|info [--format json|'{{json .}}'|'{{.Field}}']`.
import { cpus, totalmem } from 'node:os';
import { loadScenario } from '../scenario.js';
import { stateDir } from '../state.js';
import { type Io, injectedFailure, parseFlags, stdio, str, UsageError } from './cli.js';
import { goArch, goOs, SIM_VERSIONS } from './versions.js';

const FORMAT_FLAGS = { format: { type: 'string', short: 'f' } } as const;

function versionDoc() {
  const side = {
    Version: SIM_VERSIONS.docker, ApiVersion: SIM_VERSIONS.dockerApi, GoVersion: SIM_VERSIONS.go, GitCommit: 'f8215cc',
    Os: 'linux', Arch: goArch(), BuildTime: '2025-10-08T12:17:10.000000000+00:00',
  };
  return {
    Client: { Platform: { Name: 'Docker Engine - Community' }, ...side, Os: goOs(), Context: 'default' },
    Server: { Platform: { Name: 'Docker Engine - Community' }, Components: [{ Name: 'Engine', Version: SIM_VERSIONS.docker }], ...side, MinAPIVersion: '1.24' },
  };
}

function infoDoc() {
  return {
    ID: 'SIMU:LATE:DDOC:KER0', Containers: 0, ContainersRunning: 0, Images: 0, Driver: 'overlay2',
    MemTotal: totalmem(), NCPU: cpus().length, OperatingSystem: 'Debian GNU/Linux 12 (bookworm)', OSType: 'linux',
    Architecture: process.arch === 'arm64' ? 'aarch64' : 'x86_64', ServerVersion: SIM_VERSIONS.docker,
    CgroupDriver: 'systemd', CgroupVersion: '2', SecurityOptions: ['name=seccomp,profile=builtin', 'name=cgroupns'],
    Name: 'sim-host', DockerRootDir: '/var/lib/docker',
  };
}

/** Go template subset the installer uses: `json`, `{{json .}}`, `{{.A.B}}`. */
export function formatGo(doc: unknown, format: string): string {
  if (format === 'json' || format === '{{json .}}') return JSON.stringify(doc);
  return format.replace(/\{\{\s*(json\s+)?\.([\w.]*)\s*\}\}/g, (_m, json: string | undefined, path: string) => {
    let v: unknown = doc;
    for (const k of path.split('.').filter(Boolean)) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
    return json ? JSON.stringify(v) : v === undefined ? '<no value>' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  });
}

export async function main(args: string[], io: Io = stdio): Promise<number> {
  const failed = injectedFailure('docker', args, loadScenario(), stateDir(), io);
  if (failed !== undefined) return failed;
  const [cmd, ...rest] = args;
  try {
    if (cmd === 'version' || cmd === '--version' || cmd === '-v') {
      if (cmd !== 'version') {
        io.out(`Docker version ${SIM_VERSIONS.docker}, build f8215cc`);
        return 0;
      }
      const p = parseFlags(rest, FORMAT_FLAGS);
      const fmt = str(p, 'format');
      const doc = versionDoc();
      if (fmt) io.out(formatGo(doc, fmt));
      else {
        io.out(`Client: Docker Engine - Community\n Version:           ${SIM_VERSIONS.docker}\n API version:       ${SIM_VERSIONS.dockerApi}\n Go version:        ${SIM_VERSIONS.go}\n OS/Arch:           ${goOs()}/${goArch()}\n Context:           default\n`);
        io.out(`Server: Docker Engine - Community\n Engine:\n  Version:          ${SIM_VERSIONS.docker}\n  API version:      ${SIM_VERSIONS.dockerApi} (minimum version 1.24)\n  OS/Arch:          linux/${goArch()}`);
      }
      return 0;
    }
    if (cmd === 'info') {
      const p = parseFlags(rest, FORMAT_FLAGS);
      const fmt = str(p, 'format');
      const doc = infoDoc();
      if (fmt) io.out(formatGo(doc, fmt));
      else io.out(`Client:\n Context:    default\n\nServer:\n Server Version: ${doc.ServerVersion}\n Operating System: ${doc.OperatingSystem}\n CPUs: ${doc.NCPU}\n Total Memory: ${(doc.MemTotal / 1024 ** 3).toFixed(2)}GiB`);
      return 0;
    }
    io.err(`docker: unknown command: docker ${cmd ?? ''}\n\nRun 'docker --help' for more information`);
    return 1;
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`${err.message}\nSee 'docker ${cmd} --help'.`);
      return 125;
    }
    throw err;
  }
}
