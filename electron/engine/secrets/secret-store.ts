// Where secrets (the HF token) live. The engine only knows this interface; the desktop app supplies a
// safeStorage-backed store (electron/main/secret-store-safe-storage.ts), while the CLI and the web host
// use the file store below. Settings never hold a secret: responses only say `hfTokenSet`.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { moveAside, readStateText, writeJsonAtomic } from '../state-file.js';

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

/**
 * What the file store found on disk. The reason is generic on purpose: JSON.parse's own message quotes
 * the text around the error, and in this file that text is the token.
 */
export type FileSecretStatus =
  | { state: 'missing'; movedAside?: string }
  | { state: 'ok'; movedAside?: string }
  | { state: 'unreadable'; reason: string };

type ReadResult = { state: 'missing' } | { state: 'ok'; secrets: Record<string, string> } | { state: 'unreadable'; reason: string };

const PLAIN_WARNING = 'The HF token is stored unencrypted in a file only your user can read (the desktop app uses the system keychain instead).';

/** Plain values in a 0600 file only the user can read — the CLI / web host store; says so in describe(). */
export class FileSecretStore implements SecretStore {
  readonly file: string;
  /** Where an unreadable file was moved before this store replaced it (said in describe()). */
  private movedAside: string | undefined;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, FILE_SECRETS_NAME);
  }

  private read(): ReadResult {
    const raw = readStateText(this.file);
    if (raw.state === 'missing') return { state: 'missing' };
    if (raw.state === 'unreadable') return { state: 'unreadable', reason: raw.message };
    let json: unknown;
    try {
      json = JSON.parse(raw.text);
    } catch {
      return { state: 'unreadable', reason: 'is not valid JSON' };
    }
    const parsed = FileDoc.safeParse(json);
    if (!parsed.success) return { state: 'unreadable', reason: 'is not a secrets file of this version ({ version: 1, secrets })' };
    return { state: 'ok', secrets: parsed.data.secrets };
  }

  /** The secrets to start a change from; an unreadable file is moved aside first, never overwritten. */
  private readForChange(): Record<string, string> {
    const r = this.read();
    if (r.state === 'ok') return r.secrets;
    if (r.state === 'unreadable') this.movedAside = moveAside(this.file);
    return {};
  }

  private write(secrets: Record<string, string>): void {
    writeJsonAtomic(this.file, { version: 1, secrets }, 0o600);
    fs.chmodSync(this.file, 0o600);
  }

  status(): FileSecretStatus {
    const r = this.read();
    if (r.state === 'unreadable') return { state: 'unreadable', reason: r.reason };
    return this.movedAside ? { state: r.state, movedAside: this.movedAside } : { state: r.state };
  }

  /** An unreadable file reads as "no token" (the user sets it again), and describe() says so. */
  async get(name: string): Promise<string | undefined> {
    const r = this.read();
    return r.state === 'ok' ? r.secrets[name] : undefined;
  }

  async set(name: string, value: string): Promise<void> {
    this.write({ ...this.readForChange(), [name]: value });
  }

  async delete(name: string): Promise<void> {
    const all = this.readForChange();
    delete all[name];
    this.write(all);
  }

  describe(): SecretStoreDescription {
    const status = this.status();
    const name = path.basename(this.file);
    const warning =
      status.state === 'unreadable'
        ? `${this.file} could not be read (${status.reason}), so no HF token is set. Saving a token keeps the damaged file beside the new one as ${name}.corrupt-<time>.`
        : status.movedAside
          ? `${name} could not be read and was kept as ${status.movedAside}; the token is now stored in a new file. ${PLAIN_WARNING}`
          : PLAIN_WARNING;
    return { backend: 'file', persistent: true, warning };
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
