// images.* (shared/api/images.ts): whether every image of the plan can be pulled for this node.
import type { imagesMethods } from '../../../shared/api/images.js';
import type { EngineContext } from '../context.js';
import type { Handlers } from '../dispatch.js';
import type { Services } from '../services.js';

export function createImagesHandlers(ctx: Pick<EngineContext, 'settings'>, { plans }: Pick<Services, 'plans'>): Pick<Handlers, keyof typeof imagesMethods> {
  return {
    'images.check': (req) => plans.checkImages(ctx.settings.effective(req.settings ?? {})),
  };
}
