import { describe, expect, it } from 'vitest';
import type { RawTransport } from '../../../shared/contract.js';
import { ApiCallError, createApi } from './client.js';

const info = { name: 'llm-d Installer', version: '0.1.0', transport: 'web', rehearsal: false, dataDir: '/d', platform: 'linux', arch: 'x64' };

function fakeRaw(reply: (method: string, payload: unknown) => unknown): RawTransport & { emit(topic: string, payload: unknown): void } {
  const listeners = new Set<(t: string, p: unknown) => void>();
  return {
    invoke: async (m, p) => reply(m, p),
    subscribe: (l) => (listeners.add(l), () => listeners.delete(l)),
    emit: (t, p) => listeners.forEach((l) => l(t, p)),
  };
}

describe('Api client', () => {
  it('returns validated values and throws the engine error with its code', async () => {
    const api = createApi(fakeRaw((m) => (m === 'app.info' ? { ok: true, value: info } : { ok: false, error: { code: 'TOOL_MISSING', message: 'no docker', hint: 'install it' } })));
    expect(await api.call('app.info', {})).toEqual(info);
    const error = await api.call('host.check', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiCallError);
    expect(error).toMatchObject({ code: 'TOOL_MISSING', message: 'no docker', hint: 'install it' });
  });

  it('refuses an answer that breaks the contract', async () => {
    const api = createApi(fakeRaw(() => ({ ok: true, value: { name: 42 } })));
    expect(await api.invoke('app.info', {})).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });

  it('turns a transport failure into a NETWORK envelope', async () => {
    const api = createApi({ invoke: async () => { throw new Error('socket closed'); }, subscribe: () => () => {} });
    expect(await api.invoke('app.info', {})).toMatchObject({ ok: false, error: { code: 'NETWORK' } });
  });

  it('delivers valid events to topic listeners and drops invalid ones', () => {
    const raw = fakeRaw(() => undefined);
    const api = createApi(raw);
    const got: unknown[] = [];
    const off = api.on('task.progress', (p) => got.push(p));
    raw.emit('task.progress', { taskId: 't', kind: 'plan', title: 'Install', state: 'running' });
    raw.emit('task.progress', { taskId: '', kind: 'plan', state: 'bogus' });
    raw.emit('task.progress', { taskId: 't', state: 'running' }); // no kind: not this contract's event
    raw.emit('other.topic', {});
    off();
    raw.emit('task.progress', { taskId: 't', kind: 'plan', title: 'Install', state: 'succeeded', result: { kind: 'plan', runId: 'r', status: 'succeeded' } });
    expect(got).toEqual([{ taskId: 't', kind: 'plan', title: 'Install', state: 'running' }]);
  });
});
