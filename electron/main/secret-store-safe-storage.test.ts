import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// A stand-in for Electron's safeStorage: a reversible transform with a key id, so tests can see that
// only ciphertext reaches the disk and can simulate a key rotation.
const fake = vi.hoisted(() => {
  const state = { available: true, backend: 'gnome_libsecret', key: 'k1' };
  const encrypt = (s: string, key: string) => Buffer.from(`${key}:${Buffer.from(s, 'utf8').reverse().toString('hex')}`, 'utf8');
  const safeStorage = {
    isAsyncEncryptionAvailable: vi.fn(async () => state.available),
    getSelectedStorageBackend: vi.fn(() => state.backend),
    encryptStringAsync: vi.fn(async (s: string) => encrypt(s, state.key)),
    decryptStringAsync: vi.fn(async (b: Buffer) => {
      const [key, hex] = b.toString('utf8').split(':') as [string, string];
      return { result: Buffer.from(hex, 'hex').reverse().toString('utf8'), shouldReEncrypt: key !== state.key };
    }),
    // The deprecated sync API must not be used.
    encryptString: vi.fn(() => { throw new Error('sync encryptString used'); }),
    decryptString: vi.fn(() => { throw new Error('sync decryptString used'); }),
    isEncryptionAvailable: vi.fn(() => { throw new Error('sync isEncryptionAvailable used'); }),
  };
  return { state, safeStorage };
});
vi.mock('electron', () => ({ safeStorage: fake.safeStorage }));

const { SafeStorageSecretStore, SECRETS_FILE, PLAINTEXT_WARNING, UNAVAILABLE_WARNING } = await import('./secret-store-safe-storage.js');

const TOKEN = 'hf_abcdefghijklmnopqrstuvwxyz0123456789';
let dir: string;

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'secrets-'));
  Object.assign(fake.state, { available: true, backend: 'gnome_libsecret', key: 'k1' });
  vi.clearAllMocks();
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('the HF token in the desktop app', () => {
  it('stores only ciphertext, in a file only the user can read, and gives the token back', async () => {
    const store = await SafeStorageSecretStore.open(dir, 'linux');
    await store.set('hfToken', TOKEN);
    const file = path.join(dir, SECRETS_FILE);
    const text = await fs.readFile(file, 'utf8');
    expect(text).not.toContain(TOKEN);
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    expect(await store.get('hfToken')).toBe(TOKEN);
    // A new store (next app start) reads the same file.
    expect(await (await SafeStorageSecretStore.open(dir, 'linux')).get('hfToken')).toBe(TOKEN);
    expect(fake.safeStorage.encryptStringAsync).toHaveBeenCalled();
  });

  it('deletes the token', async () => {
    const store = await SafeStorageSecretStore.open(dir, 'linux');
    await store.set('hfToken', TOKEN);
    await store.delete('hfToken');
    expect(await store.get('hfToken')).toBeUndefined();
    expect(await fs.readFile(path.join(dir, SECRETS_FILE), 'utf8')).not.toContain('hfToken');
  });

  it('says which keyring protects the token, with no warning when it is a real one', async () => {
    expect((await SafeStorageSecretStore.open(dir, 'linux')).describe()).toEqual({ backend: 'Linux gnome_libsecret', persistent: true });
    expect((await SafeStorageSecretStore.open(dir, 'darwin')).describe()).toEqual({ backend: 'macOS Keychain', persistent: true });
  });

  it('warns when Linux falls back to plaintext (basic_text) storage', async () => {
    fake.state.backend = 'basic_text';
    const store = await SafeStorageSecretStore.open(dir, 'linux');
    expect(store.describe()).toEqual({ backend: 'Linux basic_text', persistent: true, warning: PLAINTEXT_WARNING });
  });

  it('keeps the token in memory only when the OS offers no encryption', async () => {
    fake.state.available = false;
    const store = await SafeStorageSecretStore.open(dir, 'linux');
    expect(store.describe()).toEqual({ backend: 'memory', persistent: false, warning: UNAVAILABLE_WARNING });
    await store.set('hfToken', TOKEN);
    expect(await store.get('hfToken')).toBe(TOKEN);
    await expect(fs.stat(path.join(dir, SECRETS_FILE))).rejects.toThrow(/ENOENT/);
    expect(fake.safeStorage.encryptStringAsync).not.toHaveBeenCalled();
  });

  it('re-encrypts under the new key when the OS key was rotated', async () => {
    const store = await SafeStorageSecretStore.open(dir, 'darwin');
    await store.set('hfToken', TOKEN);
    const storedKey = async () => {
      const stored = JSON.parse(await fs.readFile(path.join(dir, SECRETS_FILE), 'utf8')) as { secrets: Record<string, string> };
      return Buffer.from(stored.secrets.hfToken ?? '', 'base64').toString('utf8').split(':')[0];
    };
    expect(await storedKey()).toBe('k1');
    fake.state.key = 'k2';
    expect(await store.get('hfToken')).toBe(TOKEN);
    expect(await storedKey()).toBe('k2');
  });

  it('reports a damaged secrets file, and keeps it beside the new one instead of overwriting it', async () => {
    const damaged = '{"version":1,"secrets":{"hfToken":"azE6NDI0Mg=="';
    await fs.writeFile(path.join(dir, SECRETS_FILE), damaged, { mode: 0o600 });
    const store = await SafeStorageSecretStore.open(dir, 'linux');
    expect(await store.get('hfToken')).toBeUndefined();
    expect(store.describe().warning).toMatch(/secrets\.json could not be read \(is not valid JSON\)/);
    await store.set('hfToken', TOKEN);
    expect(await store.get('hfToken')).toBe(TOKEN);
    const aside = (await fs.readdir(dir)).filter((f) => f.startsWith(`${SECRETS_FILE}.corrupt-`));
    expect(aside).toHaveLength(1);
    expect(await fs.readFile(path.join(dir, aside[0]!), 'utf8')).toBe(damaged);
    expect(store.describe().warning).toContain(aside[0]!);
    // The reason never quotes the file (JSON.parse's own message would).
    expect(JSON.stringify(store.describe())).not.toContain('azE6');
  });

  it('keeps concurrent writes of different secrets', async () => {
    const store = await SafeStorageSecretStore.open(dir, 'linux');
    await Promise.all([store.set('a', '1'), store.set('b', '2'), store.set('c', '3')]);
    expect([await store.get('a'), await store.get('b'), await store.get('c')]).toEqual(['1', '2', '3']);
  });

  it('refuses odd secret names', async () => {
    const store = await SafeStorageSecretStore.open(dir, 'linux');
    await expect(store.set('../x', TOKEN)).rejects.toThrow();
  });
});
