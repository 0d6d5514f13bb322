// stack.* (shared/api/stack.ts): the releases under resources/releases and, for this node, the images
// each would run — Configure's release choice and its Advanced image defaults.
import { summarizeRelease } from '../../../shared/release.js';
import type { stackMethods } from '../../../shared/api/stack.js';
import { DEFAULT_RELEASE_ID } from '../../../shared/stack.js';
import type { EngineContext } from '../context.js';
import type { Handlers } from '../dispatch.js';
import { nodeArchOf } from '../plan/build-plan.js';
import { findResourcesDir } from '../resources.js';
import { listReleases } from '../stack/releases.js';

export function createStackHandlers(ctx: Pick<EngineContext, 'host' | 'env'>): Pick<Handlers, keyof typeof stackMethods> {
  return {
    'stack.releases': async ({ gpu }) => {
      const { facts } = await ctx.host.check();
      const arch = nodeArchOf(facts.arch);
      const releases = listReleases(findResourcesDir(ctx.env)).map((r) => summarizeRelease(r, arch, gpu ? 'nvidia' : 'cpu', facts.cpuFeatures));
      return { arch, releases, defaultRelease: DEFAULT_RELEASE_ID };
    },
  };
}
