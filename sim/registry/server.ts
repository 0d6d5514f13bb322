// A loopback container registry (Docker Registry HTTP API v2) that answers, per the catalogue and the
// scenario, the way real registries do — reached as a containerd-style mirror (`?ns=<upstream host>`):
// `GET /v2/` and unauthenticated manifest requests get 401 with a Bearer challenge whose realm is
// `<url>/token`; the token endpoint hands out anonymous tokens or refuses a removed repository with 403
// DENIED (ghcr.io); with a token, manifests are an OCI index (with the attestation entry buildkit adds),
// a docker manifest list, or one docker v2 manifest whose config blob is served too; digests are sha256
// of the bodies. Missing images are 404 MANIFEST_UNKNOWN, Docker Hub and Quay refuse private/missing
// repositories with 401 UNAUTHORIZED at the manifest, rate limits are 429 TOOMANYREQUESTS + Retry-After.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NodeArch } from '../../shared/registry.js';
import type { Scenario } from '../scenario.js';
import { simNodeArch } from './arch.js';
import { type FactsContext, type ImageFacts, imageFacts, refusesAtManifest, tokenRefused } from './catalog.js';

export interface RegistryOptions {
  scenario: Pick<Scenario, 'registry'>;
  port?: number;
  /** The node architecture `arch-missing` scenario entries are missing; LLMD_SIM_ARCH or the host's by default. */
  arch?: NodeArch;
  retryAfterSeconds?: number;
}

export interface SimRegistry {
  url: string;
  port: number;
  close(): Promise<void>;
}

const MT = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar+gzip',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayer: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  inToto: 'application/vnd.in-toto+json',
} as const;

interface Blob { mediaType: string; body: Buffer; digest: string }
const sha = (b: Buffer | string) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const blob = (mediaType: string, value: unknown): Blob => {
  const body = Buffer.from(JSON.stringify(value));
  return { mediaType, body, digest: sha(body) };
};
const errors = (code: string, message: string, detail?: unknown) => ({ errors: [{ code, message, ...(detail === undefined ? {} : { detail }) }] });

/**
 * The manifests and configs of one image, deterministic per reference and platform, so the same image
 * always has the same digest. Every blob is returned, keyed by digest, for later by-digest requests.
 */
function content(f: ImageFacts): { top: Blob; all: Blob[] } {
  const all: Blob[] = [];
  const keep = (b: Blob) => { all.push(b); return b; };
  const image = (platform: string, oci: boolean) => {
    const [os, architecture, variant] = platform.split('/');
    const config = keep(blob(oci ? MT.ociConfig : MT.dockerConfig, {
      architecture, os, ...(variant ? { variant } : {}), created: '2026-01-01T00:00:00Z',
      config: { Labels: { 'org.opencontainers.image.ref.name': f.normalized } },
      rootfs: { type: 'layers', diff_ids: [sha(`${f.normalized} ${platform} layer`)] },
    }));
    return keep(blob(oci ? MT.ociManifest : MT.dockerManifest, {
      schemaVersion: 2, mediaType: oci ? MT.ociManifest : MT.dockerManifest,
      config: { mediaType: config.mediaType, size: config.body.length, digest: config.digest },
      layers: [{ mediaType: oci ? MT.ociLayer : MT.dockerLayer, size: 31_457_280, digest: sha(`${f.normalized} ${platform} tar`) }],
    }));
  };
  const entry = (m: Blob, platform: string) => {
    const [os, architecture, variant] = platform.split('/');
    return { mediaType: m.mediaType, digest: m.digest, size: m.body.length, platform: { architecture, os, ...(variant ? { variant } : {}) } };
  };
  if (f.manifest === 'single' && f.platforms.length === 1) return { top: image(f.platforms[0] as string, false), all };
  if (f.manifest === 'docker-list') {
    const top = keep(blob(MT.dockerList, { schemaVersion: 2, mediaType: MT.dockerList, manifests: f.platforms.map((p) => entry(image(p, false), p)) }));
    return { top, all };
  }
  const children = f.platforms.map((p) => ({ p, m: image(p, true) }));
  const manifests: unknown[] = children.map(({ p, m }) => entry(m, p));
  const first = children[0];
  if (first) {
    // buildkit's provenance attestation for the first platform: an `unknown/unknown` entry a client must skip.
    const attConfig = keep(blob(MT.ociConfig, { architecture: 'unknown', os: 'unknown', config: {}, rootfs: { type: 'layers', diff_ids: [] } }));
    const att = keep(blob(MT.ociManifest, {
      schemaVersion: 2, mediaType: MT.ociManifest,
      config: { mediaType: MT.ociConfig, size: attConfig.body.length, digest: attConfig.digest },
      layers: [{ mediaType: MT.inToto, size: 1024, digest: sha(`${f.normalized} provenance`), annotations: { 'in-toto.io/predicate-type': 'https://slsa.dev/provenance/v0.2' } }],
    }));
    manifests.push({ mediaType: MT.ociManifest, digest: att.digest, size: att.body.length, platform: { architecture: 'unknown', os: 'unknown' },
      annotations: { 'vnd.docker.reference.digest': first.m.digest, 'vnd.docker.reference.type': 'attestation-manifest' } });
  }
  return { top: keep(blob(MT.ociIndex, { schemaVersion: 2, mediaType: MT.ociIndex, manifests })), all };
}

