// The web host's gatekeeping as pure functions (docs/architecture.md §5): loopback only, a random token, exact
// Host and Origin. Exact Host stops DNS rebinding (a foreign name resolving to 127.0.0.1); exact
// Origin stops other local pages from opening the socket; the token stops other local users/processes.
import { randomBytes, timingSafeEqual } from 'node:crypto';

export const LOOPBACK = '127.0.0.1';

export const newToken = (): string => randomBytes(24).toString('base64url');

/** Constant-time token comparison (no early exit on the first differing byte). */
export function tokenMatches(expected: string, given: string | null | undefined): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  // Compare against itself when lengths differ so the timing does not reveal the length either.
  return a.length === b.length ? timingSafeEqual(a, b) : (timingSafeEqual(a, a), false);
}

export const expectedHost = (port: number): string => `${LOOPBACK}:${port}`;
export const expectedOrigin = (port: number): string => `http://${LOOPBACK}:${port}`;

export const hostAllowed = (host: string | undefined, port: number): boolean => host === expectedHost(port);
export const originAllowed = (origin: string | undefined, port: number): boolean => origin === expectedOrigin(port);

export type UpgradeVerdict = { ok: true } | { ok: false; reason: string };

/** Decides whether a WebSocket upgrade may proceed. */
export function checkUpgrade(req: { url?: string; headers: { host?: string; origin?: string } }, port: number, token: string): UpgradeVerdict {
  if (!hostAllowed(req.headers.host, port)) return { ok: false, reason: 'foreign Host header' };
  if (!originAllowed(req.headers.origin, port)) return { ok: false, reason: 'foreign or missing Origin' };
  const url = new URL(req.url ?? '/', expectedOrigin(port));
  if (url.pathname !== '/api') return { ok: false, reason: 'unknown path' };
  if (!tokenMatches(token, url.searchParams.get('token'))) return { ok: false, reason: 'missing or wrong token' };
  return { ok: true };
}

/** CSP for pages the web host serves: only our own scripts/styles, sockets only back to us. */
export function webCsp(port: number): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ws://${LOOPBACK}:${port}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}
