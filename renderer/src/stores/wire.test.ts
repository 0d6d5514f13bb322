// Every store, the Playground's included, is fed from start-up by attachStores (main.tsx), not by a page:
// events that arrive while a page is closed are in the store when it opens, and detaching stops them all.
import { afterEach, describe, expect, it } from 'vitest';
import { fakeEngine, ok } from './fake-engine.testkit.js';
import { useInstall } from './install.js';
import { usePlayground } from './playground.js';
import { attachStores } from './wire.js';

let detach: (() => void) | undefined;
afterEach(() => { detach?.(); detach = undefined; });

describe('attachStores', () => {
  it('feeds the Install and Playground stores with no page open, and stops when detached', async () => {
    const e = fakeEngine({ 'chat.models': () => ok({ models: ['m1'], gatewayUrl: 'u' }), 'chat.send': (p) => ok({ taskId: p.taskId, requestId: 'r' }) });
    detach = attachStores(e.api);

    e.emit('plan.progress', { runId: 'run-1', steps: [], fraction: 0.5 });
    expect(useInstall.getState().progress).toMatchObject({ runId: 'run-1', fraction: 0.5 });

    await usePlayground.getState().connect();
    expect(await usePlayground.getState().send('Hi')).toBe(true);
    const taskId = usePlayground.getState().active!.taskId;
    e.emit('chat.delta', { taskId, text: 'Hel' });
    expect(usePlayground.getState().turns.at(-1)).toMatchObject({ role: 'assistant', content: 'Hel' });

    detach();
    detach = undefined;
    e.emit('chat.delta', { taskId, text: 'lo' });
    e.emit('plan.progress', { runId: 'run-2', steps: [], fraction: 1 });
    expect(usePlayground.getState().turns.at(-1)).toMatchObject({ content: 'Hel' });
    expect(useInstall.getState().progress).toMatchObject({ runId: 'run-1' });
  });
});