export async function startRegistry(opts: RegistryOptions): Promise<SimRegistry> {
  const ctx: FactsContext = { scenario: opts.scenario, arch: opts.arch ?? simNodeArch() };
  const retryAfter = String(opts.retryAfterSeconds ?? 60);
  const tokens = new Map<string, { service: string; repository: string }>();
  const blobs = new Map<string, Blob>(); // `${ns}/${repository}@${digest}`
  let base = '';

  const reply = (req: IncomingMessage, res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const buf = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
    res.writeHead(status, { 'docker-distribution-api-version': 'registry/2.0', 'content-type': 'application/json', 'content-length': String(buf.length), ...headers });
    res.end(req.method === 'HEAD' ? undefined : buf);
  };
  const challenge = (service: string, repository?: string, error?: string) =>
    `Bearer realm="${base}/token",service="${service}"${repository ? `,scope="repository:${repository}:pull"` : ''}${error ? `,error="${error}"` : ''}`;
  const authorized = (req: IncomingMessage, service: string, repository?: string) => {
    const m = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
    const t = m ? tokens.get(m[1] as string) : undefined;
    return !!t && t.service === service && (repository === undefined || t.repository === repository);
  };
  const unauthorized = (req: IncomingMessage, res: ServerResponse, service: string, repository: string, error?: string) =>
    reply(req, res, 401, errors('UNAUTHORIZED', 'authentication required', [{ Type: 'repository', Class: '', Name: repository, Action: 'pull' }]), { 'www-authenticate': challenge(service, repository, error) });

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', base);
    const ns = url.searchParams.get('ns') || (req.headers.host ?? new URL(base).host);
    if (req.method !== 'GET' && req.method !== 'HEAD') { reply(req, res, 405, errors('UNSUPPORTED', 'the operation is unsupported')); return; }

    if (url.pathname === '/token') {
      const service = url.searchParams.get('service') ?? '';
      const scope = /^repository:(.+):([a-z*,]+)$/.exec(url.searchParams.get('scope') ?? '');
      const repository = scope?.[1] ?? '';
      if (repository && tokenRefused(service, repository, ctx)) {
        reply(req, res, 403, errors('DENIED', 'requested access to the resource is denied'));
        return;
      }
      const token = randomBytes(24).toString('base64url');
      tokens.set(token, { service, repository });
      reply(req, res, 200, { token, access_token: token, expires_in: 300, issued_at: new Date().toISOString() });
      return;
    }

    if (url.pathname === '/v2/' || url.pathname === '/v2') {
      if (authorized(req, ns)) reply(req, res, 200, {});
      else reply(req, res, 401, errors('UNAUTHORIZED', 'authentication required'), { 'www-authenticate': challenge(ns) });
      return;
    }

    const m = /^\/v2\/(.+)\/(manifests|blobs)\/([^/]+)$/.exec(url.pathname);
    if (!m) { reply(req, res, 404, Buffer.from('404 page not found\n'), { 'content-type': 'text/plain; charset=utf-8' }); return; }
    const [, repository = '', kind, reference = ''] = m;
    if (!authorized(req, ns, repository)) { unauthorized(req, res, ns, repository); return; }
    const stored = blobs.get(`${ns}/${repository}@${reference}`);

    if (kind === 'blobs') {
      if (!stored) { reply(req, res, 404, errors('BLOB_UNKNOWN', 'blob unknown to registry', { digest: reference })); return; }
      reply(req, res, 200, stored.body, { 'content-type': 'application/octet-stream', 'docker-content-digest': stored.digest, etag: `"${stored.digest}"` });
      return;
    }
    const ref = `${ns}/${repository}${reference.includes(':') ? '@' : ':'}${reference}`;
    const facts = imageFacts(ref, ctx);
    switch (facts.status) {
      case 'denied':
        if (refusesAtManifest(ns)) unauthorized(req, res, ns, repository, 'insufficient_scope');
        else reply(req, res, 403, errors('DENIED', 'requested access to the resource is denied'));
        return;
      case 'not-found':
        reply(req, res, 404, errors('MANIFEST_UNKNOWN', 'manifest unknown', { Tag: reference }));
        return;
      case 'rate-limited':
        reply(req, res, 429, errors('TOOMANYREQUESTS', 'You have reached your unauthenticated pull rate limit. https://www.docker.com/increase-rate-limit'), { 'retry-after': retryAfter });
        return;
      case 'available': {
        // A digest this registry generated (a list's child) is served as it was; any other reference gets
        // the image's content built from its facts (a pinned digest the sim never saw included).
        let top = stored;
        if (!top) {
          const c = content(facts);
          for (const b of c.all) blobs.set(`${ns}/${repository}@${b.digest}`, b);
          top = c.top;
        }
        reply(req, res, 200, top.body, { 'content-type': top.mediaType, 'docker-content-digest': top.digest, etag: `"${top.digest}"` });
      }
    }
  };

  const server = createServer((req, res) => {
    try { handle(req, res); } catch (err) {
      if (!res.headersSent) reply(req, res, 500, errors('UNKNOWN', err instanceof Error ? err.message : String(err)));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => { server.off('error', reject); resolve(); });
  });
  const port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
  return {
    url: base, port,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
