// app.* (shared/api/app.ts): what the UI needs before anything else, and where the app keeps its files.
import pkg from '../../../package.json' with { type: 'json' };
import type { appMethods } from '../../../shared/api/app.js';
import type { EngineContext } from '../context.js';
import type { Handlers } from '../dispatch.js';
import { inRehearsal } from '../steps/rehearsal.js';

export function createAppHandlers(ctx: Pick<EngineContext, 'transport' | 'rehearsal' | 'dataDir' | 'paths' | 'toolEnv'>): Pick<Handlers, keyof typeof appMethods> {
  return {
    'app.info': () => ({
      name: pkg.productName,
      version: pkg.version,
      transport: ctx.transport,
      // The banner and Configure's "a too-small host is only a warning" follow the rule the host check and
      // `cli check` use (the sim's minikube on the tool PATH counts, not only LLMD_REHEARSAL), so the app
      // never blocks what the engine would let through.
      rehearsal: inRehearsal(ctx.rehearsal, ctx.toolEnv()),
      dataDir: ctx.dataDir,
      platform: process.platform,
      arch: process.arch,
    }),
    'app.paths': () => {
      const p = ctx.paths;
      return { dataDir: p.dataDir, logsDir: p.logsDir, binDir: p.binDir, settingsFile: p.settingsFile, journalFile: p.journalFile };
    },
  };
}
