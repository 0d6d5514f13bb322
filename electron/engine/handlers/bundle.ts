// bundle.* (shared/api/bundle.ts): writing the support bundle.
import type { bundleMethods } from '../../../shared/api/bundle.js';
import type { Handlers } from '../dispatch.js';
import type { EngineContext } from '../context.js';
import type { Services } from '../services.js';

export function createBundleHandlers(ctx: Pick<EngineContext, 'settings'>, { diagnostics }: Pick<Services, 'diagnostics'>): Pick<Handlers, keyof typeof bundleMethods> {
  return {
    'bundle.create': (req) => diagnostics.supportBundle(req.outFile, ctx.settings.effective(req.settings ?? {})),
  };
}
