// The preflight image check: asks an image's registry (Docker Registry HTTP API v2, anonymously, the way
// containerd does) whether the node could pull the image for its architecture, before anything is
// installed — so a removed, private, misspelt, rate-limited or single-architecture image is reported up
// front with the registry's own words instead of as an ImagePullBackOff ten minutes into the install.
// Flow: HEAD the manifest; on 401 follow the Bearer challenge to the anonymous token endpoint and retry;
// then GET (a HEAD has no body: the manifest list's platforms, a single manifest's config digest, or the
// registry's error code are all in the body) and, for a single manifest, its small config blob.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { type ImageRef, parseImageRef, registryApiHost } from '../../../shared/image-parse.js';
import type { ImageCheck, NodeArch, RegistryError } from '../../../shared/registry.js';
import { parseWwwAuthenticate } from './challenge.js';
import { type Auth, classifyNetworkError, discard, type FetchFn, ProtocolError, readBody, readJson, send, type Sent } from './http.js';
import { ACCEPT, ConfigBody, IndexBody, indexPlatforms, ManifestBody, MEDIA, mediaTypeOf, platformString, RegistryErrors, runsOn } from './manifest.js';
import { parseMirror } from './mirror.js';

export interface CheckOptions {
  /** The node's architecture; the OS is always linux. */
  arch: NodeArch;
  /** Injectable for tests; the global fetch otherwise. */
  fetch?: FetchFn;
  /** Cancels the check: the promise then rejects with the signal's reason (a cancel is not an image failure). */
  signal?: AbortSignal;
  /** Budget for the whole check of one image, token and config included. */
  timeoutMs?: number;
  /** Base URL every registry is reached through, containerd-style (`<mirror>/v2/…?ns=<registry host>`). */
  mirror?: string;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_CONCURRENCY = 4;

type Common = Pick<ImageCheck, 'ref' | 'normalized' | 'registry' | 'endpoint'>;
type Unreachable = Extract<ImageCheck, { outcome: 'unreachable' }>;
type Denied = Extract<ImageCheck, { outcome: 'denied' }>;

const Token = z.object({ token: z.string().min(1).optional(), access_token: z.string().min(1).optional() }).loose();
// containerd and docker talk plain HTTP to a registry on the loopback; everything else is HTTPS.
const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/;

const errText = (e: RegistryError | undefined) => (e ? `, ${e.code}: ${e.message}` : '');

/** Seconds from a Retry-After header: delta-seconds or an HTTP date. */
export function retryAfterSeconds(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

class Check {
  private auth?: Auth;
  /** The last URL asked, so an unreachable outcome names the host that failed (the token host may differ). */
  lastUrl: URL;

  constructor(
    private readonly img: ImageRef,
    readonly common: Common,
    private readonly opts: CheckOptions & { fetch: FetchFn; timeoutMs: number },
    private readonly mirror: string | undefined,
    private readonly signal: AbortSignal,
  ) {
    this.lastUrl = new URL(common.endpoint);
  }

  private url(path: string): URL {
    const u = new URL(`${this.common.endpoint}/v2/${path}`);
    if (this.mirror) u.searchParams.set('ns', this.img.registry);
    return u;
  }

  private async send(url: URL, method: 'GET' | 'HEAD', accept?: string, auth = this.auth): Promise<Sent> {
    this.lastUrl = url;
    const sent = await send(this.opts.fetch, url, { method, signal: this.signal, ...(accept ? { accept } : {}), ...(auth ? { auth } : {}) });
    this.lastUrl = sent.url;
    return sent;
  }

  async run(): Promise<ImageCheck> {
    const path = `${this.img.repository}/manifests/${this.img.reference}`;
    let { res, url } = await this.send(this.url(path), 'HEAD', ACCEPT);
    if (res.status === 401) {
      const refused = await this.authorize(res, url);
      if (refused) return refused;
      ({ res } = await this.send(this.url(path), 'HEAD', ACCEPT));
    }
    await discard(res);
    // A 429 is final: asking again (GET) only spends more of the limit.
    if (res.status === 429) return this.rateLimited(res, undefined);
    ({ res, url } = await this.send(this.url(path), 'GET', ACCEPT));
    if (res.status === 401 && !this.auth) {
      const refused = await this.authorize(res, url);
      if (refused) return refused;
      ({ res } = await this.send(this.url(path), 'GET', ACCEPT));
    }
    return this.fromManifest(res);
  }

  private async authorize(res: Response, url: URL): Promise<ImageCheck | undefined> {
    await discard(res);
    const challenges = parseWwwAuthenticate(res.headers.get('www-authenticate') ?? '');
    const bearer = challenges.find((c) => c.scheme.toLowerCase() === 'bearer');
    const { registry, repository } = this.img;
    if (!bearer) {
      if (challenges.some((c) => c.scheme.toLowerCase() === 'basic')) {
        return this.denied('credentials-required', 401, undefined,
          `${registry} asks for a username and password (Basic authentication) to pull ${this.img.normalized}; the installer pulls only anonymously, so it cannot use this image without credentials.`);
      }
      return this.denied('unauthorized', 401, undefined, `${registry} refused an anonymous pull of ${this.img.normalized} and did not say how to get a token.`);
    }
    const realm = bearer.params.realm;
    if (!realm) throw new ProtocolError(`${url.host} sent a Bearer challenge without a realm`);
    let tokenUrl: URL;
    try { tokenUrl = new URL(realm, url); } catch { throw new ProtocolError(`${url.host} sent an invalid token realm "${realm}"`); }
    if (tokenUrl.protocol !== 'https:' && tokenUrl.protocol !== 'http:') throw new ProtocolError(`unsupported token realm "${realm}"`);
    if (bearer.params.service) tokenUrl.searchParams.set('service', bearer.params.service);
    tokenUrl.searchParams.set('scope', `repository:${repository}:pull`);
    // No Authorization on the token request: it is the anonymous flow.
    const { res: tr } = await this.send(tokenUrl, 'GET', 'application/json', undefined);
    if (tr.status === 200) {
      const body = Token.safeParse(await readJson(tr));
      const token = body.success ? (body.data.token ?? body.data.access_token) : undefined;
      if (!token) throw new ProtocolError(`the token endpoint ${tokenUrl.origin}${tokenUrl.pathname} answered without a token`);
      // The token belongs to the origin that challenged (after redirects), not to the first host asked.
      this.auth = { origin: url.origin, header: `Bearer ${token}` };
      return undefined;
    }
    const err = await errorOf(tr);
    if (tr.status === 401 || tr.status === 403) {
      return this.denied('token-refused', tr.status, err,
        `${registry} refused an anonymous pull token for ${repository} (HTTP ${tr.status}${errText(err)}): the image was removed or made private.`);
    }
    if (tr.status === 429) return this.rateLimited(tr, err);
    return this.unreachable('http', `the token endpoint answered HTTP ${tr.status}${errText(err)}`, tr.status, err);
  }

  private async fromManifest(res: Response): Promise<ImageCheck> {
    if (res.status === 200) return this.fromBody(res);
    const err = await errorOf(res);
    const { normalized, registry } = this.common;
    switch (res.status) {
      case 401:
        return this.denied('unauthorized', 401, err,
          `${registry} refused ${normalized} to an anonymous pull (HTTP 401${errText(err)}). The registry answers the same for a private and for a nonexistent repository, so it does not tell which this is.`);
      case 403:
        return this.denied('forbidden', 403, err, `${registry} forbids pulling ${normalized} (HTTP 403${errText(err)}): the image is private or access to it is restricted.`);
      case 404:
        return { outcome: 'not-found', ...this.common, httpStatus: 404, ...(err ? { registryError: err } : {}),
          message: `${normalized} does not exist on ${registry} (HTTP 404${errText(err)}): the tag or repository is wrong, or it was deleted.` };
      case 429:
        return this.rateLimited(res, err);
      default:
        return this.unreachable('http', `the manifest request answered HTTP ${res.status}${errText(err)}`, res.status, err);
    }
  }

  private async fromBody(res: Response): Promise<ImageCheck> {
    const bytes = await readBody(res);
    let json: unknown;
    try { json = JSON.parse(new TextDecoder().decode(bytes)) as unknown; } catch { throw new ProtocolError('the manifest is not JSON'); }
    const digest = res.headers.get('docker-content-digest') ?? `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    const manifest = ManifestBody.safeParse(json);
    if (!manifest.success) throw new ProtocolError('the manifest is not a JSON object');
    const mediaType = mediaTypeOf(res, manifest.data);
    const index = IndexBody.safeParse(json);
    if (mediaType === MEDIA.ociIndex || mediaType === MEDIA.dockerList || (index.success && !manifest.data.config)) {
      if (!index.success) throw new ProtocolError(`a ${mediaType} without a manifests array`);
      return this.verdict(digest, mediaType, indexPlatforms(index.data));
    }
    // A single-platform image: its config blob says what it was built for.
    let platform: string | undefined;
    if (manifest.data.architecture) platform = `linux/${manifest.data.architecture}`;
    else if (manifest.data.config) platform = await this.configPlatform(manifest.data.config.digest);
    if (!platform) {
      return { outcome: 'available', ...this.common, httpStatus: 200, digest, ...(mediaType ? { mediaType } : {}),
        message: `${this.common.normalized} exists on ${this.common.registry}, but its platform could not be read, so linux/${this.opts.arch} is not confirmed.` };
    }
    return this.verdict(digest, mediaType, [platform]);
  }

  private verdict(digest: string, mediaType: string, platforms: string[]): ImageCheck {
    const { normalized } = this.common;
    const arch = this.opts.arch;
    const mt = mediaType ? { mediaType } : {};
    if (runsOn(platforms, arch)) {
      return { outcome: 'available', ...this.common, httpStatus: 200, digest, ...mt, platforms,
        message: `${normalized} can be pulled for linux/${arch}${platforms.length > 1 ? ` (built for ${platforms.join(', ')})` : ''}.` };
    }
    return { outcome: 'arch-missing', ...this.common, httpStatus: 200, arch, digest, ...mt, platforms,
      message: `${normalized} has no linux/${arch} image; it is built only for ${platforms.length ? platforms.join(', ') : 'no runnable platform'}.` };
  }

  private async configPlatform(digest: string): Promise<string | undefined> {
    try {
      const { res } = await this.send(this.url(`${this.img.repository}/blobs/${digest}`), 'GET');
      if (res.status !== 200) { await discard(res); return undefined; }
      const cfg = ConfigBody.safeParse(await readJson(res));
      return cfg.success ? platformString(cfg.data) : undefined;
    } catch (err) {
      // The manifest already proved the image exists; an unreadable config only leaves the platform unknown.
      if (this.opts.signal?.aborted) throw err;
      return undefined;
    }
  }

  private denied(reason: Denied['reason'], status: number, err: RegistryError | undefined, message: string): ImageCheck {
    return { outcome: 'denied', ...this.common, reason, httpStatus: status, ...(err ? { registryError: err } : {}), message };
  }

  private rateLimited(res: Response, err: RegistryError | undefined): ImageCheck {
    const retry = retryAfterSeconds(res.headers.get('retry-after'));
    return { outcome: 'rate-limited', ...this.common, httpStatus: res.status, ...(err ? { registryError: err } : {}), ...(retry !== undefined ? { retryAfterSeconds: retry } : {}),
      message: `${this.common.registry} is limiting anonymous pulls (HTTP 429${errText(err)}); try again ${retry !== undefined ? `in ${retry} s` : 'later'}.` };
  }

  unreachable(cause: Unreachable['cause'], detail: string, status?: number, err?: RegistryError): ImageCheck {
    const host = this.lastUrl.host;
    const what: Record<Unreachable['cause'], string> = {
      dns: `could not look up ${host}`,
      refused: `${host} refused the connection`,
      reset: `the connection to ${host} was cut`,
      timeout: `no answer from ${host} within ${Math.round(this.opts.timeoutMs / 100) / 10} s`,
      tls: `the secure (TLS) connection to ${host} failed`,
      proxy: `the proxy in front of ${host} failed`,
      network: `the network has no route to ${host}`,
      http: `${host} answered with an error`,
      protocol: `${host} did not answer like a container registry`,
      other: `the request to ${host} failed`,
    };
    return { outcome: 'unreachable', ...this.common, cause, ...(status !== undefined ? { httpStatus: status } : {}), ...(err ? { registryError: err } : {}),
      message: `Could not check ${this.common.normalized}: ${what[cause]} (${detail}).` };
  }
}

async function errorOf(res: Response): Promise<RegistryError | undefined> {
  try {
    const parsed = RegistryErrors.safeParse(await readJson(res));
    const first = parsed.success ? parsed.data.errors[0] : undefined;
    return first ? { code: first.code, message: first.message } : undefined;
  } catch {
    return undefined;
  }
}

function endpointFor(registry: string, mirror: string | undefined): string {
  if (mirror) return mirror;
  return `${LOOPBACK.test(registry) ? 'http' : 'https'}://${registryApiHost(registry)}`;
}

/** Whether `ref` can be pulled anonymously for `opts.arch`. Never rejects for an image's sake; only a cancel (opts.signal) or an invalid mirror throws. */
export async function checkImage(ref: string, opts: CheckOptions): Promise<ImageCheck> {
  const mirror = opts.mirror === undefined ? undefined : parseMirror(opts.mirror);
  opts.signal?.throwIfAborted();
  let img: ImageRef;
  try {
    img = parseImageRef(ref);
  } catch (err) {
    return { outcome: 'invalid-reference', ref, normalized: ref, registry: '', endpoint: mirror ?? '', message: err instanceof Error ? err.message : String(err) };
  }
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const deadline = AbortSignal.timeout(timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, deadline]) : deadline;
  const common: Common = { ref, normalized: img.normalized, registry: img.registry, endpoint: endpointFor(img.registry, mirror) };
  const check = new Check(img, common, { ...opts, fetch: opts.fetch ?? globalThis.fetch, timeoutMs }, mirror, signal);
  try {
    return await check.run();
  } catch (err) {
    if (opts.signal?.aborted) throw opts.signal.reason;
    const { cause, detail } = classifyNetworkError(err, deadline.aborted);
    return check.unreachable(cause, detail);
  }
}

/** checkImage for many references, at most `concurrency` at once, results in input order. */
export async function checkImages(refs: readonly string[], opts: CheckOptions & { concurrency?: number }): Promise<ImageCheck[]> {
  if (opts.mirror !== undefined) parseMirror(opts.mirror); // a bad mirror is a setting error, reported once
  const results: ImageCheck[] = new Array<ImageCheck>(refs.length);
  let next = 0;
  const worker = async () => {
    while (next < refs.length) {
      const i = next++;
      const ref = refs[i] as string;
      try {
        results[i] = await checkImage(ref, opts);
      } catch (err) {
        if (opts.signal?.aborted) throw err;
        results[i] = { outcome: 'unreachable', ref, normalized: ref, registry: '', endpoint: opts.mirror ?? '', cause: 'other', message: `Could not check ${ref}: ${err instanceof Error ? err.message : String(err)}.` };
      }
    }
  };
  const workers = Math.max(1, Math.min(opts.concurrency ?? DEFAULT_CONCURRENCY, refs.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return results;
}
