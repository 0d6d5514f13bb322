// host.* (shared/api/host.ts): the machine's facts and fit verdict, and the live fit of settings being
// edited (Configure), whose `driver: auto` resolves the way the plan resolves it.
import type { hostMethods } from '../../../shared/api/host.js';
import type { EngineContext } from '../context.js';
import type { Handlers } from '../dispatch.js';
import { settingsFitOnHost } from '../../../shared/fit.js';
import { findResourcesDir } from '../resources.js';
import { releaseRequests } from '../stack/releases.js';

export function createHostHandlers(ctx: Pick<EngineContext, 'host' | 'env'>): Pick<Handlers, keyof typeof hostMethods> {
  return {
    'host.check': (req) => ctx.host.check({ refresh: req.refresh === true }),
    // The request schema validated the settings (shared/api/host.ts): invalid ones never get here.
    'host.fit': async ({ settings }) => {
      const f = (await ctx.host.check()).facts;
      // `driver: auto` resolves the way the plan resolves it (detection and the plan share one PATH).
      const { needs, fit } = settingsFitOnHost(settings, f, releaseRequests(settings.release, findResourcesDir(ctx.env)));
      return { needs, fit };
    },
  };
}
