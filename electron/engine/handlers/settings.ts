// settings.* (shared/api/settings.ts): the saved settings (with whether an HF token is stored, never the
// token), validation of a draft against the schema, the release list and this host, and saving.
import { Settings, schemaIssues, type settingsMethods, type SettingsView } from '../../../shared/api/settings.js';
import { factsFromLimits, resolveSetup, settingsFit } from '../../../shared/fit.js';
import { runtimesOnPath } from '../prereqs/detect.js';
import type { EngineContext } from '../context.js';
import type { Handlers } from '../dispatch.js';
import { findResourcesDir } from '../resources.js';
import { HF_TOKEN } from '../secrets/secret-store.js';
import { invalidSettings } from '../settings/errors.js';
import { releaseIssue, releaseRequests } from '../stack/releases.js';
import { inRehearsal } from '../steps/rehearsal.js';

type SettingsContext = Pick<EngineContext, 'settings' | 'secrets' | 'env' | 'toolEnv' | 'platform' | 'rehearsal'>;

async function settingsView(ctx: SettingsContext): Promise<SettingsView> {
  const loaded = ctx.settings.load();
  return {
    settings: loaded.settings,
    hfTokenSet: (await ctx.secrets.get(HF_TOKEN)) !== undefined,
    secrets: ctx.secrets.describe(),
    ...(loaded.warning ? { warning: loaded.warning } : {}),
  };
}

export function createSettingsHandlers(ctx: SettingsContext): Pick<Handlers, keyof typeof settingsMethods> {
  return {
    'settings.get': () => settingsView(ctx),
    'settings.validate': ({ settings, host }) => {
      const parsed = Settings.safeParse(settings ?? {});
      if (!parsed.success) return { valid: false, issues: schemaIssues(parsed.error) };
      const resourcesDir = findResourcesDir(ctx.env);
      const release = releaseIssue(parsed.data.release, resourcesDir);
      // The same fit as the plan's: `driver: auto` resolved on the runtimes the plan's PATH finds.
      const runtimes = runtimesOnPath(ctx.toolEnv().PATH);
      // In a rehearsal a host too small is a warning, as in Configure, the host check and `cli check`.
      const fit = host ? settingsFit(parsed.data, resolveSetup(parsed.data, ctx.platform, runtimes), factsFromLimits(host), release ? null : releaseRequests(parsed.data.release, resourcesDir), { rehearsal: inRehearsal(ctx.rehearsal, ctx.toolEnv()) }) : undefined;
      const issues = [...(release ? [release] : []), ...(fit?.issues ?? [])];
      return { valid: issues.length === 0, issues, ...(fit?.warnings.length ? { warnings: fit.warnings } : {}), settings: parsed.data };
    },
    // The request schema validated the fields (shared/api/settings.ts); whether the release exists is ours to check.
    'settings.save': async ({ settings, hfToken }) => {
      const release = releaseIssue(settings.release, findResourcesDir(ctx.env));
      if (release) throw invalidSettings([release]);
      ctx.settings.save(settings);
      if (typeof hfToken === 'string') {
        await ctx.secrets.set(HF_TOKEN, hfToken);
      } else if (hfToken === null) {
        await ctx.secrets.delete(HF_TOKEN);
      }
      return settingsView(ctx);
    },
  };
}
