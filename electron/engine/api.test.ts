import { describe, expect, it } from 'vitest';
import { methodNames } from '../../shared/contract.js';
import { createEngine, isRehearsal, TaskRegistry } from './api.js';
import { fakeMachine, fakeRunner, fakeSource } from './host/fake-machine.js';

const machine = fakeMachine();
const engine = (over: Partial<Parameters<typeof createEngine>[0]> = {}) =>
  createEngine({ dataDir: '/tmp/llmd-test', transport: 'web', rehearsal: false, host: { source: fakeSource(machine), run: fakeRunner(machine) }, ...over });

describe('createEngine', () => {
  it('answers app.info with the transport, mode and data dir', async () => {
    const res = await engine({ rehearsal: true }).dispatcher.call('app.info', {});
    expect(res).toEqual({
      ok: true,
      value: { name: 'llm-d Installer', version: expect.any(String), transport: 'web', rehearsal: true, dataDir: '/tmp/llmd-test', platform: process.platform, arch: process.arch },
    });
  });

  it('answers host.check with facts, needs and a verdict', async () => {
    const res = await engine().dispatcher.call('host.check', {});
    if (!res.ok) throw new Error(res.error.message);
    expect(res.value.facts.cpuCores).toBe(16);
    expect(res.value.needs.driver).toBe('docker');
    expect(res.value.fit.level).toBe('fits');
  });

  it('handles every method in the contract', async () => {
    const e = engine();
    for (const m of methodNames) {
      const res = await e.dispatcher.dispatch(m, {});
      if (!res.ok) expect(res.error.code, m).not.toBe('UNKNOWN_METHOD');
    }
  });

  it('turns bad input into error envelopes, never throws', async () => {
    const e = engine();
    expect(await e.dispatcher.dispatch('nope', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    // A method that is not a string — one whose toString is not a function (fuzz found it) — is an unknown method
    // too, not a TypeError while saying so.
    expect(await e.dispatcher.dispatch({ toString: 0 }, {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD', message: 'Unknown method "object".' } });
    expect(await e.dispatcher.dispatch('host.check', { refresh: 'yes' })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await e.dispatcher.dispatch('app.info', { extra: 1 })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
  });

  it('cancels a registered task and says NOT_FOUND for an unknown one', async () => {
    const e = createEngine({ dataDir: '/tmp/x', transport: 'electron', rehearsal: false });
    expect(await e.dispatcher.call('task.cancel', { taskId: 'missing' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    await e.dispose();
    const tasks = new TaskRegistry();
    const { taskId, signal } = tasks.start('plan', { title: 'Install' });
    expect(tasks.cancel(taskId)).toBe(true);
    expect(signal.aborted).toBe(true);
    expect(tasks.cancel(taskId)).toBe(false);
  });

  it('reads rehearsal mode from LLMD_REHEARSAL', () => {
    expect(isRehearsal({ LLMD_REHEARSAL: '1' })).toBe(true);
    expect(isRehearsal({ LLMD_REHEARSAL: '0' })).toBe(false);
    expect(isRehearsal({})).toBe(false);
  });
});
