// The loopback registry answering the engine's own client (electron/engine/registry) as a mirror, one
// outcome at a time; the catalogue's seeded facts; scenario entries beating the catalogue; the kubelet's
// containerd messages; and the registry as a process.
import { execa } from 'execa';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkImage } from '../../electron/engine/registry/index.js';
import type { ImageCheck, NodeArch } from '../../shared/registry.js';
import { Scenario } from '../scenario.js';
import { archOfNode, simNodeArch } from './arch.js';
import { CATALOG, imageFacts, tokenRefused } from './catalog.js';
import { criMessage, faultFailure, pullFailure } from './pull.js';
import { type SimRegistry, startRegistry } from './server.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const scenario = (images: unknown[] = []) => Scenario.parse({ timeScale: 0.01, registry: { images } });

const OVERRIDES = [
  { match: 'docker.io/someone/private', status: 'denied' },
  { match: 'ghcr.io/llm-d/llm-d-cpu:v9.9.9', status: 'not-found' },
  { match: 'docker.io/library/busybox', status: 'rate-limited' },
  { match: 'quay.io/x/no-arm', status: 'arch-missing' },
  { match: 'example.com/arm-only', status: 'available', platforms: ['linux/arm64/v8'] },
];

let reg: SimRegistry;
beforeAll(async () => { reg = await startRegistry({ scenario: scenario(OVERRIDES), arch: 'amd64' }); });
afterAll(async () => { await reg?.close(); });
const check = (ref: string, arch: NodeArch = 'amd64') => checkImage(ref, { arch, mirror: reg.url, timeoutMs: 5000 });
const pick = <O extends ImageCheck['outcome']>(r: ImageCheck, o: O) => { expect(r.outcome, r.message).toBe(o); return r as Extract<ImageCheck, { outcome: O }>; };

