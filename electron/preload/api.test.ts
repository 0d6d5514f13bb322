import { describe, expect, it } from 'vitest';
import { createPreloadApi } from './api.js';

describe('preload api', () => {
  it('forwards contract methods and rejects others without touching IPC', async () => {
    const sent: unknown[] = [];
    const api = createPreloadApi({ invoke: async (m, p) => (sent.push([m, p]), { ok: true, value: 1 }), on: () => () => {} });
    expect(await api.invoke('app.info', {})).toEqual({ ok: true, value: 1 });
    expect(await api.invoke('shell.exec', { cmd: 'rm' })).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    // The page may hand anything over: a method whose toString is not a function is refused in words, not thrown.
    expect(await api.invoke({ toString: 0 } as unknown as string, {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD', message: 'Unknown method "object".' } });
    expect(sent).toEqual([['app.info', {}]]);
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('passes only contract topics and their payloads to listeners (never the IPC event)', () => {
    let emit: (topic: unknown, payload: unknown) => void = () => {};
    let removed = false;
    const api = createPreloadApi({ invoke: async () => undefined, on: (l) => ((emit = l), () => { removed = true; }) });
    const got: unknown[][] = [];
    const off = api.subscribe((...args) => got.push(args));
    emit('task.progress', { taskId: 'a', state: 'running' });
    emit('not.a.topic', {});
    expect(got).toEqual([['task.progress', { taskId: 'a', state: 'running' }]]);
    off();
    expect(removed).toBe(true);
  });
});
