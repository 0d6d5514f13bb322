import { describe, expect, it } from 'vitest';
import { createEngine } from '../api.js';
import { fakeMachine, fakeRunner, fakeSource, GiB } from '../host/fake-machine.js';

const engineOn = (machine = fakeMachine()) =>
  createEngine({ dataDir: '/tmp/llmd-ui-test', transport: 'web', rehearsal: false, host: { source: fakeSource(machine), run: fakeRunner(machine) } });

describe('host.fit: the fit of settings being edited', () => {
  it('judges the fit of the settings being edited, not the defaults', async () => {
    const engine = engineOn(fakeMachine({ memoryBytes: 16 * GiB, cpu: { manufacturer: 'Intel', brand: 'i7', cores: 8 } }));
    const defaults = await engine.dispatcher.call('host.fit', { settings: {} });
    expect(defaults).toMatchObject({ ok: true, value: { needs: { driver: 'docker', memoryMiB: 24576, replicas: 2 }, fit: { level: 'does-not-fit' } } });
    const small = await engine.dispatcher.call('host.fit', { settings: { memoryMiB: 8192, cpus: 4, diskGB: 60, replicas: 1 } });
    expect(small).toMatchObject({ ok: true, value: { needs: { memoryMiB: 8192, cpus: 4, replicas: 1, perReplicaMemoryGiB: 6 } } });
    expect(small.ok && small.value.fit.level).not.toBe('does-not-fit');
    await engine.dispose();
  });

  it('refuses invalid settings with the reason', async () => {
    const engine = engineOn();
    expect(await engine.dispatcher.call('host.fit', { settings: { replicas: 0 } })).toMatchObject({
      ok: false, error: { code: 'BAD_REQUEST', message: expect.stringContaining('replicas: must be at least 1') },
    });
    await engine.dispose();
  });
});
