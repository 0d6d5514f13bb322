// Picks the transport: the preload object in Electron, else the browser host's WebSocket. The token
// arrives in the page URL once; it moves to sessionStorage (so a reload keeps working) and leaves the
// address bar, history and any screenshot.
import { PRELOAD_GLOBAL, type RawTransport } from '../../../shared/contract.js';
import { createWsTransport, type ConnectionState } from './ws-transport.js';

export const TOKEN_KEY = 'llmd.token';

export type PickedTransport =
  | { kind: 'electron'; transport: RawTransport }
  | { kind: 'web'; transport: RawTransport }
  | { kind: 'missing-token' };

const isRawTransport = (v: unknown): v is RawTransport =>
  typeof v === 'object' && v !== null && typeof (v as RawTransport).invoke === 'function' && typeof (v as RawTransport).subscribe === 'function';

/** Reads the token from the URL (then strips it) or from this tab's session storage. */
export function takeToken(loc: Location, history: History, storage: Storage): string | undefined {
  const url = new URL(loc.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    storage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    history.replaceState(history.state, '', `${url.pathname}${url.search}${url.hash}`);
    return fromUrl;
  }
  return storage.getItem(TOKEN_KEY) ?? undefined;
}

export function pickTransport(win: Window, onState?: (s: ConnectionState) => void): PickedTransport {
  const preload = (win as unknown as Record<string, unknown>)[PRELOAD_GLOBAL];
  if (isRawTransport(preload)) return { kind: 'electron', transport: preload };
  const token = takeToken(win.location, win.history, win.sessionStorage);
  if (!token) return { kind: 'missing-token' };
  const wsUrl = `${win.location.protocol === 'https:' ? 'wss' : 'ws'}://${win.location.host}/api?token=${encodeURIComponent(token)}`;
  return { kind: 'web', transport: createWsTransport(wsUrl, onState ? { onState } : {}) };
}
