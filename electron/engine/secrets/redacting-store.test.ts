// A token that appears after the engine started is redacted everywhere: the engine's secret store teaches
// the one redactor every log, event and file passes through.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultSettings } from '../../../shared/api/settings.js';
import { createEngine, type Engine } from '../api.js';
import { FileSecretStore, HF_TOKEN } from './secret-store.js';

let engine: Engine | undefined;
afterEach(async () => {
  await engine?.dispose();
  engine = undefined;
});

function start(): { engine: Engine; dataDir: string } {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'redacting-'));
  engine = createEngine({ dataDir, transport: 'cli', rehearsal: false, env: { PATH: '' } });
  return { engine, dataDir };
}

describe('the engine learns the HF token', () => {
  it('saved through settings.save after start', async () => {
    const { engine } = start();
    const token = 'hf_savedAfterStart12345';
    const res = await engine.dispatcher.dispatch('settings.save', { settings: defaultSettings(), hfToken: token });
    expect(res.ok).toBe(true);
    expect(engine.context.redactor.redact(`token=${token}`)).toBe('token=***');
  });

  it('stored by another process (`cli token set`) after start, as soon as the engine reads the store', async () => {
    const { engine, dataDir } = start();
    const token = 'hf_otherProcessToken9876';
    await new FileSecretStore(dataDir).set(HF_TOKEN, token);
    const view = await engine.dispatcher.dispatch('settings.get', {});
    expect(view).toMatchObject({ ok: true, value: { hfTokenSet: true } });
    expect(engine.context.redactor.redact(token)).toBe('***');
    await engine.context.secrets.learn();
    expect(engine.context.redactor.size).toBe(1);
  });
});
