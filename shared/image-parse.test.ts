// Image reference parsing: docker's defaults, hosts with ports, tags, digests, and a property test that
// parsing agrees with normalizeImage (what the node and the engine already compare by).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ImageRefError, parseImageRef, registryApiHost } from './image-parse.js';
import { normalizeImage } from './image-ref.js';

const D = `sha256:${'0123456789abcdef'.repeat(4)}`;

describe('parseImageRef', () => {
  it.each([
    ['nginx', { registry: 'docker.io', repository: 'library/nginx', tag: 'latest', reference: 'latest', normalized: 'docker.io/library/nginx:latest' }],
    ['vllm/vllm-openai-cpu:v0.30.0', { registry: 'docker.io', repository: 'vllm/vllm-openai-cpu', tag: 'v0.30.0', normalized: 'docker.io/vllm/vllm-openai-cpu:v0.30.0' }],
    ['index.docker.io/library/busybox:1.37', { registry: 'docker.io', repository: 'library/busybox', normalized: 'docker.io/library/busybox:1.37' }],
    ['docker.io/nginx', { registry: 'docker.io', repository: 'library/nginx', normalized: 'docker.io/library/nginx:latest' }],
    ['localhost:5000/a/b', { registry: 'localhost:5000', repository: 'a/b', tag: 'latest' }],
    ['localhost/a', { registry: 'localhost', repository: 'a' }],
    ['127.0.0.1:5000/x:1', { registry: '127.0.0.1:5000', repository: 'x', tag: '1' }],
    ['ghcr.io/llm-d/llm-d-inference-scheduler:v0.4.0', { registry: 'ghcr.io', repository: 'llm-d/llm-d-inference-scheduler', tag: 'v0.4.0' }],
    [`quay.io/a/b@${D}`, { registry: 'quay.io', repository: 'a/b', digest: D, reference: D, normalized: `quay.io/a/b@${D}` }],
    [`quay.io/a/b:v1@${D}`, { tag: 'v1', digest: D, reference: D, normalized: `quay.io/a/b:v1@${D}` }],
    ['registry.k8s.io/gateway-api-inference-extension/epp:v1.2.0', { registry: 'registry.k8s.io', repository: 'gateway-api-inference-extension/epp' }],
  ])('%s', (ref, expected) => {
    expect(parseImageRef(ref)).toMatchObject(expected);
  });

  it.each(['', ' nginx', 'Nginx', 'a/B', 'a:', 'a@sha256:abc', `a@sha256:${'A'.repeat(64)}`, 'a//b', 'ghcr.io/', 'a:b:c', `x:${'t'.repeat(129)}`])('rejects %j', (ref) => {
    expect(() => parseImageRef(ref)).toThrow(ImageRefError);
  });

  it('docker.io is served from registry-1.docker.io', () => {
    expect(registryApiHost('docker.io')).toBe('registry-1.docker.io');
    expect(registryApiHost('ghcr.io')).toBe('ghcr.io');
  });

  it('property: normalized equals normalizeImage, and re-parsing it is a fixed point', () => {
    const comp = fc.stringMatching(/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/).filter((s) => s.length > 0 && s.length < 20);
    const host = fc.oneof(
      fc.constant(''),
      fc.constantFrom('ghcr.io/', 'quay.io/', 'registry.k8s.io/', 'public.ecr.aws/', 'localhost/', 'localhost:5000/', 'docker.io/', 'my-registry.example.com:8443/'),
    );
    const tag = fc.option(fc.stringMatching(/^[\w][\w.-]{0,20}$/), { nil: undefined });
    const digest = fc.option(fc.stringMatching(/^[a-f0-9]{64}$/).map((h) => `sha256:${h}`), { nil: undefined });
    const ref = fc.tuple(host, fc.array(comp, { minLength: 1, maxLength: 3 }), tag, digest)
      // A single component with a dot would read as a host; docker has the same rule.
      .filter(([h, path]) => h !== '' || !/[.:]/.test(path[0] ?? '') || path.length === 1)
      // normalizeImage leaves `docker.io/nginx` without `library/` (docker adds it); parseImageRef follows docker.
      .filter(([h, path]) => h !== 'docker.io/' || path.length > 1)
      .map(([h, path, t, d]) => `${h}${path.join('/')}${t ? `:${t}` : ''}${d ? `@${d}` : ''}`);
    fc.assert(fc.property(ref, (r) => {
      const p = parseImageRef(r);
      expect(p.normalized).toBe(normalizeImage(r));
      expect(parseImageRef(p.normalized)).toEqual({ ...p });
      expect(p.reference).toBe(p.digest ?? p.tag);
    }), { numRuns: 500 });
  });
});
