// Security-relevant decisions of the Electron shell as small pure functions (docs/architecture.md §5), so they
// can be tested without Electron. main.ts only wires them to Electron's hooks.
// Checklist: electronjs.org/docs/latest/tutorial/security (see reference/electron-security-testing-facts.md §1).
import { MIME_TYPES, realFileWithin, staticFileFor } from '../engine/renderer-files.js';

/** The renderer is served from app://renderer/ (never file://). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'renderer';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** The scheme registration Electron needs before `ready` (privileged like https, no CORS bypass). */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: false, bypassCSP: false, allowServiceWorkers: false, stream: false },
} as const;

/** Strict CSP for the app window: our own scripts and styles only, no network except ourselves. */
export const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

const originOf = (url: string): string | undefined => {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
};

/** IPC is accepted only from our own page (compared by parsed origin, never by string prefix). */
export function isAllowedSender(url: string | undefined | null): boolean {
  if (!url) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
}

/** The window never navigates away from the app (links to the web open in the browser instead). */
export function isAllowedNavigation(url: string): boolean {
  return isAllowedSender(url) && originOf(url) === originOf(APP_ENTRY_URL);
}

/** Only plain http(s) URLs without credentials go to the system browser. */
export function isSafeExternalUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return false;
  if (parsed.username || parsed.password) return false;
  return parsed.hostname.length > 0;
}

/** Maps an app:// request URL to a file inside the renderer dir, or undefined when it would escape. */
export function appFileFor(rendererDir: string, requestUrl: string): string | undefined {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return undefined;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return undefined;
  return staticFileFor(rendererDir, url.pathname);
}

/**
 * The real file an app:// request may be served from: appFileFor's lexical check, then every symlink
 * resolved and the result required to stay inside the renderer dir's real path (a link planted in the
 * folder must not reach the rest of the disk). Undefined answers 404.
 */
export async function appRealFileFor(rendererDir: string, requestUrl: string): Promise<string | undefined> {
  const named = appFileFor(rendererDir, requestUrl);
  return named ? realFileWithin(rendererDir, named) : undefined;
}

export { MIME_TYPES };
