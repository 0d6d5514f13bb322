// Serving the built renderer, shared by both transports (the app:// protocol in Electron main and the
// browser host): one path-safety rule and one MIME table, so the two cannot drift apart.
import { realpath } from 'node:fs/promises';
import path from 'node:path';

export const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/** Maps a URL path to a file inside root, or undefined when it would escape root (.., %2e%2e, NUL, bad escapes). */
export function staticFileFor(root: string, pathname: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const rel = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
  const base = path.resolve(root);
  const file = path.resolve(base, rel);
  const within = path.relative(base, file);
  if (within === '' || within.startsWith('..') || path.isAbsolute(within)) return undefined;
  return file;
}

const inside = (base: string, file: string): boolean => {
  const within = path.relative(base, file);
  return within !== '' && !within.startsWith('..') && !path.isAbsolute(within);
};

/**
 * The file's real path when it (after following every symlink) still lies inside root's real path, else
 * undefined. staticFileFor is lexical only: a symlink inside the folder pointing elsewhere would pass it.
 */
export async function realFileWithin(root: string, file: string): Promise<string | undefined> {
  try {
    const [base, real] = await Promise.all([realpath(root), realpath(file)]);
    return inside(base, real) ? real : undefined;
  } catch {
    return undefined; // missing file or root: the caller answers 404
  }
}
