// The engine's settings service: settings.json read once per engine (not once per handler call), saved
// through one place that tells listeners, merged with per-call overrides (CLI flags, Configure's draft),
// and a guard for commands that change the machine: they must not act on defaults guessed because the
// file could not be read (issue #14 — `down --delete-cluster` would otherwise target the default profile).
import type { Settings } from '../../../shared/api/settings.js';
import { ApiException } from '../../../shared/result.js';
import { Settings as SettingsSchema } from '../../../shared/api/settings.js';
import { invalidSettingsFrom } from './errors.js';
import { SettingsStore, type LoadedSettings } from './store.js';

/** Field values that replace the saved ones for one call; validated together with them. */
export type SettingsOverrides = Readonly<Record<string, unknown>>;

export type SettingsListener = (settings: Settings) => void;

/** Where an unreadable settings.json goes when settings are next saved (state-file.ts moveAside). */
export const asideName = (file: string): string => `${file}.corrupt-<time>`;

export class SettingsService {
  private loaded: LoadedSettings | undefined;
  private readonly listeners = new Set<SettingsListener>();
  readonly store: SettingsStore;

  constructor(file: string) {
    this.store = new SettingsStore(file);
  }

  get file(): string {
    return this.store.file;
  }

  /** The file as last read (read on first use; a save replaces it). */
  load(): LoadedSettings {
    this.loaded ??= this.store.load();
    return this.loaded;
  }

  /** Reads the file again: for a process that knows another one changed it. */
  reload(): LoadedSettings {
    this.loaded = undefined;
    return this.load();
  }

  current(): Settings {
    return this.load().settings;
  }

  /** Validates and writes (an unreadable file is kept aside, see store.ts); listeners hear the new settings. */
  save(input: unknown): Settings {
    const saved = this.store.save(input);
    this.loaded = { settings: saved };
    for (const listener of this.listeners) {
      try {
        listener(saved);
      } catch {
        // A listener's bug must not turn a successful save into an error.
      }
    }
    return saved;
  }

  /** The saved settings with these overrides applied, validated as a whole; BAD_REQUEST names each problem. */
  effective(overrides: SettingsOverrides = {}): Settings {
    const parsed = SettingsSchema.safeParse({ ...this.current(), ...overrides });
    if (!parsed.success) throw invalidSettingsFrom(parsed.error);
    return parsed.data;
  }

  onChange(listener: SettingsListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Why settings.json cannot be used, in one sentence naming the file and where it will be kept; undefined when it can. */
  unreadableMessage(): string | undefined {
    const bad = this.load().unreadable;
    if (!bad) return undefined;
    return `${this.file} ${bad.message}. It will be kept as ${asideName(this.file)} when settings are next saved.`;
  }

  /**
   * For commands that change the machine: throws CONFLICT when settings.json exists but cannot be used, so
   * nothing acts on the defaults that stand in for it.
   */
  requireReadable(action = 'change this machine'): void {
    const message = this.unreadableMessage();
    const bad = this.load().unreadable;
    if (!message || !bad) return;
    throw new ApiException('CONFLICT', `Refusing to ${action}: ${message}`,
      'Fix the file by hand, or save the settings again (Configure, or the settings you want) so a readable file replaces it; until then nothing is changed.',
      { file: this.file, reason: bad.reason, movedAsideTo: asideName(this.file) });
  }
}
