// Recorded host facts (LLMD_HOST_FACTS) for specs that must judge the same machine wherever they run: a
// Linux host of this machine's architecture with docker running, sized by the spec.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startWebHostProcess, type RunningWebHost } from './web-host.js';

export const GiB = 2 ** 30;

export interface HostSize { cpuModel: string; cpuCores: number; memoryBytes: number }

export function recordedHost({ cpuModel, cpuCores, memoryBytes }: HostSize): Record<string, unknown> {
  const arm = process.arch === 'arm64';
  return {
    os: 'linux', osName: 'Ubuntu', osVersion: '24.04', arch: arm ? 'arm64' : 'x64', archLabel: arm ? 'Linux arm64' : 'Linux x86_64',
    cpuModel, cpuCores, memoryBytes, diskFreeBytes: 500e9, diskPath: '/', gpu: { nvidia: false, models: [] },
    docker: { installed: true, version: '28.2.2', running: true }, podman: { installed: false },
  };
}

/** A 16-core, 64 GiB workstation: the guide's defaults fit it. */
export const WORKSTATION = recordedHost({ cpuModel: 'workstation', cpuCores: 16, memoryBytes: 64 * GiB });

/** A rehearsal web host that judges `facts` as this machine (written to a temporary file, removed on stop). */
export async function startRehearsalHostWith(facts: Record<string, unknown>): Promise<RunningWebHost> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'llmd-host-facts-'));
  const file = path.join(dir, 'host.json');
  await fs.writeFile(file, JSON.stringify(facts));
  const host = await startWebHostProcess({ LLMD_REHEARSAL: '1', LLMD_HOST_FACTS: file });
  return { ...host, stop: async () => { await host.stop(); await fs.rm(dir, { recursive: true, force: true }); } };
}
