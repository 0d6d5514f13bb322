// What the simulated world knows about real registries' images: which are gone or refused, and which
// platforms each is built for. The loopback registry (server.ts) answers from it and the simulated node's
// pulls (pull.ts) fail from it, so a test cannot be green on an image a real install cannot pull.
// Entries are globs over the normalised reference (`*` = any run of characters), first match wins, each
// with the evidence it rests on. Anything not listed is available for linux/amd64 and linux/arm64: the sim
// must not fail images it knows nothing about — the catalogue lists the known bad ones. A scenario's
// `registry.images` entries (substring matches) win over the catalogue.
import { parseImageRef } from '../../shared/image-parse.js';
import { normalizeImage } from '../../shared/image-ref.js';
import type { NodeArch } from '../../shared/registry.js';
import type { Scenario } from '../scenario.js';

/** How the registry serves the image: an OCI index (buildx, with an attestation entry), a docker manifest list (`docker manifest create`), or one manifest. */
export type ManifestKind = 'oci-index' | 'docker-list' | 'single';
export type CatalogStatus = 'available' | 'not-found' | 'denied';

export interface CatalogEntry {
  pattern: string;
  status: CatalogStatus;
  platforms: readonly string[];
  manifest: ManifestKind;
  source: string;
}

const AMD64 = ['linux/amd64'] as const;
const ARM64 = ['linux/arm64'] as const;
const BOTH = ['linux/amd64', 'linux/arm64'] as const;

export const CATALOG: readonly CatalogEntry[] = [
  {
    pattern: 'ghcr.io/llm-d/llm-d-inference-scheduler:*', status: 'denied', platforms: [], manifest: 'oci-index',
    source: 'ai-runway/airunway#402 (2026-09-01): "pull scope is denied and the package page/API return not found"; kserve/kserve#6215 (2026-09-15): `docker pull …:v0.7.1` → denied; vllm-project/semantic-router PR #3408 (2026-09-03) replaced the removed :v0.3.2 (llm-d-current-facts.md §12)',
  },
  {
    pattern: 'ghcr.io/llm-d/llm-d-router-endpoint-picker:v0.10.0', status: 'available', platforms: BOTH, manifest: 'oci-index',
    source: 'vllm-project/semantic-router PR #3408 e2e passed with v0.10.0 (2026-09-03); amd64+arm64 per llm-d-router\'s docker-build-and-push action (llm-d-current-facts.md §11, §12)',
  },
  {
    pattern: 'ghcr.io/llm-d/llm-d-router-endpoint-picker:v0.9.0', status: 'available', platforms: BOTH, manifest: 'oci-index',
    source: 'KServe v0.20.0 config references v0.9.0 (kserve#6215 comment) (llm-d-current-facts.md §12)',
  },
  {
    pattern: 'ghcr.io/llm-d/llm-d-cpu:*', status: 'available', platforms: AMD64, manifest: 'oci-index',
    source: 'llm-d ci-release.yaml job release-cpu-llm-d: `platforms: linux/amd64` (llm-d-current-facts.md §7)',
  },
  {
    pattern: 'quay.io/petecheslock/*:*-arm64', status: 'available', platforms: ARM64, manifest: 'single',
    source: 'local arm64 builds referenced only in petecheslock/llm-d feat/add-local-cpu-example (last commit 2026-01-09); pullability ⚠ unknown (llm-d-current-facts.md §12)',
  },
  {
    pattern: 'registry.k8s.io/gateway-api-inference-extension/epp:*', status: 'available', platforms: AMD64, manifest: 'oci-index',
    source: 'GAIE v1.5.0 Dockerfile `ENV GOARCH=amd64` (llm-d-current-facts.md §12)',
  },
  {
    pattern: 'public.ecr.aws/q9t5s3a7/vllm-cpu-release-repo:*', status: 'available', platforms: AMD64, manifest: 'single',
    source: 'vllm-project/vllm .buildkite/scripts/publish-release-images.sh CPU block: x86_64 staging repo (llm-d-current-facts.md §7)',
  },
  {
    pattern: 'public.ecr.aws/q9t5s3a7/vllm-arm64-cpu-release-repo:*', status: 'available', platforms: ARM64, manifest: 'single',
    source: 'vllm-project/vllm .buildkite/scripts/publish-release-images.sh CPU block: arm64 staging repo (llm-d-current-facts.md §7)',
  },
  {
    pattern: 'docker.io/vllm/vllm-openai-cpu:*-x86_64', status: 'available', platforms: AMD64, manifest: 'single',
    source: 'vLLM publish-release-images.sh: per-arch Docker Hub tags :v<ver>-x86_64, :latest-x86_64 (llm-d-current-facts.md §7)',
  },
  {
    pattern: 'docker.io/vllm/vllm-openai-cpu:*-arm64', status: 'available', platforms: ARM64, manifest: 'single',
    source: 'vLLM publish-release-images.sh: per-arch Docker Hub tags :v<ver>-arm64, :latest-arm64 (llm-d-current-facts.md §7)',
  },
  {
    pattern: 'docker.io/vllm/vllm-openai-cpu:v0.26.0', status: 'available', platforms: BOTH, manifest: 'docker-list',
    source: 'llm-d v0.9.0 guides/recipes/modelserver/components/images/cpu-vllm/release (PR #2260, 2026-08-12); vLLM publish-release-images.sh pushes the multi-arch :v<ver> from both arch builds; ⚠ the v0.26.0 arm64 entry itself was not checked (llm-d-current-facts.md §7, §11)',
  },
  {
    pattern: 'docker.io/envoyproxy/envoy:distroless-v1.33.2', status: 'available', platforms: BOTH, manifest: 'oci-index',
    source: 'llm-d-router v0.10.0 config/charts/llm-d-router-standalone/values.yaml presets.envoy.image; ⚠ multi-arch (linux/amd64, linux/arm64) assumed from Envoy\'s release images, not checked against the registry',
  },
  {
    pattern: 'docker.io/vllm/vllm-openai-cpu:*', status: 'available', platforms: BOTH, manifest: 'docker-list',
    source: 'vLLM publish-release-images.sh: multi-arch :v<ver> and :latest (both arches or nothing); v0.30.0 arm64 entry seen 2026-09-23 (llm-d-current-facts.md §7, §12)',
  },
];

