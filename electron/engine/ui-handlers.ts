// Small engine methods the wizard pages need beyond the installer's own group: the live fit verdict of
// settings being edited (Configure) and where the app keeps its files (Manage → logs folder).
import { Settings, schemaIssues } from '../../shared/api/settings.js';
import { ApiException } from '../../shared/result.js';
import type { EngineContext } from './api.js';
import type { Handlers } from './dispatch.js';
import { resolveSetup, runtimesOf, settingsFit } from '../../shared/fit.js';
import { appPaths } from './paths.js';

export function createUiHandlers(ctx: Pick<EngineContext, 'host' | 'dataDir'>): Pick<Handlers, 'host.fit' | 'app.paths'> {
  return {
    'host.fit': async ({ settings }) => {
      const parsed = Settings.safeParse(settings ?? {});
      if (!parsed.success) {
        const issues = schemaIssues(parsed.error);
        throw new ApiException('BAD_REQUEST', `Invalid settings: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, undefined, issues);
      }
      const f = (await ctx.host.check()).facts;
      // `driver: auto` resolves the way the plan resolves it (detection and the plan share one PATH).
      const { needs, fit } = settingsFit(parsed.data, resolveSetup(parsed.data, f.os, runtimesOf(f)), f);
      return { needs, fit };
    },
    'app.paths': () => {
      const p = appPaths(ctx.dataDir);
      return { dataDir: p.dataDir, logsDir: p.logsDir, binDir: p.binDir, settingsFile: p.settingsFile, journalFile: p.journalFile };
    },
  };
}
