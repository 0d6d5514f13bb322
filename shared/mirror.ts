// Every download the engine makes goes through one mirror base URL setting (docs/architecture.md §9).
// A mirror is laid out as <base>/<official host>/<official path>, so one rule maps any official
// release URL onto it and a mirror is easy to fill by hand (or by sim/mirror's builder).
import { z } from 'zod';

export const MirrorBase = z
  .string()
  .trim()
  .refine((s) => /^(https?|file):\/\//.test(s), { message: 'must start with https://, http:// or file://' })
  .refine((s) => { try { new URL(s); return true; } catch { return false; } }, { message: 'is not a valid URL' });

/** Maps an official download URL to the same file under the mirror base, or returns it unchanged. */
export function resolveDownloadUrl(officialUrl: string, mirrorBase?: string): string {
  if (!mirrorBase) return officialUrl;
  const official = new URL(officialUrl);
  const base = mirrorBase.replace(/\/+$/, '');
  return `${base}/${official.host}${official.pathname}`;
}
