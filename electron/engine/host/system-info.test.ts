import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { filesystemFor, nearestExistingDir, systemInformationSource } from './system-info.js';

describe('system info', () => {
  it('measures the data dir on its nearest existing parent', async () => {
    const base = await fs.mkdtemp(path.join(os.tmpdir(), 'llmd-si-'));
    expect(await nearestExistingDir(path.join(base, 'not', 'yet', 'created'))).toBe(base);
    await fs.rm(base, { recursive: true });
  });

  it('picks the longest mount that contains the path, not a sibling with the same prefix', () => {
    const mounts = [{ mount: '/' }, { mount: '/home' }, { mount: '/home2' }, { mount: '/home/me/data' }];
    expect(filesystemFor(mounts, '/home/me/.local')?.mount).toBe('/home');
    expect(filesystemFor(mounts, '/home2/x')?.mount).toBe('/home2');
    expect(filesystemFor(mounts, '/home/me/data')?.mount).toBe('/home/me/data');
    expect(filesystemFor([{ mount: '/srv' }], '/home')).toBeUndefined();
  });

  it('reads this machine through systeminformation', async () => {
    const source = systemInformationSource();
    const [cpu, mem, disk] = await Promise.all([source.cpu(), source.memoryBytes(), source.diskFree(os.tmpdir())]);
    expect(cpu.cores).toBe(os.cpus().length);
    expect(mem).toBe(os.totalmem());
    expect(disk.freeBytes).toBeGreaterThan(0);
  });
});
