// The registry client against real HTTP servers on 127.0.0.1 that answer the way docker.io, ghcr.io and
// registry.k8s.io do: token flow, every outcome, redirects across origins, timeouts, refused connections,
// and the containerd-style mirror addressing (`?ns=`).
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ImageCheck } from '../../../shared/registry.js';
import { checkImage, checkImages, retryAfterSeconds } from './client.js';
import { MEDIA } from './manifest.js';
import { mirrorFromEnv, RegistryMirrorError } from './mirror.js';

interface Seen { method: string; path: string; query: URLSearchParams; auth?: string }
type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => void;

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((r) => { s.closeAllConnections(); s.close(() => r()); })));
});

async function serve(handler: Handler): Promise<{ base: string; host: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    seen.push({ method: req.method ?? '', path: url.pathname, query: url.searchParams, ...(req.headers.authorization ? { auth: req.headers.authorization } : {}) });
    handler(req, res, url);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return { base: `http://127.0.0.1:${port}`, host: `127.0.0.1:${port}`, seen };
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(res.req.method === 'HEAD' ? undefined : text);
};
const errors = (code: string, message: string) => ({ errors: [{ code, message }] });
const digestOf = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;
const sendManifest = (res: ServerResponse, mediaType: string, body: object) => {
  const text = JSON.stringify({ schemaVersion: 2, mediaType, ...body });
  res.writeHead(200, { 'content-type': mediaType, 'content-length': Buffer.byteLength(text), 'docker-content-digest': digestOf(text) });
  res.end(res.req.method === 'HEAD' ? undefined : text);
};
const index = (platforms: Array<[string, string]>, attestation = true) => ({
  manifests: [
    ...platforms.map(([os, architecture], i) => ({ mediaType: MEDIA.ociManifest, digest: `sha256:${String(i).repeat(64)}`, size: 500, platform: { os, architecture } })),
    ...(attestation ? [{ mediaType: MEDIA.ociManifest, digest: `sha256:${'a'.repeat(64)}`, size: 800, platform: { os: 'unknown', architecture: 'unknown' }, annotations: { 'vnd.docker.reference.type': 'attestation-manifest', 'vnd.docker.reference.digest': `sha256:${'0'.repeat(64)}` } }] : []),
  ],
});

/**
 * A registry with the Docker Hub token flow: 401 + Bearer challenge without a token, `/token` hands one
 * out (or refuses), then `manifest` answers. The challenge's scope has a comma inside the quotes, as a
 * push+pull scope does, so a parser splitting at every comma would lose the service.
 */
async function tokenRegistry(manifest: Handler, opts: { token?: (res: ServerResponse, url: URL) => void; blob?: Handler } = {}) {
  const srv = await serve((req, res, url) => {
    if (url.pathname === '/token') {
      if (opts.token) opts.token(res, url);
      else json(res, 200, { token: 'tok-123', expires_in: 300 });
      return;
    }
    if (req.headers.authorization !== 'Bearer tok-123') {
      const name = /^\/v2\/(.+)\/(manifests|blobs)\//.exec(url.pathname)?.[1] ?? '';
      json(res, 401, errors('UNAUTHORIZED', 'authentication required'), {
        'www-authenticate': `Bearer realm="${srv.base}/token",service="registry.example",scope="repository:${name}:pull,push"`,
      });
      return;
    }
    if (url.pathname.includes('/blobs/') && opts.blob) { opts.blob(req, res, url); return; }
    manifest(req, res, url);
  });
  return srv;
}

const AMD = { arch: 'amd64' as const };
const expectOutcome = <O extends ImageCheck['outcome']>(r: ImageCheck, outcome: O): Extract<ImageCheck, { outcome: O }> => {
  expect(ImageCheck.parse(r)).toEqual(r); // every outcome is what the UI's schema accepts
  expect(r.outcome, r.message).toBe(outcome);
  return r as Extract<ImageCheck, { outcome: O }>;
};

