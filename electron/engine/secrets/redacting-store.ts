// The engine's one place where the redactor learns secrets: the secret store it hands everyone marks every
// value it reads or stores as secret before anyone gets it back. So a token saved through Configure, set
// by `cli token set` in another process (read on the next get) or present at start can never reach a log,
// an event or a file unredacted — no caller has to remember to tell the redactor.
import type { Redactor } from '../process/redact.js';
import { HF_TOKEN, type SecretStore } from './secret-store.js';

export interface RedactingSecretStore extends SecretStore {
  /** Reads the stored secrets again (another process may have changed them), so the redactor knows them. */
  learn(): Promise<void>;
}

export function redactingSecretStore(inner: SecretStore, redactor: Redactor): RedactingSecretStore {
  const store: RedactingSecretStore = {
    async get(name) {
      const value = await inner.get(name);
      redactor.add(value);
      return value;
    },
    async set(name, value) {
      // Marked before it is written: a store that fails half-way may still print it in its error.
      redactor.add(value);
      await inner.set(name, value);
    },
    // A deleted token stays known: lines printed while it was set may still be on their way out.
    delete: (name) => inner.delete(name),
    describe: () => inner.describe(),
    async learn() {
      await store.get(HF_TOKEN);
    },
  };
  return store;
}
