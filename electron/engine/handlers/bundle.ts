// bundle.* (shared/api/bundle.ts): writing the support bundle — where the caller says, where the person
// chooses in the desktop app's save dialog (`ask`), or in the engine's support folder.
import path from 'node:path';
import type { bundleMethods } from '../../../shared/api/bundle.js';
import { ApiException } from '../../../shared/result.js';
import { defaultBundleFile } from '../bundle/bundle.js';
import type { Handlers } from '../dispatch.js';
import type { EngineContext } from '../context.js';
import type { Services } from '../services.js';

export function createBundleHandlers(ctx: Pick<EngineContext, 'settings' | 'paths' | 'chooseSaveFile'>, { diagnostics }: Pick<Services, 'diagnostics'>): Pick<Handlers, keyof typeof bundleMethods> {
  return {
    'bundle.create': async (req) => {
      let outFile = req.outFile;
      if (req.ask && ctx.chooseSaveFile) {
        // Suggest the name the engine would pick, so a folder of bundles sorts by time.
        outFile = await ctx.chooseSaveFile(path.basename(defaultBundleFile(ctx.paths)));
        if (!outFile) throw new ApiException('CANCELLED', 'Saving the diagnostics was cancelled; nothing was written.');
      }
      return diagnostics.supportBundle(outFile, ctx.settings.effective(req.settings ?? {}));
    },
  };
}