describe('checkImage', () => {
  it('follows the Bearer challenge (quoted values with commas) to an anonymous token, then reads the manifest list', async () => {
    const reg = await tokenRegistry((_req, res) => sendManifest(res, MEDIA.ociIndex, index([['linux', 'amd64'], ['linux', 'arm64']])));
    const r = expectOutcome(await checkImage(`${reg.host}/llm-d/epp:v1`, AMD), 'available');
    expect(r.platforms).toEqual(['linux/amd64', 'linux/arm64']); // the attestation entry is left out
    expect(r.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(r.endpoint).toBe(reg.base);
    const token = reg.seen.find((s) => s.path === '/token');
    expect(token?.query.get('service')).toBe('registry.example');
    expect(token?.query.get('scope')).toBe('repository:llm-d/epp:pull');
    expect(token?.auth).toBeUndefined();
    expect(reg.seen.map((s) => `${s.method} ${s.path} ${s.auth ?? '-'}`)).toEqual([
      'HEAD /v2/llm-d/epp/manifests/v1 -', 'GET /token -', 'HEAD /v2/llm-d/epp/manifests/v1 Bearer tok-123', 'GET /v2/llm-d/epp/manifests/v1 Bearer tok-123',
    ]);
  });

  it('accepts access_token (the OAuth2 spelling some registries use) and a docker manifest list', async () => {
    const reg = await tokenRegistry((_req, res) => sendManifest(res, MEDIA.dockerList, index([['linux', 'arm64']], false)), {
      token: (res) => json(res, 200, { access_token: 'tok-123' }),
    });
    const r = expectOutcome(await checkImage(`${reg.host}/a/b:c`, { arch: 'arm64' }), 'available');
    expect(r.mediaType).toBe(MEDIA.dockerList);
    expect(r.platforms).toEqual(['linux/arm64']);
  });

  it('reports arch-missing when the list lacks the node architecture, attestations not counted as platforms', async () => {
    const reg = await tokenRegistry((_req, res) => sendManifest(res, MEDIA.ociIndex, index([['linux', 'amd64']])));
    const r = expectOutcome(await checkImage(`${reg.host}/gaie/epp:v1.2.0`, { arch: 'arm64' }), 'arch-missing');
    expect(r.platforms).toEqual(['linux/amd64']);
    expect(r.arch).toBe('arm64');
    expect(r.message).toContain('no linux/arm64 image');
  });

  describe('a single-platform manifest: the config blob says the architecture', () => {
    const cfg = (architecture: string) => JSON.stringify({ architecture, os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: [] } });
    const single = (config: string): Handler => (_req, res) => sendManifest(res, MEDIA.dockerManifest, { config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: config.length, digest: digestOf(config) }, layers: [] });
    const blob = (config: string): Handler => (_req, res, url) => {
      if (url.pathname.endsWith(digestOf(config))) { res.writeHead(200, { 'content-type': 'application/octet-stream' }); res.end(config); } else json(res, 404, errors('BLOB_UNKNOWN', 'blob unknown to registry'));
    };

    it('arm64-only image on an amd64 node → arch-missing', async () => {
      const c = cfg('arm64');
      const reg = await tokenRegistry(single(c), { blob: blob(c) });
      const r = expectOutcome(await checkImage(`${reg.host}/petecheslock/llm-d-cpu:v0.4.0-arm64`, AMD), 'arch-missing');
      expect(r.platforms).toEqual(['linux/arm64']);
      expect(reg.seen.some((s) => s.path === `/v2/petecheslock/llm-d-cpu/blobs/${digestOf(c)}` && s.auth === 'Bearer tok-123')).toBe(true);
    });

    it('matching architecture → available with that platform', async () => {
      const c = cfg('amd64');
      const reg = await tokenRegistry(single(c), { blob: blob(c) });
      expect(expectOutcome(await checkImage(`${reg.host}/q9t5s3a7/vllm-cpu-release-repo:v0.9.3`, AMD), 'available').platforms).toEqual(['linux/amd64']);
    });

    it('config unreadable → available, platform unknown (never a false failure)', async () => {
      const reg = await tokenRegistry(single(cfg('amd64')), { blob: (_req, res) => json(res, 404, errors('BLOB_UNKNOWN', 'blob unknown to registry')) });
      const r = expectOutcome(await checkImage(`${reg.host}/x/y:z`, AMD), 'available');
      expect(r.platforms).toBeUndefined();
      expect(r.message).toContain('not confirmed');
    });
  });

  it('404 MANIFEST_UNKNOWN → not-found with the registry error (read by a GET, since a HEAD has no body)', async () => {
    const reg = await tokenRegistry((_req, res) => json(res, 404, errors('MANIFEST_UNKNOWN', 'manifest unknown')));
    const r = expectOutcome(await checkImage(`${reg.host}/llm-d/llm-d-cpu:v9.9.9`, AMD), 'not-found');
    expect(r.httpStatus).toBe(404);
    expect(r.registryError).toEqual({ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' });
    expect(reg.seen.at(-1)?.method).toBe('GET');
  });

  it('token endpoint 403 DENIED (ghcr.io for a removed or private package) → denied, token-refused', async () => {
    const reg = await tokenRegistry(() => { throw new Error('no manifest request without a token'); }, {
      token: (res) => json(res, 403, errors('DENIED', 'requested access to the resource is denied')),
    });
    const r = expectOutcome(await checkImage(`${reg.host}/llm-d/llm-d-inference-scheduler:v0.4.0`, AMD), 'denied');
    expect(r).toMatchObject({ reason: 'token-refused', httpStatus: 403, registryError: { code: 'DENIED', message: 'requested access to the resource is denied' } });
    expect(r.message).toContain('removed or made private');
  });

  it('manifest 401 even with a token (Docker Hub: private or nonexistent) → denied, unauthorized, saying the two are not told apart', async () => {
    const reg = await tokenRegistry((_req, res) => json(res, 401, errors('UNAUTHORIZED', 'authentication required'), {
      'www-authenticate': 'Bearer realm="x",service="registry.docker.io",scope="repository:someone/private:pull",error="insufficient_scope"',
    }));
    const r = expectOutcome(await checkImage(`${reg.host}/someone/private:latest`, AMD), 'denied');
    expect(r).toMatchObject({ reason: 'unauthorized', httpStatus: 401, registryError: { code: 'UNAUTHORIZED' } });
    expect(r.message).toContain('does not tell');
  });

  it('a Basic challenge → denied, credentials required (anonymous pulls only)', async () => {
    const reg = await serve((_req, res) => json(res, 401, errors('UNAUTHORIZED', 'authentication required'), { 'www-authenticate': 'Basic realm="Registry Realm"' }));
    const r = expectOutcome(await checkImage(`${reg.host}/private/app:1`, AMD), 'denied');
    expect(r.reason).toBe('credentials-required');
    expect(r.message).toMatch(/username and password/);
  });

  it('429 TOOMANYREQUESTS → rate-limited with Retry-After, without spending another request on a GET', async () => {
    const reg = await tokenRegistry((_req, res) => json(res, 429, errors('TOOMANYREQUESTS', 'You have reached your unauthenticated pull rate limit.'), { 'retry-after': '30' }));
    const r = expectOutcome(await checkImage(`${reg.host}/library/nginx:latest`, AMD), 'rate-limited');
    expect(r.retryAfterSeconds).toBe(30);
    expect(reg.seen.filter((s) => s.path.includes('/manifests/')).map((s) => s.method)).toEqual(['HEAD', 'HEAD']);
  });

  it('a token endpoint that is rate-limited → rate-limited', async () => {
    const reg = await tokenRegistry(() => undefined, { token: (res) => json(res, 429, errors('TOOMANYREQUESTS', 'slow down')) });
    expect(expectOutcome(await checkImage(`${reg.host}/a/b:c`, AMD), 'rate-limited').registryError?.code).toBe('TOOMANYREQUESTS');
  });

  it('follows a redirect to another origin (registry.k8s.io → Artifact Registry) and sends the token only there', async () => {
    const target = await tokenRegistry((_req, res) => sendManifest(res, MEDIA.ociIndex, index([['linux', 'amd64']])));
    const front = await serve((req, res) => { res.writeHead(307, { location: `${target.base}${req.url ?? ''}` }); res.end(); });
    const r = expectOutcome(await checkImage(`${front.host}/gateway-api-inference-extension/epp:v1.2.0`, AMD), 'available');
    expect(r.platforms).toEqual(['linux/amd64']);
    expect(front.seen.every((s) => s.auth === undefined)).toBe(true);
    expect(target.seen.filter((s) => s.auth === 'Bearer tok-123').length).toBeGreaterThanOrEqual(2);
  });

  it('5xx → unreachable (http) with the status', async () => {
    const reg = await serve((_req, res) => json(res, 503, errors('UNAVAILABLE', 'service unavailable')));
    const r = expectOutcome(await checkImage(`${reg.host}/a/b:c`, AMD), 'unreachable');
    expect(r).toMatchObject({ cause: 'http', httpStatus: 503, registryError: { code: 'UNAVAILABLE' } });
  });

  it('no answer within timeoutMs → unreachable (timeout)', async () => {
    const reg = await serve(() => undefined); // accepts, never answers
    const started = Date.now();
    const r = expectOutcome(await checkImage(`${reg.host}/a/b:c`, { ...AMD, timeoutMs: 300 }), 'unreachable');
    expect(r.cause).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('connection refused → unreachable (refused)', async () => {
    const reg = await serve(() => undefined);
    const port = new URL(reg.base).port;
    await new Promise<void>((r) => { const s = servers.pop() as Server; s.close(() => r()); });
    const r = expectOutcome(await checkImage(`127.0.0.1:${port}/a/b:c`, AMD), 'unreachable');
    expect(r.cause).toBe('refused');
    expect(r.message).toContain(`127.0.0.1:${port} refused the connection`);
  });

  it('classifies DNS and TLS failures from the error undici throws (injected fetch: no lookups leave the machine)', async () => {
    const failing = (code: string, message: string) => () => Promise.reject(new TypeError('fetch failed', { cause: Object.assign(new Error(message), { code }) }));
    const dns = await checkImage('ghcr.io/llm-d/x:1', { ...AMD, fetch: failing('ENOTFOUND', 'getaddrinfo ENOTFOUND ghcr.io') });
    expect(expectOutcome(dns, 'unreachable')).toMatchObject({ cause: 'dns', endpoint: 'https://ghcr.io' });
    expect(dns.message).toContain('could not look up ghcr.io');
    const tls = await checkImage('nginx', { ...AMD, fetch: failing('UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate') });
    expect(expectOutcome(tls, 'unreachable')).toMatchObject({ cause: 'tls', endpoint: 'https://registry-1.docker.io' });
  });

  it('through a mirror: every request goes to <mirror>/v2/… with ns=<upstream host>', async () => {
    const reg = await tokenRegistry((_req, res) => sendManifest(res, MEDIA.ociIndex, index([['linux', 'amd64']])));
    expectOutcome(await checkImage('ghcr.io/llm-d/llm-d-cpu:v0.9.0', { ...AMD, mirror: `${reg.base}/` }), 'available');
    expectOutcome(await checkImage('nginx', { ...AMD, mirror: reg.base }), 'available');
    const manifests = reg.seen.filter((s) => s.path.includes('/manifests/'));
    expect(manifests.filter((s) => s.path === '/v2/llm-d/llm-d-cpu/manifests/v0.9.0').every((s) => s.query.get('ns') === 'ghcr.io')).toBe(true);
    expect(manifests.filter((s) => s.path === '/v2/library/nginx/manifests/latest').every((s) => s.query.get('ns') === 'docker.io')).toBe(true);
    expect(manifests).toHaveLength(6);
  });

  it('a pinned digest is asked for by digest', async () => {
    const reg = await tokenRegistry((_req, res) => sendManifest(res, MEDIA.ociIndex, index([['linux', 'amd64']])));
    const digest = `sha256:${'b'.repeat(64)}`;
    expectOutcome(await checkImage(`${reg.host}/a/b:v1@${digest}`, AMD), 'available');
    expect(reg.seen.at(-1)?.path).toBe(`/v2/a/b/manifests/${digest}`);
  });

  it('an invalid reference is an outcome, not a throw; a cancel rejects', async () => {
    expectOutcome(await checkImage('Not A Ref', AMD), 'invalid-reference');
    const reg = await serve(() => undefined);
    const ctl = new AbortController();
    const p = checkImage(`${reg.host}/a/b:c`, { ...AMD, signal: ctl.signal });
    setTimeout(() => ctl.abort(new Error('cancelled by the user')), 50);
    await expect(p).rejects.toThrow('cancelled by the user');
  });
});

describe('checkImages', () => {
  it('runs at most 4 at once, keeps input order, and one bad image never rejects the batch', async () => {
    let inFlight = 0;
    let peak = 0;
    const reg = await serve((_req, res, url) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      setTimeout(() => {
        inFlight--;
        if (url.pathname.includes('/missing/')) json(res, 404, errors('NAME_UNKNOWN', 'repository name not known to registry'));
        else sendManifest(res, MEDIA.ociIndex, index([['linux', 'amd64']]));
      }, 30);
    });
    const refs = Array.from({ length: 10 }, (_, i) => (i === 3 ? `${reg.host}/missing/x:1` : `${reg.host}/ok/i${i}:1`));
    refs.splice(6, 0, '::bad::');
    const results = await checkImages(refs, AMD);
    expect(results.map((r) => r.ref)).toEqual(refs);
    expect(results.map((r) => r.outcome)).toEqual(refs.map((r) => (r === '::bad::' ? 'invalid-reference' : r.includes('/missing/') ? 'not-found' : 'available')));
    expect(peak).toBeLessThanOrEqual(4);
    expect(peak).toBeGreaterThan(1);
  });
});

describe('mirrorFromEnv', () => {
  it('reads LLMD_REGISTRY_MIRROR: unset or empty → none; an http(s) URL → its base; anything else a typed error', () => {
    expect(mirrorFromEnv({})).toBeUndefined();
    expect(mirrorFromEnv({ LLMD_REGISTRY_MIRROR: '  ' })).toBeUndefined();
    expect(mirrorFromEnv({ LLMD_REGISTRY_MIRROR: 'http://127.0.0.1:5000/' })).toBe('http://127.0.0.1:5000');
    expect(mirrorFromEnv({ LLMD_REGISTRY_MIRROR: 'https://mirror.example/registry/' })).toBe('https://mirror.example/registry');
    for (const bad of ['ftp://mirror.example', 'mirror.example:5000', 'http://u:p@mirror.example', 'http://m.example/?x=1', 'not a url']) {
      expect(() => mirrorFromEnv({ LLMD_REGISTRY_MIRROR: bad }), bad).toThrow(RegistryMirrorError);
    }
  });
});

describe('retryAfterSeconds', () => {
  it('reads delta-seconds and HTTP dates', () => {
    expect(retryAfterSeconds('120')).toBe(120);
    expect(retryAfterSeconds(new Date(Date.parse('2026-01-01T00:01:00Z')).toUTCString(), Date.parse('2026-01-01T00:00:00Z'))).toBe(60);
    expect(retryAfterSeconds('soon')).toBeUndefined();
    expect(retryAfterSeconds(null)).toBeUndefined();
  });
});
