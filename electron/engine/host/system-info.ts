// Where host facts come from. Detection logic (detect.ts) reads only this interface, so tests can
// stand in a fake machine (no GPU, 8 GiB, Apple Silicon) while the app uses systeminformation.
import fs from 'node:fs/promises';
import path from 'node:path';
import si from 'systeminformation';

export interface OsFacts {
  platform: NodeJS.Platform | string;
  /** Distribution or product name ("Debian GNU/Linux", "macOS"). */
  distro: string;
  release: string;
  arch: string;
}

export interface CpuFacts {
  manufacturer: string;
  brand: string;
  /** Logical cores (what minikube's --cpus counts against). */
  cores: number;
}

export interface GpuController {
  vendor: string;
  model: string;
}

export interface DiskFacts {
  /** The existing directory that was measured (the data dir or its nearest existing parent). */
  path: string;
  /** Mount point of the filesystem holding it, when known. */
  mount?: string;
  freeBytes: number;
}

export interface SystemInfoSource {
  os(): Promise<OsFacts>;
  cpu(): Promise<CpuFacts>;
  /** The CPU's feature flags as one space-separated line (empty when they cannot be read). */
  cpuFlags(): Promise<string>;
  memoryBytes(): Promise<number>;
  diskFree(dir: string): Promise<DiskFacts>;
  gpus(): Promise<GpuController[]>;
}

/** The nearest directory that exists at or above `dir` (the data dir is created lazily). */
export async function nearestExistingDir(dir: string): Promise<string> {
  let current = path.resolve(dir);
  for (;;) {
    try {
      const stat = await fs.stat(current);
      if (stat.isDirectory()) return current;
    } catch {
      // not there (yet): try the parent
    }
    const parent = path.dirname(current);
    if (parent === current) return current;
    current = parent;
  }
}

/** Picks the filesystem whose mount point is the longest prefix of `dir`. */
export function filesystemFor<T extends { mount: string }>(filesystems: T[], dir: string): T | undefined {
  const inside = (mount: string): boolean => {
    if (mount === '/' || mount === dir) return true;
    const rel = path.relative(mount, dir);
    return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
  };
  return filesystems
    .filter((f) => f.mount && inside(f.mount))
    .sort((a, b) => b.mount.length - a.mount.length)[0];
}

/** The real machine, through systeminformation (and statfs where it does not know the mount). */
export function systemInformationSource(): SystemInfoSource {
  return {
    async os() {
      const info = await si.osInfo();
      return { platform: info.platform || process.platform, distro: info.distro, release: info.release, arch: info.arch || process.arch };
    },
    async cpu() {
      const cpu = await si.cpu();
      return { manufacturer: cpu.manufacturer, brand: cpu.brand, cores: cpu.cores };
    },
    async cpuFlags() {
      return si.cpuFlags().catch(() => '');
    },
    async memoryBytes() {
      return (await si.mem()).total;
    },
    async diskFree(dir) {
      const existing = await nearestExistingDir(dir);
      const filesystems = await si.fsSize().catch(() => []);
      const fsEntry = filesystemFor(filesystems, existing);
      if (fsEntry && Number.isFinite(fsEntry.available)) {
        return { path: existing, mount: fsEntry.mount, freeBytes: fsEntry.available };
      }
      // systeminformation skips some filesystems (overlay, network mounts): ask the kernel directly.
      const stat = await fs.statfs(existing);
      return { path: existing, freeBytes: stat.bavail * stat.bsize };
    },
    async gpus() {
      const graphics = await si.graphics().catch(() => ({ controllers: [] }));
      return graphics.controllers.map((c) => ({ vendor: c.vendor ?? '', model: c.model ?? '' }));
    },
  };
}
