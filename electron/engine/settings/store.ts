// settings.json in the app data dir: validated with the shared schema on read and write. A file that no
// longer parses (hand-edited, older version) never stops the app: defaults are used and the reason shown.
import fs from 'node:fs';
import { Settings, schemaIssues, type SettingsInput } from '../../../shared/api/settings.js';
import { ApiException } from '../../../shared/result.js';
import { writeJsonAtomic } from '../plan/journal.js';

export interface LoadedSettings {
  settings: Settings;
  warning?: string;
}

export class SettingsStore {
  constructor(readonly file: string) {}

  load(): LoadedSettings {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch {
      return { settings: Settings.parse({}) };
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      return { settings: Settings.parse({}), warning: `${this.file} is not valid JSON; using the defaults.` };
    }
    const parsed = Settings.safeParse(raw);
    if (!parsed.success) {
      return { settings: Settings.parse({}), warning: `${this.file} has invalid settings (${schemaIssues(parsed.error).map((i) => `${i.path}: ${i.message}`).join('; ')}); using the defaults.` };
    }
    return { settings: parsed.data };
  }

  /** Validates and writes; throws BAD_REQUEST naming each problem. */
  save(input: SettingsInput | unknown): Settings {
    const parsed = Settings.safeParse(input);
    if (!parsed.success) {
      const issues = schemaIssues(parsed.error);
      throw new ApiException('BAD_REQUEST', `Invalid settings: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, undefined, issues);
    }
    writeJsonAtomic(this.file, parsed.data, 0o644);
    return parsed.data;
  }
}
