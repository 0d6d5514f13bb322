// The registry client's HTTP layer: redirects followed by hand, so a bearer token goes only to the origin
// that asked for it (registry.k8s.io redirects every /v2/ request to a regional Artifact Registry that
// challenges for its own token, and blob redirects land on a CDN that rejects a stray Authorization
// header), bodies read with a size cap, and network failures sorted into the causes a person can act on.
import type { ImageCheck } from '../../../shared/registry.js';

export type FetchFn = (input: URL | string, init?: RequestInit) => Promise<Response>;
type UnreachableCause = Extract<ImageCheck, { outcome: 'unreachable' }>['cause'];

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 8;
/** Manifests and image configs are kilobytes; a registry sending more is not answering the question. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** An answer that is not what a registry sends (bad JSON, endless redirects, an oversized body). */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
}

export interface Auth { origin: string; header: string }

export interface Sent { res: Response; url: URL }

export async function send(fetchFn: FetchFn, start: URL, init: { method: 'GET' | 'HEAD'; accept?: string; signal: AbortSignal; auth?: Auth }): Promise<Sent> {
  let url = start;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const headers = new Headers();
    if (init.accept) headers.set('accept', init.accept);
    if (init.auth && url.origin === init.auth.origin) headers.set('authorization', init.auth.header);
    const res = await fetchFn(url, { method: init.method, headers, signal: init.signal, redirect: 'manual' });
    const location = res.headers.get('location');
    if (!REDIRECTS.has(res.status) || !location) return { res, url };
    await discard(res);
    const next = new URL(location, url);
    if (next.protocol !== 'https:' && next.protocol !== 'http:') throw new ProtocolError(`redirect to unsupported URL ${next.href}`);
    url = next;
  }
  throw new ProtocolError(`more than ${MAX_REDIRECTS} redirects from ${start.href}`);
}

export async function discard(res: Response): Promise<void> {
  try { await res.body?.cancel(); } catch { /* already closed */ }
}

export async function readBody(res: Response): Promise<Uint8Array> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > MAX_BODY_BYTES) {
    await discard(res);
    throw new ProtocolError(`answer of ${declared} bytes is larger than a manifest can be`);
  }
  if (!res.body) return new Uint8Array();
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw new ProtocolError(`answer larger than ${MAX_BODY_BYTES} bytes`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let off = 0;
  for (const c of chunks) { out.set(c, off); off += c.byteLength; }
  return out;
}

export async function readJson(res: Response): Promise<unknown> {
  const text = new TextDecoder().decode(await readBody(res));
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ProtocolError(`answer is not JSON: ${text.slice(0, 80)}`);
  }
}

const DNS = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL', 'EAI_NODATA']);
const RESET = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ECONNABORTED']);
const TIMEOUT = new Set(['ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
const NETWORK = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EHOSTDOWN', 'EADDRNOTAVAIL']);
const TLS = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|EPROTO$|HOSTNAME_MISMATCH$)/;

/** Error codes along an error's cause chain (undici wraps the socket error in `TypeError: fetch failed`). */
function codes(err: unknown): { codes: string[]; text: string } {
  const found: string[] = [];
  const texts: string[] = [];
  const seen = new Set<unknown>();
  const walk = (e: unknown) => {
    if (!e || typeof e !== 'object' || seen.has(e)) return;
    seen.add(e);
    const o = e as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown; name?: unknown };
    if (typeof o.code === 'string') found.push(o.code);
    if (typeof o.name === 'string' && (o.name === 'TimeoutError')) found.push('ETIMEDOUT');
    if (typeof o.message === 'string') texts.push(o.message);
    walk(o.cause);
    if (Array.isArray(o.errors)) for (const x of o.errors) walk(x);
  };
  walk(err);
  return { codes: found, text: texts.join(': ') };
}

export function classifyNetworkError(err: unknown, timedOut: boolean): { cause: UnreachableCause; detail: string } {
  const { codes: cs, text } = codes(err);
  const code = cs.find((c) => c !== 'UND_ERR' && c !== 'ABORT_ERR') ?? cs[0];
  const detail = code ? `${code}${text ? ` (${text})` : ''}` : text || String(err);
  if (err instanceof ProtocolError) return { cause: 'protocol', detail: err.message };
  if (timedOut || cs.some((c) => TIMEOUT.has(c))) return { cause: 'timeout', detail };
  if (/proxy/i.test(text) || cs.some((c) => c.startsWith('UND_ERR_PRX'))) return { cause: 'proxy', detail };
  if (cs.some((c) => DNS.has(c))) return { cause: 'dns', detail };
  if (cs.includes('ECONNREFUSED')) return { cause: 'refused', detail };
  if (cs.some((c) => TLS.test(c)) || /certificate|ssl|tls/i.test(text)) return { cause: 'tls', detail };
  if (cs.some((c) => RESET.has(c))) return { cause: 'reset', detail };
  if (cs.some((c) => NETWORK.has(c))) return { cause: 'network', detail };
  return { cause: 'other', detail };
}
