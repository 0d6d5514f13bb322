// The browser host's one download: a support bundle the engine wrote into its own support folder, offered
// to the tab that asked for it (a browser page cannot be handed a path on disk). It needs the same token
// as the API socket, names a file only by the engine's own bundle pattern, and serves only a real file
// inside the real support folder — nothing else under the data folder is reachable this way.
import path from 'node:path';
import { BUNDLE_FILE_NAME, SUPPORT_DOWNLOAD_PATH } from '../../shared/api/bundle.js';
import { realFileWithin } from '../engine/renderer-files.js';
import { tokenMatches } from './security.js';

export type DownloadVerdict =
  | { ok: true; file: string; name: string }
  | { ok: false; status: 403 | 404; reason: string };

export const isDownloadPath = (pathname: string): boolean => pathname.startsWith(SUPPORT_DOWNLOAD_PATH);

/** Decides what a GET of /download/support/<name>?token=… serves. */
export async function supportDownload(url: URL, token: string, supportDir: string): Promise<DownloadVerdict> {
  if (!tokenMatches(token, url.searchParams.get('token'))) return { ok: false, status: 403, reason: 'missing or wrong token' };
  let name: string;
  try {
    name = decodeURIComponent(url.pathname.slice(SUPPORT_DOWNLOAD_PATH.length));
  } catch {
    return { ok: false, status: 404, reason: 'malformed name' };
  }
  if (!BUNDLE_FILE_NAME.test(name)) return { ok: false, status: 404, reason: 'not a support bundle name' };
  const file = await realFileWithin(path.resolve(supportDir), path.join(path.resolve(supportDir), name));
  return file ? { ok: true, file, name } : { ok: false, status: 404, reason: 'no such bundle' };
}
