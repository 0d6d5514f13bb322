// Manifest formats a registry may answer with, and what each says about platforms. Only the fields the
// check reads are validated; everything else in a manifest is the registry's business.
import { z } from 'zod';

export const MEDIA = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestV1: 'application/vnd.docker.distribution.manifest.v1+prettyjws',
} as const;

/** Lists first, so a registry that negotiates hands over the list and the platforms can be read. */
export const ACCEPT = [MEDIA.ociIndex, MEDIA.dockerList, MEDIA.ociManifest, MEDIA.dockerManifest].join(', ');

const PlatformSpec = z.object({ os: z.string(), architecture: z.string(), variant: z.string().optional() });

export const IndexBody = z.object({
  mediaType: z.string().optional(),
  manifests: z.array(z.object({
    digest: z.string().optional(),
    platform: PlatformSpec.partial().optional(),
    annotations: z.record(z.string(), z.string()).optional(),
  })),
});

export const ManifestBody = z.object({
  mediaType: z.string().optional(),
  schemaVersion: z.number().optional(),
  config: z.object({ digest: z.string() }).optional(),
  // schema 1 manifests carry the architecture themselves.
  architecture: z.string().optional(),
});

export const ConfigBody = z.object({ architecture: z.string(), os: z.string(), variant: z.string().optional() });

export const RegistryErrors = z.object({ errors: z.array(z.object({ code: z.string(), message: z.string().default('') }).loose()).min(1) });

export const platformString = (p: { os?: string | undefined; architecture?: string | undefined; variant?: string | undefined }): string =>
  [p.os ?? 'unknown', p.architecture ?? 'unknown', ...(p.variant ? [p.variant] : [])].join('/');

/**
 * Platforms of an index, without the attestation manifests buildkit adds (`unknown/unknown`, annotated
 * `vnd.docker.reference.type: attestation-manifest`): they are not images a node can run.
 */
export function indexPlatforms(index: z.infer<typeof IndexBody>): string[] {
  const out: string[] = [];
  for (const m of index.manifests) {
    if (m.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest') continue;
    if (!m.platform || (m.platform.os ?? 'unknown') === 'unknown' || (m.platform.architecture ?? 'unknown') === 'unknown') continue;
    const s = platformString(m.platform);
    if (!out.includes(s)) out.push(s);
  }
  return out;
}

/** Whether a platform list holds one the node (always linux here) can run. */
export const runsOn = (platforms: readonly string[], arch: string): boolean =>
  platforms.some((p) => { const [os, a] = p.split('/'); return os === 'linux' && a === arch; });

export const mediaTypeOf = (res: Response, body: { mediaType?: string | undefined }): string =>
  body.mediaType ?? (res.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
