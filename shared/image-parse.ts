// Parses a container image reference into the parts a registry's HTTP API is addressed by, with the rules
// of docker's distribution/reference (the ones containerd and the kubelet apply): the first path component
// is a registry host only when it looks like one, docker.io's official images live under `library/`, and
// a reference without tag or digest means `:latest`. `normalized` is what normalizeImage (image-ref.ts)
// gives for the same reference, except that the legacy `index.docker.io` host is folded into docker.io.

export const DOCKER_HUB = 'docker.io';

export interface ImageRef {
  /** Registry host as written in references: `docker.io`, `ghcr.io`, `localhost:5000`. */
  registry: string;
  /** Repository path inside the registry: `library/nginx`, `llm-d/llm-d-cpu`. */
  repository: string;
  tag?: string;
  /** `sha256:<64 hex>` when the reference is pinned. */
  digest?: string;
  /** What the manifest endpoint is asked for: the digest when pinned (the tag is then only a label), else the tag. */
  reference: string;
  /** `registry/repository[:tag][@digest]`, with `:latest` filled in. */
  normalized: string;
}

export class ImageRefError extends Error {
  override readonly name = 'ImageRefError';
  constructor(readonly ref: string, reason: string) {
    super(`invalid image reference "${ref}": ${reason}`);
  }
}

// The grammar of distribution/reference (reference/regexp.go).
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN = /^(?:\[[0-9a-fA-F:]+\]|(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*)(?::[0-9]+)?$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;
const MAX_NAME = 255;

/** The host that serves a registry's v2 API: docker.io's lives on registry-1.docker.io. */
export function registryApiHost(registry: string): string {
  return registry === DOCKER_HUB ? 'registry-1.docker.io' : registry;
}

export function parseImageRef(ref: string): ImageRef {
  if (ref.trim() !== ref || ref === '') throw new ImageRefError(ref, 'empty or surrounded by spaces');
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw new ImageRefError(ref, `"${digest}" is not a digest`);
    if (digest.startsWith('sha256:') && !/^sha256:[a-f0-9]{64}$/.test(digest)) throw new ImageRefError(ref, 'a sha256 digest is 64 lowercase hex characters');
  }
  // docker's splitDockerDomain: a first component is a host when it has a dot, a port, is localhost, or has
  // upper case (which a repository path never may).
  const slash = rest.indexOf('/');
  const first = slash === -1 ? '' : rest.slice(0, slash);
  let registry = DOCKER_HUB;
  if (slash !== -1 && (/[.:]/.test(first) || first === 'localhost' || first.toLowerCase() !== first)) {
    registry = first;
    rest = rest.slice(slash + 1);
    if (!DOMAIN.test(registry)) throw new ImageRefError(ref, `"${registry}" is not a registry host`);
  }
  if (registry === 'index.docker.io') registry = DOCKER_HUB;
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon !== -1 && colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw new ImageRefError(ref, `"${tag}" is not a tag`);
  }
  let repository = rest;
  if (registry === DOCKER_HUB && !repository.includes('/')) repository = `library/${repository}`;
  const components = repository.split('/');
  if (repository === '' || components.some((c) => !PATH_COMPONENT.test(c))) {
    throw new ImageRefError(ref, repository.toLowerCase() !== repository ? 'repository names must be lowercase' : `"${repository}" is not a repository path`);
  }
  if (`${registry}/${repository}`.length > MAX_NAME) throw new ImageRefError(ref, `the name is longer than ${MAX_NAME} characters`);
  if (!tag && !digest) tag = 'latest';
  const normalized = `${registry}/${repository}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`;
  return { registry, repository, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}), reference: digest ?? (tag as string), normalized };
}
