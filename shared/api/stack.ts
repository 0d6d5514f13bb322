// Stack releases (docs/architecture.md §4 "Stack releases"): which releases exist and, for this node (architecture,
// GPU), the images each would run — what Configure shows when choosing a release and overriding images.
import { z } from 'zod';
import { Arch, ReleaseSummary } from '../release.js';

export const ReleasesView = z.object({
  /** The node's architecture as images name it (amd64 / arm64). */
  arch: Arch,
  releases: z.array(ReleaseSummary),
  defaultRelease: z.string(),
});
export type ReleasesView = z.infer<typeof ReleasesView>;

export const stackMethods = {
  'stack.releases': {
    request: z.object({ gpu: z.boolean().optional() }).strict(),
    response: ReleasesView,
  },
} as const;

export const stackEvents = {} as const;
