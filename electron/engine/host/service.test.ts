import { describe, expect, it } from 'vitest';
import { HostReport } from '../../../shared/api/host.js';
import { fakeMachine, fakeRunner, fakeSource, GiB } from './fake-machine.js';
import { createHostService } from './service.js';

describe('host service', () => {
  it('detects once per session and re-detects on refresh', async () => {
    const machine = fakeMachine();
    const calls: string[] = [];
    const service = createHostService({ dataDir: '/data', source: fakeSource(machine), run: fakeRunner(machine, calls), now: () => new Date('2026-01-01T00:00:00Z') });
    const [a, b] = await Promise.all([service.check(), service.check()]);
    expect(a).toBe(b);
    expect(HostReport.parse(a)).toEqual(a);
    expect(a.detectedAt).toBe('2026-01-01T00:00:00.000Z');
    expect(calls.filter((c) => c.startsWith('docker'))).toHaveLength(1);

    machine.memoryBytes = 8 * GiB;
    expect((await service.check()).facts.memoryBytes).toBe(64 * GiB);
    const fresh = await service.check({ refresh: true });
    expect(fresh.facts.memoryBytes).toBe(8 * GiB);
    expect(fresh.fit.level).toBe('does-not-fit');
  });

  it('does not cache a failed detection', async () => {
    const machine = fakeMachine();
    let fail = true;
    const source = { ...fakeSource(machine), cpu: async () => { if (fail) throw new Error('boom'); return machine.cpu; } };
    const service = createHostService({ dataDir: '/data', source, run: fakeRunner(machine) });
    await expect(service.check()).rejects.toThrow('boom');
    fail = false;
    expect((await service.check()).facts.cpuCores).toBe(16);
  });
});
