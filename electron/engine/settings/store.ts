// settings.json in the app data dir: validated with the shared schema on read and write. A file that no
// longer parses (hand-edited, older version) never stops the app: defaults are shown, the reason is typed
// (unreadable: parse or schema) and a save keeps the bad file aside instead of overwriting it.
import { Settings, formatIssues, schemaIssues, type SettingsInput } from '../../../shared/api/settings.js';
import { invalidSettingsFrom } from './errors.js';
import { moveAside, parseJson, readStateText, writePrivateJson } from '../state-file.js';

export interface LoadedSettings {
  settings: Settings;
  warning?: string;
  /** Set when the file exists but is not usable: parse (not JSON) or schema (JSON, wrong settings). */
  unreadable?: { reason: 'parse' | 'schema'; message: string };
}

export class SettingsStore {
  constructor(readonly file: string) {}

  /** Where the last unreadable settings.json was moved before a save replaced it. */
  movedAside: string | undefined;

  load(): LoadedSettings {
    const t = readStateText(this.file);
    if (t.state === 'missing') return { settings: Settings.parse({}) };
    const bad = (reason: 'parse' | 'schema', message: string): LoadedSettings =>
      ({ settings: Settings.parse({}), warning: `${this.file} ${message}; using the defaults.`, unreadable: { reason, message } });
    if (t.state === 'unreadable') return bad('parse', t.message);
    const json = parseJson(t.text);
    if (!json.ok) return bad('parse', json.message);
    const parsed = Settings.safeParse(json.value);
    if (!parsed.success) return bad('schema', `has invalid settings (${formatIssues(schemaIssues(parsed.error))})`);
    return { settings: parsed.data };
  }

  /** Validates and writes; throws BAD_REQUEST naming each problem. */
  save(input: SettingsInput | unknown): Settings {
    const parsed = Settings.safeParse(input);
    if (!parsed.success) throw invalidSettingsFrom(parsed.error);
    // The unreadable file is kept beside the new one, not overwritten: it may hold the user's edits.
    if (this.load().unreadable) this.movedAside = moveAside(this.file);
    writePrivateJson(this.file, parsed.data);
    return parsed.data;
  }
}
