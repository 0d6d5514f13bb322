// bundle.create's `ask`: the transport's save dialog picks the file (the desktop app), a dismissed dialog
// writes nothing and answers CANCELLED, and where nobody can be asked the engine's support folder is used.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../api.js';
import { supportDir } from '../bundle/bundle.js';
import { fakeMachine, fakeRunner, fakeSource } from '../host/fake-machine.js';
import type { SaveFileChooser } from '../context.js';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0)) await fn();
});

async function engineWith(chooseSaveFile?: SaveFileChooser): Promise<{ engine: Engine; dir: string }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'llmd-bundle-h-'));
  const machine = fakeMachine();
  // No cluster: KUBECONFIG names a file that does not exist, so collection only notes what it could not reach.
  const env = { ...process.env, KUBECONFIG: path.join(dir, 'no-kubeconfig'), PATH: '/nonexistent' };
  const engine = createEngine({ dataDir: dir, env, transport: 'electron', rehearsal: false, host: { source: fakeSource(machine), run: fakeRunner(machine) }, ...(chooseSaveFile ? { chooseSaveFile } : {}) });
  cleanup.push(async () => {
    await engine.dispose();
    await fs.rm(dir, { recursive: true, force: true });
  });
  return { engine, dir };
}

describe('bundle.create with ask', () => {
  it('writes where the dialog says, suggesting the engine name', async () => {
    const asked: string[] = [];
    let target = '';
    const { engine, dir } = await engineWith(async (name) => (asked.push(name), (target = path.join(dir, 'chosen', 'mine.tar.gz'))));
    await fs.mkdir(path.join(dir, 'chosen'));
    const r = await engine.dispatcher.call('bundle.create', { ask: true });
    expect(r.ok).toBe(true);
    expect(asked).toEqual([expect.stringMatching(/^llm-d-support-.*\.tar\.gz$/)]);
    expect(r.ok && r.value.file).toBe(target);
    expect((await fs.stat(target)).size).toBeGreaterThan(0);
  });

  it('answers CANCELLED and writes nothing when the dialog is dismissed', async () => {
    const { engine, dir } = await engineWith(async () => undefined);
    const r = await engine.dispatcher.call('bundle.create', { ask: true });
    expect(r).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    await expect(fs.readdir(supportDir({ dataDir: dir }))).rejects.toThrow();
  });

  it('uses the support folder where the transport cannot ask', async () => {
    const { engine, dir } = await engineWith();
    const r = await engine.dispatcher.call('bundle.create', { ask: true });
    expect(r.ok && path.dirname(r.value.file)).toBe(supportDir({ dataDir: dir }));
  });

  it('refuses ask together with outFile', async () => {
    const { engine } = await engineWith(async () => '/tmp/x.tar.gz');
    expect(await engine.dispatcher.call('bundle.create', { ask: true, outFile: '/tmp/y.tar.gz' })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
  });
});