export const UNKNOWN_IMAGE: Omit<CatalogEntry, 'pattern'> = {
  status: 'available', platforms: BOTH, manifest: 'oci-index', source: 'not in the catalogue: assumed pullable for both architectures',
};

/** Registries that hand out an anonymous token for any repository and refuse the manifest (401) instead. */
const REFUSE_AT_MANIFEST = new Set(['docker.io', 'quay.io']);
export const refusesAtManifest = (registry: string): boolean => REFUSE_AT_MANIFEST.has(registry);

export interface FactsContext {
  scenario: Pick<Scenario, 'registry'>;
  arch: NodeArch;
}

export interface ImageFacts {
  normalized: string;
  registry: string;
  repository: string;
  /** What the registry answers; an image lacking the node's architecture is `available` with platforms that do not include it. */
  status: CatalogStatus | 'rate-limited';
  platforms: string[];
  manifest: ManifestKind;
  source: string;
}

const globs = new Map<string, RegExp>();
const glob = (pattern: string): RegExp => {
  let re = globs.get(pattern);
  if (!re) {
    re = new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    globs.set(pattern, re);
  }
  return re;
};

/** Registry, repository and normalised form; references the parser refuses are kept as normalizeImage has them. */
export function refParts(ref: string): { normalized: string; registry: string; repository: string } {
  try {
    const p = parseImageRef(ref);
    return { normalized: p.normalized, registry: p.registry, repository: p.repository };
  } catch {
    const normalized = normalizeImage(ref);
    const slash = normalized.indexOf('/');
    return { normalized, registry: normalized.slice(0, slash), repository: normalized.slice(slash + 1).replace(/[:@].*$/, '') };
  }
}

export const catalogEntry = (normalized: string): Omit<CatalogEntry, 'pattern'> & { pattern?: string } =>
  CATALOG.find((e) => glob(e.pattern).test(normalized)) ?? UNKNOWN_IMAGE;

const runsOn = (platform: string, arch: NodeArch) => platform === `linux/${arch}` || platform.startsWith(`linux/${arch}/`);

export function imageFacts(ref: string, ctx: FactsContext): ImageFacts {
  const parts = refParts(ref);
  const entry = catalogEntry(parts.normalized);
  const override = ctx.scenario.registry.images.find((o) => parts.normalized.includes(o.match));
  if (!override) return { ...parts, status: entry.status, platforms: [...entry.platforms], manifest: entry.manifest, source: entry.source };
  const known = override.platforms ?? (entry.status === 'available' ? [...entry.platforms] : [...BOTH]);
  let platforms: string[] = [];
  if (override.status === 'available') platforms = known;
  else if (override.status === 'arch-missing') {
    platforms = known.filter((p) => !runsOn(p, ctx.arch));
    if (platforms.length === 0) platforms = [`linux/${ctx.arch === 'arm64' ? 'amd64' : 'arm64'}`];
  }
  const manifest = platforms.length > 1 && entry.manifest === 'single' ? 'oci-index' : entry.manifest;
  const status = override.status === 'arch-missing' ? 'available' : override.status;
  return { ...parts, status, platforms, manifest, source: `scenario registry.images match "${override.match}"` };
}

/** Whether the node can run what the registry serves for this image. */
export const hasArch = (facts: ImageFacts, arch: NodeArch): boolean => facts.platforms.some((p) => runsOn(p, arch));

/**
 * Whether the anonymous token endpoint refuses the whole repository (ghcr.io for a removed package), as
 * opposed to the manifest refusing some tags. The token request names no tag, so it is refused only when
 * every tag of the repository is denied: a scenario entry that could make some tag pullable leaves the
 * decision to the manifest.
 */
export function tokenRefused(registry: string, repository: string, ctx: FactsContext): boolean {
  if (refusesAtManifest(registry)) return false;
  const repo = `${registry}/${repository}`;
  for (const o of ctx.scenario.registry.images) {
    if (repo.includes(o.match)) return o.status === 'denied'; // first match for every tag from here on
    if (o.status !== 'denied' && couldMatchSomeTag(o.match, repo)) return false;
  }
  const first = CATALOG.find((e) => {
    const colon = e.pattern.lastIndexOf(':');
    return colon > e.pattern.lastIndexOf('/') && glob(e.pattern.slice(0, colon)).test(repo);
  });
  return !!first && first.status === 'denied' && first.pattern.endsWith(':*');
}

/** Whether `match` is a substring of `repo:<tag>` (or `repo@<digest>`) for some tag. */
function couldMatchSomeTag(match: string, repo: string): boolean {
  if (/^[\w.-]+$/.test(match) || match.includes('@')) return true;
  const colon = match.indexOf(':');
  return colon !== -1 && repo.endsWith(match.slice(0, colon)) && /^[\w.-]*$/.test(match.slice(colon + 1));
}
