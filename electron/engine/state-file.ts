// The app's own state files (settings.json, journal.json) on disk: private (folder 0700, files 0600, since
// they name the user's cluster, paths and runs), written atomically, and never silently replaced when they
// could not be read — the unreadable file is moved aside as `<name>.corrupt-<time>` first so whatever the
// user (or a crash) left in it can still be recovered by hand.
import fs from 'node:fs';
import path from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** The text of a state file, or `missing` when there is none (any other read error counts as unreadable). */
export type StateText = { state: 'missing' } | { state: 'text'; text: string } | { state: 'unreadable'; message: string };

export function readStateText(file: string): StateText {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { state: 'missing' };
    return { state: 'unreadable', message: `cannot be read (${code ?? (e instanceof Error ? e.message : String(e))})` };
  }
  // A leading UTF-8 BOM is what some Windows editors add on save; the JSON inside is intact, so it is
  // tolerated rather than reported as corruption (the next save writes the file without it).
  return { state: 'text', text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
}

/** JSON.parse with the reason as a value; a NUL byte or a truncated document ends up here. */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, message: `is not valid JSON (${e instanceof Error ? e.message : String(e)})` };
  }
}

/** Renames an unreadable state file to `<file>.corrupt-<UTC time>` and returns that path. */
export function moveAside(file: string, now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  let target = `${file}.corrupt-${stamp}`;
  // Two saves in the same millisecond must not overwrite the first copy.
  for (let n = 1; fs.existsSync(target); n++) target = `${file}.corrupt-${stamp}-${n}`;
  fs.renameSync(file, target);
  return target;
}

/** Creates the folder 0700 and tightens an existing one (older versions created it 0755). */
export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  fs.chmodSync(dir, PRIVATE_DIR_MODE);
}

/** Temp file + rename, so a crash mid-write never leaves half a document. */
export function writeJsonAtomic(file: string, value: unknown, mode = PRIVATE_FILE_MODE): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now().toString(36)}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`, { mode });
  // The mode above is masked by the umask; chmod makes it exact before the file takes the real name.
  fs.chmodSync(tmp, mode);
  fs.renameSync(tmp, file);
}

/** A state file written 0600 in a 0700 folder (the folder is the app data dir for both state files). */
export function writePrivateJson(file: string, value: unknown): void {
  ensurePrivateDir(path.dirname(file));
  writeJsonAtomic(file, value, PRIVATE_FILE_MODE);
}
