// What the preflight image check found out about one image reference, before anything is installed: can
// the node pull it anonymously for its architecture, and if not, why — in terms the UI can show and act on.
// The engine's registry client (electron/engine/registry) produces it; the simulated registry (sim/registry)
// is built to provoke every outcome.
import { z } from 'zod';

export const NodeArch = z.enum(['amd64', 'arm64']);
export type NodeArch = z.infer<typeof NodeArch>;

/** The first entry of a registry's `{"errors":[{"code","message"}]}` body. */
export const RegistryError = z.object({ code: z.string(), message: z.string() });
export type RegistryError = z.infer<typeof RegistryError>;

/** `os/architecture[/variant]`, as manifest lists and `docker buildx --platform` spell it. */
export const Platform = z.string().regex(/^[a-z0-9_-]+\/[a-z0-9_-]+(?:\/[a-z0-9_-]+)?$/, 'expected os/arch[/variant], e.g. linux/arm64');

const common = {
  /** The reference as it was given. */
  ref: z.string(),
  /** docker-normalised: `nginx` → `docker.io/library/nginx:latest`; the input when it could not be parsed. */
  normalized: z.string(),
  /** Registry host from the reference (`docker.io`, `ghcr.io`); empty when the reference could not be parsed. */
  registry: z.string(),
  /** Base URL actually asked: `https://registry-1.docker.io`, or the mirror. */
  endpoint: z.string(),
  /** Status of the registry answer the outcome rests on, when there was one. */
  httpStatus: z.number().int().optional(),
  registryError: RegistryError.optional(),
  /** One or two plain sentences for a person. */
  message: z.string(),
};

export const ImageCheck = z.discriminatedUnion('outcome', [
  z.object({
    outcome: z.literal('available'), ...common,
    digest: z.string(),
    mediaType: z.string().optional(),
    /** The manifest list's platforms (attestations left out), or the single manifest's config platform; absent when that config could not be read. */
    platforms: z.array(z.string()).optional(),
  }),
  z.object({ outcome: z.literal('not-found'), ...common }),
  z.object({
    outcome: z.literal('denied'), ...common,
    /**
     * token-refused: the anonymous token endpoint said no (ghcr.io: removed or private package);
     * unauthorized: the manifest was refused even with a token (Docker Hub, Quay: private or nonexistent, not told apart);
     * forbidden: the manifest answered 403; credentials-required: only Basic (username/password) auth is offered.
     */
    reason: z.enum(['token-refused', 'unauthorized', 'forbidden', 'credentials-required']),
  }),
  z.object({ outcome: z.literal('arch-missing'), ...common, arch: NodeArch, digest: z.string().optional(), mediaType: z.string().optional(), platforms: z.array(z.string()) }),
  z.object({ outcome: z.literal('rate-limited'), ...common, retryAfterSeconds: z.number().nonnegative().optional() }),
  z.object({
    outcome: z.literal('unreachable'), ...common,
    /** http: the registry answered with an unexpected status (5xx…); protocol: the answer was not what a registry sends. */
    cause: z.enum(['dns', 'refused', 'reset', 'timeout', 'tls', 'proxy', 'network', 'http', 'protocol', 'other']),
  }),
  z.object({ outcome: z.literal('invalid-reference'), ...common }),
]);
export type ImageCheck = z.infer<typeof ImageCheck>;
export type ImageCheckOutcome = ImageCheck['outcome'];
