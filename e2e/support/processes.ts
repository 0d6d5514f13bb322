// Processes that belong to one simulated world: found by the temp folders in their environment
// (LLMD_SIM_STATE / LLMD_INSTALLER_HOME), never by name, so other tests' processes are left alone.
import fs from 'node:fs';

export interface ProcInfo {
  pid: number;
  cmdline: string;
}

export function processesOf(dirs: readonly string[]): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const env = fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      if (!env.some((kv) => dirs.some((d) => kv === `LLMD_SIM_STATE=${d}` || kv === `LLMD_INSTALLER_HOME=${d}`))) continue;
      out.push({ pid, cmdline: fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim() });
    } catch {
      // gone, or not ours to read
    }
  }
  return out;
}

/** Tool processes (minikube, helm, helmfile, docker, podman — launched or simulated), not the cluster or forwarders. */
export const toolProcesses = (procs: readonly ProcInfo[]): ProcInfo[] =>
  procs.filter((p) => /\/(minikube|helm|helmfile|docker|podman)(\.ts)?(\s|$)/.test(p.cmdline) && !p.cmdline.includes('sim/cluster/'));

export function killAll(procs: readonly ProcInfo[]): void {
  for (const p of procs) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
