import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FILE_SECRETS_NAME, FileSecretStore, HF_TOKEN } from './secret-store.js';

let dir: string;
let file: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'secrets-'));
  file = path.join(dir, FILE_SECRETS_NAME);
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

// What a damaged file may still hold: a token the user would want back, which must appear nowhere.
const LOST = 'hf_lostTOKENabcdef0123456789';
const corruptions: Record<string, string> = {
  truncated: `{"version":1,"secrets":{"hfToken":"${LOST}"`,
  'wrong shape': JSON.stringify({ version: 2, secrets: { hfToken: LOST } }),
  'wrong types': JSON.stringify({ version: 1, secrets: { hfToken: 42 }, note: LOST }),
  'NUL bytes': `\0\0${LOST}\0`,
  array: JSON.stringify([LOST]),
};

const asideFiles = () => fs.readdirSync(dir).filter((f) => f.startsWith(`${FILE_SECRETS_NAME}.corrupt-`));

describe('file secret store', () => {
  it('stores, reads and deletes a token in a 0600 file', async () => {
    const store = new FileSecretStore(dir);
    expect(store.status()).toEqual({ state: 'missing' });
    await store.set(HF_TOKEN, 'hf_abc');
    expect(await store.get(HF_TOKEN)).toBe('hf_abc');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(store.status()).toEqual({ state: 'ok' });
    await store.delete(HF_TOKEN);
    expect(await store.get(HF_TOKEN)).toBeUndefined();
    expect(store.describe().warning).not.toMatch(/unreadable/);
  });

  for (const [kind, text] of Object.entries(corruptions)) {
    it(`reports a ${kind} file as unreadable, moves it aside before the next set, and never echoes it`, async () => {
      fs.writeFileSync(file, text, { mode: 0o600 });
      const store = new FileSecretStore(dir);
      expect(await store.get(HF_TOKEN)).toBeUndefined();
      const status = store.status();
      expect(status).toMatchObject({ state: 'unreadable' });
      expect(store.describe().warning).toMatch(/could not be read/);
      expect(JSON.stringify([status, store.describe()])).not.toContain(LOST);

      await store.set(HF_TOKEN, 'hf_new');
      // The damaged file is kept beside the new one, byte for byte.
      const aside = asideFiles();
      expect(aside).toHaveLength(1);
      expect(fs.readFileSync(path.join(dir, aside[0]!), 'utf8')).toBe(text);
      expect(await store.get(HF_TOKEN)).toBe('hf_new');
      const after = store.status();
      expect(after).toEqual({ state: 'ok', movedAside: path.join(dir, aside[0]!) });
      expect(store.describe().warning).toContain(aside[0]!);
      expect(JSON.stringify([after, store.describe()])).not.toContain(LOST);
    });
  }

  it('moves an unreadable file aside on delete too, rather than replacing it', async () => {
    fs.writeFileSync(file, corruptions.truncated!, { mode: 0o600 });
    const store = new FileSecretStore(dir);
    await store.delete(HF_TOKEN);
    expect(asideFiles()).toHaveLength(1);
    expect(store.status()).toMatchObject({ state: 'ok' });
  });

  it('treats an empty file as unreadable (a crash can leave one), not as missing', async () => {
    fs.writeFileSync(file, '', { mode: 0o600 });
    expect(new FileSecretStore(dir).status()).toMatchObject({ state: 'unreadable' });
  });
});
