// A configurable fake machine for host-detection tests (not shipped: only *.test.ts import it).
import type { CommandOutcome, CommandRunner } from './runtimes.js';
import type { CpuFacts, GpuController, OsFacts, SystemInfoSource } from './system-info.js';

export interface FakeMachine {
  os: OsFacts;
  cpu: CpuFacts;
  /** The flags line systeminformation would read (Linux). */
  cpuFlags: string;
  memoryBytes: number;
  diskFreeBytes: number;
  gpus: GpuController[];
  /** Replies by command line ("docker version --format json"); a missing key means "not installed". */
  commands: Record<string, Partial<CommandOutcome>>;
}

export const GiB = 2 ** 30;

export const dockerRunning = JSON.stringify({ Client: { Version: '28.2.2' }, Server: { Version: '28.2.2' } });
export const dockerNoDaemon = JSON.stringify({ Client: { Version: '28.2.2' }, Server: null });

export function fakeMachine(overrides: Partial<FakeMachine> = {}): FakeMachine {
  return {
    os: { platform: 'linux', distro: 'Ubuntu', release: '24.04', arch: 'x64' },
    cpu: { manufacturer: 'AMD', brand: 'Ryzen 9 7950X', cores: 16 },
    // Zen 4: AVX-512 with BF16.
    cpuFlags: 'fpu sse sse2 avx avx2 avx512f avx512bw avx512_bf16',
    memoryBytes: 64 * GiB,
    diskFreeBytes: 500e9,
    gpus: [],
    commands: { 'docker version --format json': { exitCode: 0, stdout: dockerRunning } },
    ...overrides,
  };
}

export function fakeSource(m: FakeMachine): SystemInfoSource {
  return {
    os: async () => m.os,
    cpu: async () => m.cpu,
    cpuFlags: async () => m.cpuFlags,
    memoryBytes: async () => m.memoryBytes,
    diskFree: async (dir) => ({ path: dir, freeBytes: m.diskFreeBytes }),
    gpus: async () => m.gpus,
  };
}

export function fakeRunner(m: FakeMachine, calls: string[] = []): CommandRunner {
  return async (file, args) => {
    const line = [file, ...args].join(' ');
    calls.push(line);
    const reply = m.commands[line];
    if (!reply) return { notFound: !Object.keys(m.commands).some((k) => k.startsWith(`${file} `)), exitCode: 127, stdout: '', stderr: '' };
    return { notFound: false, exitCode: 0, stdout: '', stderr: '', ...reply };
  };
}
