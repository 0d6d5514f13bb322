// Host facts for the System check (docs/architecture.md §4 step 1): one pass over the SystemInfoSource and the
// container runtimes, shaped into the contract's HostFacts.
import type { HostFacts } from '../../../shared/api/host.js';
import { detectCpuFeatures } from './cpu-features.js';
import { detectDocker, detectPodman, type CommandRunner } from './runtimes.js';
import type { GpuController, SystemInfoSource } from './system-info.js';

type Os = HostFacts['os'];
type Arch = HostFacts['arch'];

export const normaliseOs = (platform: string): Os =>
  platform === 'darwin' || platform === 'linux' || platform === 'win32' ? platform : 'other';

export const normaliseArch = (arch: string): Arch => {
  if (arch === 'arm64' || arch === 'aarch64') return 'arm64';
  if (arch === 'x64' || arch === 'x86_64' || arch === 'amd64') return 'x64';
  return 'other';
};

/** The words people use for their machine: Apple Silicon / Intel Mac / Linux x86_64 / Linux arm64. */
export function archLabel(os: Os, arch: Arch): HostFacts['archLabel'] {
  if (os === 'darwin') return arch === 'arm64' ? 'Apple Silicon' : arch === 'x64' ? 'Intel Mac' : 'Other';
  if (os === 'linux') return arch === 'x64' ? 'Linux x86_64' : arch === 'arm64' ? 'Linux arm64' : 'Other';
  return 'Other';
}

export const isNvidia = (gpu: GpuController): boolean => /nvidia/i.test(gpu.vendor) || /nvidia/i.test(gpu.model);

export interface DetectOptions {
  source: SystemInfoSource;
  run: CommandRunner;
  /** The app data dir: free disk is measured on the filesystem that holds it. */
  dataDir: string;
}

export async function detectHostFacts({ source, run, dataDir }: DetectOptions): Promise<HostFacts> {
  const osFacts = await source.os();
  const os = normaliseOs(osFacts.platform);
  const arch = normaliseArch(osFacts.arch);
  const [cpu, cpuFeatures, memoryBytes, disk, gpus, docker, podman] = await Promise.all([
    source.cpu(),
    detectCpuFeatures(source, run, os, arch),
    source.memoryBytes(),
    source.diskFree(dataDir),
    source.gpus(),
    detectDocker(run),
    detectPodman(run, os),
  ]);
  const nvidia = gpus.filter(isNvidia);
  return {
    os,
    osName: osFacts.distro || (os === 'darwin' ? 'macOS' : os),
    osVersion: osFacts.release,
    arch,
    archLabel: archLabel(os, arch),
    cpuModel: [cpu.manufacturer, cpu.brand].filter(Boolean).join(' ').trim() || 'Unknown CPU',
    cpuCores: cpu.cores,
    cpuFeatures,
    memoryBytes,
    diskFreeBytes: disk.freeBytes,
    diskPath: disk.path,
    // NVIDIA GPUs are usable only on Linux (minikube --gpus all); macOS never exposes CUDA.
    gpu: { nvidia: os === 'linux' && nvidia.length > 0, models: nvidia.map((g) => g.model || g.vendor) },
    docker,
    podman,
  };
}