describe('the sim registry answers the engine client', () => {
  it('denied at the token endpoint (ghcr.io, removed llm-d-inference-scheduler)', async () => {
    const r = pick(await check('ghcr.io/llm-d/llm-d-inference-scheduler:v0.7.1'), 'denied');
    expect(r).toMatchObject({ reason: 'token-refused', httpStatus: 403, registry: 'ghcr.io', endpoint: reg.url, registryError: { code: 'DENIED', message: 'requested access to the resource is denied' } });
  });

  it('denied at the manifest with a token (Docker Hub private-or-missing)', async () => {
    const r = pick(await check('someone/private:1'), 'denied');
    expect(r).toMatchObject({ reason: 'unauthorized', httpStatus: 401, registryError: { code: 'UNAUTHORIZED' } });
  });

  it('not-found, rate-limited', async () => {
    expect(pick(await check('ghcr.io/llm-d/llm-d-cpu:v9.9.9'), 'not-found').registryError).toEqual({ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' });
    const limited = pick(await check('busybox:1.37'), 'rate-limited');
    // The 429 came on the HEAD, which has no body; the client does not spend a GET to read the code.
    expect(limited).toMatchObject({ retryAfterSeconds: 60, httpStatus: 429 });
  });

  it('arch-missing from an OCI index (GAIE epp, amd64 only) on arm64 — the attestation entry is not a platform', async () => {
    const r = pick(await check('registry.k8s.io/gateway-api-inference-extension/epp:v1.2.0', 'arm64'), 'arch-missing');
    expect(r.platforms).toEqual(['linux/amd64']);
    expect(r.mediaType).toBe('application/vnd.oci.image.index.v1+json');
  });

  it('arch-missing from a single manifest, read from its config blob (petecheslock arm64 builds on amd64)', async () => {
    expect(pick(await check('quay.io/petecheslock/llm-d-cpu:v0.4.0-arm64'), 'arch-missing').platforms).toEqual(['linux/arm64']);
    expect(pick(await check('quay.io/petecheslock/llm-d-cpu:v0.4.0-arm64', 'arm64'), 'available').platforms).toEqual(['linux/arm64']);
  });

  it('available: multi-arch docker list, single amd64 manifest, an image the catalogue does not know', async () => {
    const list = pick(await check('vllm/vllm-openai-cpu:v0.30.0', 'arm64'), 'available');
    expect(list).toMatchObject({ platforms: ['linux/amd64', 'linux/arm64'], mediaType: 'application/vnd.docker.distribution.manifest.list.v2+json' });
    expect(pick(await check('public.ecr.aws/q9t5s3a7/vllm-cpu-release-repo:v0.9.3'), 'available').platforms).toEqual(['linux/amd64']);
    const unknown = pick(await check('nginx'), 'available');
    expect(unknown).toMatchObject({ platforms: ['linux/amd64', 'linux/arm64'], mediaType: 'application/vnd.oci.image.index.v1+json' });
  });

  it('scenario entries beat the catalogue: one scheduler tag made available, the others still denied — at the manifest now', async () => {
    const other = await startRegistry({ scenario: scenario([{ match: 'llm-d-inference-scheduler:v0.4.0', status: 'available' }]), arch: 'amd64' });
    try {
      const at = (ref: string) => checkImage(ref, { arch: 'amd64', mirror: other.url });
      pick(await at('ghcr.io/llm-d/llm-d-inference-scheduler:v0.4.0'), 'available');
      // The token request names no tag, so with one tag pullable the repository's token cannot be refused.
      expect(pick(await at('ghcr.io/llm-d/llm-d-inference-scheduler:v0.7.1'), 'denied')).toMatchObject({ reason: 'forbidden', httpStatus: 403 });
    } finally { await other.close(); }
  });

  it('scenario arch-missing without platforms lacks the node arch; with platforms (variant included) they are served', async () => {
    expect(pick(await check('quay.io/x/no-arm:1'), 'arch-missing').platforms).toEqual(['linux/arm64']);
    expect(pick(await check('example.com/arm-only:1', 'arm64'), 'available').platforms).toEqual(['linux/arm64/v8']);
  });

  it('speaks the v2 API: /v2/ challenge for the ns host, sha256 digests of the bodies, blobs by digest', async () => {
    const ping = await fetch(`${reg.url}/v2/?ns=ghcr.io`);
    expect(ping.status).toBe(401);
    expect(ping.headers.get('www-authenticate')).toBe(`Bearer realm="${reg.url}/token",service="ghcr.io"`);
    const tok = await (await fetch(`${reg.url}/token?service=ghcr.io&scope=repository:llm-d/llm-d-cpu:pull`)).json() as { token: string; access_token: string; expires_in: number };
    expect(tok.access_token).toBe(tok.token);
    const auth = { authorization: `Bearer ${tok.token}` };
    const m = await fetch(`${reg.url}/v2/llm-d/llm-d-cpu/manifests/v0.9.0?ns=ghcr.io`, { headers: auth });
    const body = Buffer.from(await m.arrayBuffer());
    expect(m.headers.get('docker-content-digest')).toBe(`sha256:${createHash('sha256').update(body).digest('hex')}`);
    const index = JSON.parse(body.toString()) as { manifests: Array<{ digest: string; platform: { os: string; architecture: string } }> };
    expect(index.manifests.map((e) => `${e.platform.os}/${e.platform.architecture}`)).toEqual(['linux/amd64', 'unknown/unknown']);
    const child = await fetch(`${reg.url}/v2/llm-d/llm-d-cpu/manifests/${index.manifests[0]?.digest ?? ''}?ns=ghcr.io`, { headers: auth });
    const childBody = JSON.parse(await child.text()) as { config: { digest: string } };
    const config = await fetch(`${reg.url}/v2/llm-d/llm-d-cpu/blobs/${childBody.config.digest}?ns=ghcr.io`, { headers: auth });
    expect(await config.json()).toMatchObject({ architecture: 'amd64', os: 'linux' });
    expect((await fetch(`${reg.url}/v2/llm-d/llm-d-cpu/blobs/sha256:${'0'.repeat(64)}?ns=ghcr.io`, { headers: auth })).status).toBe(404);
    // a token for one repository does not open another
    expect((await fetch(`${reg.url}/v2/llm-d/other/manifests/v1?ns=ghcr.io`, { headers: auth })).status).toBe(401);
  });
});

describe('the catalogue', () => {
  const facts = (ref: string, arch: NodeArch = 'amd64') => imageFacts(ref, { scenario: scenario(), arch });
  it.each([
    ['ghcr.io/llm-d/llm-d-inference-scheduler:v0.4.0', 'denied', []],
    ['ghcr.io/llm-d/llm-d-inference-scheduler:v0.3.2', 'denied', []],
    ['quay.io/petecheslock/llm-d-routing-sidecar:v0.4.0-rc.1-arm64', 'available', ['linux/arm64']],
    ['quay.io/petecheslock/gateway-api-inference-extension-epp:v1.2.0-rc.1-arm64', 'available', ['linux/arm64']],
    ['registry.k8s.io/gateway-api-inference-extension/epp:v1.2.0-rc.1', 'available', ['linux/amd64']],
    ['public.ecr.aws/q9t5s3a7/vllm-cpu-release-repo:v0.9.3', 'available', ['linux/amd64']],
    ['public.ecr.aws/q9t5s3a7/vllm-arm64-cpu-release-repo:v0.26.0', 'available', ['linux/arm64']],
    ['docker.io/vllm/vllm-openai-cpu:v0.26.0', 'available', ['linux/amd64', 'linux/arm64']],
    ['vllm/vllm-openai-cpu:v0.28.0-x86_64', 'available', ['linux/amd64']],
    ['vllm/vllm-openai-cpu:v0.31.0-arm64', 'available', ['linux/arm64']],
    ['ghcr.io/llm-d/llm-d-router-endpoint-picker:v0.10.0', 'available', ['linux/amd64', 'linux/arm64']],
    ['ghcr.io/llm-d/llm-d-cpu:v0.9.0', 'available', ['linux/amd64']],
    ['docker.io/istio/proxyv2:1.28.1', 'available', ['linux/amd64', 'linux/arm64']],
  ])('%s → %s %j', (ref, status, platforms) => {
    expect(facts(ref)).toMatchObject({ status, platforms });
  });

  it('every entry names its evidence', () => {
    for (const e of CATALOG) expect(e.source.length, e.pattern).toBeGreaterThan(20);
  });

  it('the token is refused for a repository only when every tag is denied', () => {
    const ctx = { scenario: scenario(), arch: 'amd64' as const };
    expect(tokenRefused('ghcr.io', 'llm-d/llm-d-inference-scheduler', ctx)).toBe(true);
    expect(tokenRefused('ghcr.io', 'llm-d/llm-d-cpu', ctx)).toBe(false);
    expect(tokenRefused('ghcr.io', 'llm-d/llm-d-inference-scheduler', { ...ctx, scenario: scenario([{ match: 'scheduler:v0.4.0', status: 'available' }]) })).toBe(false);
    expect(tokenRefused('ghcr.io', 'llm-d/llm-d-inference-scheduler', { ...ctx, scenario: scenario([{ match: 'other:v1', status: 'available' }]) })).toBe(true);
    expect(tokenRefused('ghcr.io', 'a/b', { ...ctx, scenario: scenario([{ match: 'ghcr.io/a/b', status: 'denied' }]) })).toBe(true);
    expect(tokenRefused('docker.io', 'a/b', { ...ctx, scenario: scenario([{ match: 'docker.io/a/b', status: 'denied' }]) })).toBe(false);
  });
});

describe('the node pull decision', () => {
  const ctx = (arch: NodeArch, images: unknown[] = []) => ({ scenario: scenario(images), arch });
  it('words each failure as containerd does', () => {
    const denied = pullFailure('ghcr.io/llm-d/llm-d-inference-scheduler:v0.4.0', ctx('amd64'));
    expect(denied && criMessage(denied)).toBe('rpc error: code = Unknown desc = failed to pull and unpack image "ghcr.io/llm-d/llm-d-inference-scheduler:v0.4.0": failed to resolve reference "ghcr.io/llm-d/llm-d-inference-scheduler:v0.4.0": failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://ghcr.io/token?scope=repository%3Allm-d%2Fllm-d-inference-scheduler%3Apull&service=ghcr.io: 403 Forbidden');
    expect(pullFailure('quay.io/petecheslock/llm-d-cpu:v0.4.0-arm64', ctx('amd64'))).toEqual({ reason: 'arch-missing', code: 'NotFound', detail: 'failed to pull and unpack image "quay.io/petecheslock/llm-d-cpu:v0.4.0-arm64": no match for platform in manifest: not found' });
    expect(pullFailure('quay.io/petecheslock/llm-d-cpu:v0.4.0-arm64', ctx('arm64'))).toBeUndefined();
    expect(pullFailure('nginx:1.29', ctx('amd64', [{ match: 'nginx', status: 'not-found' }]))?.detail).toBe('failed to pull and unpack image "docker.io/library/nginx:1.29": failed to resolve reference "docker.io/library/nginx:1.29": docker.io/library/nginx:1.29: not found');
    expect(pullFailure('someone/private', ctx('amd64', [{ match: 'someone/private', status: 'denied' }]))?.detail).toContain('pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed');
    // Docker Hub resolves the tag and refuses the manifest's GET by digest, with its message.
    expect(pullFailure('busybox', ctx('amd64', [{ match: 'busybox', status: 'rate-limited' }]))?.detail).toMatch(/^failed to pull and unpack image "docker\.io\/library\/busybox:latest": failed to copy: httpReadSeeker: failed open: unexpected status code https:\/\/registry-1\.docker\.io\/v2\/library\/busybox\/manifests\/sha256:[0-9a-f]{64}: 429 Too Many Requests - Server message: toomanyrequests: You have reached your pull rate limit\./);
    expect(pullFailure('ghcr.io/x/y:v1', ctx('amd64', [{ match: 'ghcr.io/x/y', status: 'rate-limited' }]))?.detail).toContain('unexpected status from HEAD request to https://ghcr.io/v2/x/y/manifests/v1: 429 Too Many Requests');
    expect(pullFailure('docker.io/istio/pilot:1.28.1', ctx('arm64'))).toBeUndefined();
  });

  it('a scenario fault fails an image the registry serves, worded for its reason', () => {
    const c = ctx('amd64');
    const vllm = 'docker.io/vllm/vllm-openai-cpu:v0.26.0';
    const epp = 'ghcr.io/llm-d/llm-d-router-endpoint-picker:v0.10.0';
    expect(pullFailure(vllm, c)).toBeUndefined();
    expect(criMessage(faultFailure(vllm, 'denied', c))).toBe(`rpc error: code = Unknown desc = failed to pull and unpack image "${vllm}": failed to resolve reference "${vllm}": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`);
    expect(faultFailure(epp, 'denied', c).detail).toBe(`failed to pull and unpack image "${epp}": failed to resolve reference "${epp}": unexpected status from HEAD request to https://ghcr.io/v2/llm-d/llm-d-router-endpoint-picker/manifests/v0.10.0: 403 Forbidden`);
    expect(faultFailure(epp, 'network', c)).toEqual({ reason: 'network', code: 'Unknown', detail: `failed to pull and unpack image "${epp}": failed to resolve reference "${epp}": failed to do request: Head "https://ghcr.io/v2/llm-d/llm-d-router-endpoint-picker/manifests/v0.10.0": dial tcp: lookup ghcr.io on 192.168.49.1:53: no such host` });
    expect(faultFailure(vllm, 'rate-limited', c).detail).toContain('429 Too Many Requests - Server message: toomanyrequests: You have reached your pull rate limit.');
    expect(faultFailure(vllm, 'wrong-arch', c)).toEqual({ reason: 'arch-missing', code: 'NotFound', detail: `failed to pull and unpack image "${vllm}": no match for platform in manifest: not found` });
    expect(faultFailure(epp, 'not-found', c)).toMatchObject({ reason: 'not-found', code: 'NotFound', detail: expect.stringMatching(/: ghcr\.io\/llm-d\/llm-d-router-endpoint-picker:v0\.10\.0: not found$/) });
  });

  it('the node architecture: LLMD_SIM_ARCH, else the host', () => {
    expect(simNodeArch({ LLMD_SIM_ARCH: 'arm64' }, 'x64')).toBe('arm64');
    expect(simNodeArch({}, 'arm64')).toBe('arm64');
    expect(simNodeArch({}, 'x64')).toBe('amd64');
    expect(() => simNodeArch({ LLMD_SIM_ARCH: 'x86_64' })).toThrow(/amd64 or arm64/);
  });

  it('the node pulls for the architecture its kubelet reports (status.nodeInfo), not a label a person overwrote', () => {
    const node = (label: string | undefined, reported: string | undefined) => ({
      metadata: { labels: label ? { 'kubernetes.io/arch': label } : ({} as Record<string, string>) },
      status: reported ? { nodeInfo: { architecture: reported, operatingSystem: 'linux' } } : {},
    });
    expect(archOfNode(node('arm64', 'amd64'), {})).toBe('amd64');
    expect(archOfNode(node('amd64', 'arm64'), {})).toBe('arm64');
    expect(archOfNode(node('arm64', undefined), {})).toBe('arm64');
    expect(archOfNode(node(undefined, undefined), { LLMD_SIM_ARCH: 'arm64' })).toBe('arm64');
  });
});

describe('sim/registry/main.ts', () => {
  it('prints its URL as one JSON line, serves the scenario, and exits on SIGTERM', async () => {
    const child = execa(process.execPath, ['--import', 'tsx', join(HERE, 'main.ts')], { cwd: join(HERE, '..', '..'), env: { LLMD_SIM_ARCH: 'arm64' }, reject: false });
    const line = await new Promise<string>((resolve, reject) => {
      let buf = '';
      child.stdout?.on('data', (d: Buffer) => { buf += d.toString(); if (buf.includes('\n')) resolve(buf.split('\n')[0] as string); });
      void child.then((r) => reject(new Error(`exited early: ${r.stderr}`)));
    });
    const { url, pid } = JSON.parse(line) as { url: string; pid: number };
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(pid).toBe(child.pid);
    const r = await checkImage('ghcr.io/llm-d/llm-d-cpu:v0.9.0', { arch: 'arm64', mirror: url });
    expect(r.outcome).toBe('arch-missing');
    child.kill('SIGTERM');
    expect((await child).exitCode).toBe(0);
  }, 20_000);
});
