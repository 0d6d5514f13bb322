// The desktop app's secret store (docs/architecture.md §5): the HF token stays in the main process, encrypted with
// Electron's safeStorage — macOS Keychain, Linux kwallet / gnome-libsecret — and only ciphertext touches
// the disk (<data dir>/secrets.json, 0600). The renderer never sees a value: the engine reports only
// whether a token is set. Uses the ASYNC API: the sync one is deprecated in Electron 45 and removed in 46
// (electron/electron#53670, #53662); ciphertext from either is compatible.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { safeStorage } from 'electron';
import { z } from 'zod';
import type { SecretStore, SecretStoreDescription } from '../engine/secrets/secret-store.js';
import { moveAside } from '../engine/state-file.js';

export const SECRETS_FILE = 'secrets.json';

/** Secret names are ours (e.g. "hfToken"); keep them boring so they are safe as JSON keys and in logs. */
const SecretName = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'secret names are 1-64 letters, digits, dot, dash or underscore');

const SecretsFile = z.object({
  version: z.literal(1),
  /** name → base64 of safeStorage ciphertext */
  secrets: z.record(z.string(), z.string()),
});
type SecretsFile = z.infer<typeof SecretsFile>;

export const PLAINTEXT_WARNING =
  'No system keyring (GNOME Keyring / KWallet) was found, so Electron falls back to a built-in key: the HF token is ' +
  'stored obfuscated, not encrypted, in a file only your user can read. Install and unlock a keyring, or use a token ' +
  'with read-only scope.';
export const UNAVAILABLE_WARNING =
  'The operating system offers no encryption for secrets right now, so the HF token is kept in memory for this session only.';

function backendName(platform: NodeJS.Platform): string {
  if (platform === 'darwin') return 'macOS Keychain';
  if (platform === 'win32') return 'Windows DPAPI';
  // getSelectedStorageBackend is Linux-only and says 'unknown' before app 'ready'.
  return `Linux ${safeStorage.getSelectedStorageBackend()}`;
}

export class SafeStorageSecretStore implements SecretStore {
  private readonly file: string;
  private description: SecretStoreDescription = { backend: 'not initialised', persistent: false };
  private encryption = false;
  /** Used only when the OS offers no encryption: never written anywhere. */
  private readonly memory = new Map<string, string>();
  /** Serialises read-modify-write cycles of the file. */
  private queue: Promise<unknown> = Promise.resolve();
  /** What the last read found wrong with the file, or where the damaged file was kept (said in describe()). */
  private damage: { unreadable: string } | { movedAside: string } | undefined;

  private constructor(dataDir: string, private readonly platform: NodeJS.Platform) {
    this.file = path.join(dataDir, SECRETS_FILE);
  }

  /** Call after app 'ready' (safeStorage needs it, and the Linux backend is unknown before). */
  static async open(dataDir: string, platform: NodeJS.Platform = process.platform): Promise<SafeStorageSecretStore> {
    const store = new SafeStorageSecretStore(dataDir, platform);
    await store.init();
    return store;
  }

  private async init(): Promise<void> {
    this.encryption = await safeStorage.isAsyncEncryptionAvailable();
    if (!this.encryption) {
      this.description = { backend: 'memory', persistent: false, warning: UNAVAILABLE_WARNING };
      return;
    }
    const backend = backendName(this.platform);
    // 'basic_text' = Chromium's hard-coded password: effectively plaintext (electronjs.org/docs/api/safe-storage).
    const plaintext = this.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text';
    this.description = plaintext ? { backend, persistent: true, warning: PLAINTEXT_WARNING } : { backend, persistent: true };
    // So describe() can say at once that an existing file is damaged.
    await this.serial(() => this.read()).catch(() => undefined);
  }

  describe(): SecretStoreDescription {
    const name = path.basename(this.file);
    const damage = !this.damage
      ? undefined
      : 'unreadable' in this.damage
        ? `${name} could not be read (${this.damage.unreadable}), so no HF token is set; saving one keeps the damaged file beside it.`
        : `${name} could not be read and was kept as ${this.damage.movedAside}; the token is now stored in a new file.`;
    const warning = [damage, this.description.warning].filter(Boolean).join(' ');
    return { ...this.description, ...(warning ? { warning } : {}) };
  }

  async get(name: string): Promise<string | undefined> {
    SecretName.parse(name);
    if (!this.encryption) return this.memory.get(name);
    return this.serial(async () => {
      const data = await this.read();
      const encoded = data.secrets[name];
      if (encoded === undefined) return undefined;
      const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(Buffer.from(encoded, 'base64'));
      if (shouldReEncrypt) {
        // The OS key was rotated or upgraded: store the value again under the current key.
        data.secrets[name] = (await safeStorage.encryptStringAsync(result)).toString('base64');
        await this.write(data);
      }
      return result;
    });
  }

  async set(name: string, value: string): Promise<void> {
    SecretName.parse(name);
    if (!this.encryption) {
      this.memory.set(name, value);
      return;
    }
    await this.serial(async () => {
      const data = await this.read();
      data.secrets[name] = (await safeStorage.encryptStringAsync(value)).toString('base64');
      await this.write(data);
    });
  }

  async delete(name: string): Promise<void> {
    SecretName.parse(name);
    this.memory.delete(name);
    if (!this.encryption) return;
    await this.serial(async () => {
      const data = await this.read();
      if (!(name in data.secrets)) return;
      delete data.secrets[name];
      await this.write(data);
    });
  }

  private serial<T>(job: () => Promise<T>): Promise<T> {
    const run = this.queue.then(job, job);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async read(): Promise<SecretsFile> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, secrets: {} };
      throw e;
    }
    // The reasons are generic on purpose: JSON.parse's message quotes the text around the error.
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return this.damaged('is not valid JSON');
    }
    const parsed = SecretsFile.safeParse(json);
    if (!parsed.success) return this.damaged('is not a secrets file of this version');
    if (this.damage && 'unreadable' in this.damage) this.damage = undefined;
    return parsed.data;
  }

  /** A damaged file cannot be decrypted anyway: work from empty, and say so until it is moved aside. */
  private damaged(reason: string): SecretsFile {
    this.damage = { unreadable: reason };
    return { version: 1, secrets: {} };
  }

  private async write(data: SecretsFile): Promise<void> {
    await fs.mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
    // Never replace a file that could not be read: whatever is in it may still be recovered by hand.
    if (this.damage && 'unreadable' in this.damage) {
      try {
        this.damage = { movedAside: moveAside(this.file) };
      } catch (e) {
        // Removed by hand since it was read: nothing left to keep.
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
        this.damage = undefined;
      }
    }
    // Write-then-rename so a crash never leaves half a file; 0600 from the first byte.
    const tmp = `${this.file}.${randomUUID()}.tmp`;
    await fs.writeFile(tmp, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
    await fs.rename(tmp, this.file);
    await fs.chmod(this.file, 0o600);
  }
}
