import { describe, expect, it } from 'vitest';
import { createEngine } from '../api.js';
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
});
