// Where secrets (the HF token) live. The engine only knows this interface; the desktop app supplies a
// safeStorage-backed store (electron/main/secret-store-safe-storage.ts), while the CLI and the web host
// use the file store below. Settings never hold a secret: responses only say `hfTokenSet`.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { writeJsonAtomic } from '../plan/journal.js';

export interface SecretStoreDescription {
  backend: string;
  persistent: boolean;
  warning?: string;
}

export interface SecretStore {
  get(name: string): Promise<string | undefined>;
  set(name: string, value: string): Promise<void>;
  delete(name: string): Promise<void>;
  describe(): SecretStoreDescription;
}

export const HF_TOKEN = 'hfToken';
/** Not secrets.json: that name holds the desktop app's ciphertext, a different format. */
export const FILE_SECRETS_NAME = 'secrets.local.json';

const FileDoc = z.object({ version: z.literal(1), secrets: z.record(z.string(), z.string()) });

/** Plain values in a 0600 file only the user can read — the CLI / web host store; says so in describe(). */
export class FileSecretStore implements SecretStore {
  readonly file: string;
  constructor(dataDir: string) {
    this.file = path.join(dataDir, FILE_SECRETS_NAME);
  }

  private read(): Record<string, string> {
    try {
      const parsed = FileDoc.safeParse(JSON.parse(fs.readFileSync(this.file, 'utf8')));
      return parsed.success ? parsed.data.secrets : {};
    } catch {
      return {};
    }
  }

  private write(secrets: Record<string, string>): void {
    writeJsonAtomic(this.file, { version: 1, secrets }, 0o600);
    fs.chmodSync(this.file, 0o600);
  }

  async get(name: string): Promise<string | undefined> {
    return this.read()[name];
  }

  async set(name: string, value: string): Promise<void> {
    this.write({ ...this.read(), [name]: value });
  }

  async delete(name: string): Promise<void> {
    const all = this.read();
    delete all[name];
    this.write(all);
  }

  describe(): SecretStoreDescription {
    return {
      backend: 'file',
      persistent: true,
      warning: 'The HF token is stored unencrypted in a file only your user can read (the desktop app uses the system keychain instead).',
    };
  }
}

/** Memory only (tests, or when nothing persistent is available). */
export class MemorySecretStore implements SecretStore {
  private readonly values = new Map<string, string>();
  async get(name: string) { return this.values.get(name); }
  async set(name: string, value: string) { this.values.set(name, value); }
  async delete(name: string) { this.values.delete(name); }
  describe(): SecretStoreDescription { return { backend: 'memory', persistent: false, warning: 'Kept for this session only.' }; }
}
