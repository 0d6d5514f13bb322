import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEngine, isRehearsal } from '../api.js';
import { fakeMachine, fakeRunner, fakeSource } from '../host/fake-machine.js';

const engineOn = (machine = fakeMachine()) =>
  createEngine({ dataDir: '/tmp/llmd-ui-test', transport: 'web', rehearsal: false, host: { source: fakeSource(machine), run: fakeRunner(machine) } });

describe('app handlers', () => {
  it('names the folders the app writes to', async () => {
    const engine = engineOn();
    expect(await engine.dispatcher.call('app.paths', {})).toEqual({
      ok: true,
      value: { dataDir: '/tmp/llmd-ui-test', logsDir: '/tmp/llmd-ui-test/logs', binDir: '/tmp/llmd-ui-test/bin', settingsFile: '/tmp/llmd-ui-test/settings.json', journalFile: '/tmp/llmd-ui-test/journal.json' },
    });
    await engine.dispose();
  });

  it('says rehearsal whenever the engine’s steps treat the world as simulated (one rule: steps/rehearsal.ts)', async () => {
    // The simulated minikube first on the tool PATH with a sim state dir, but no LLMD_REHEARSAL: the host
    // check and `cli check` warn instead of blocking, so the banner and Configure must say rehearsal too.
    const env = { LLMD_SIM_STATE: '/tmp/llmd-ui-test-sim', PATH: path.resolve(import.meta.dirname, '../../../sim/bin') };
    const engine = createEngine({ dataDir: '/tmp/llmd-ui-test', transport: 'web', rehearsal: isRehearsal(env), env, host: { source: fakeSource(fakeMachine()), run: fakeRunner(fakeMachine()) } });
    expect(await engine.dispatcher.call('app.info', {})).toMatchObject({ ok: true, value: { rehearsal: true } });
    await engine.dispose();
    const real = createEngine({ dataDir: '/tmp/llmd-ui-test', transport: 'web', rehearsal: false, env: { PATH: '/usr/bin' }, host: { source: fakeSource(fakeMachine()), run: fakeRunner(fakeMachine()) } });
    expect(await real.dispatcher.call('app.info', {})).toMatchObject({ ok: true, value: { rehearsal: false } });
    await real.dispose();
  });
});
