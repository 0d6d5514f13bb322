// The engine's handler group for api.ts: settings, prerequisites, plan (describe, status, run, resume,
// teardown), journal and step logs. Long operations run as tasks in the shared TaskRegistry, so the
// existing task.cancel handler stops them (and with them every process they started).
import type { Handlers } from './dispatch.js';
import type { EngineContext } from './api.js';
import { Installer } from './installer.js';
import { appPaths } from './paths.js';
import { FileSecretStore, type SecretStore } from './secrets/secret-store.js';

export type EngineMethod =
  | 'settings.get' | 'settings.validate' | 'settings.save'
  | 'prereqs.check' | 'prereqs.install'
  | 'plan.describe' | 'plan.status' | 'plan.run' | 'plan.resume' | 'plan.teardown'
  | 'journal.get' | 'step.logs' | 'images.check' | 'doctor.run' | 'doctor.fix' | 'bundle.create';

/** The desktop app passes its safeStorage store as `secrets`; other hosts get the 0600 file store. */
export function createInstallerFor(ctx: EngineContext & { secrets?: SecretStore }): Installer {
  const installer = new Installer({
    paths: appPaths(ctx.dataDir),
    env: ctx.env,
    emit: (topic, payload) => ctx.events.emit(topic, payload),
    host: ctx.host,
    secrets: ctx.secrets ?? new FileSecretStore(ctx.dataDir),
    tasks: ctx.tasks,
  });
  return installer;
}

export function createEngineHandlers(ctx: EngineContext & { secrets?: SecretStore }, installer: Installer = createInstallerFor(ctx)): Pick<Handlers, EngineMethod> {
  // A run's outcome arrives through events; its promise must never become an unhandled rejection.
  const background = <T>(p: Promise<T>) => { p.catch(() => {}); };
  return {
    'settings.get': () => installer.settingsView(),
    'settings.validate': (req) => installer.validate(req.settings, req.host),
    'settings.save': (req) => installer.save(req.settings, req.hfToken),
    'prereqs.check': () => installer.prereqCheck(),
    'prereqs.install': (req) => {
      const { taskId, result } = installer.startPrereqInstall(req.tool);
      background(result);
      return { taskId };
    },
    'plan.describe': (req) => installer.describe(req.settings === undefined ? undefined : installer.effectiveSettings(req.settings as Record<string, unknown>)),
    'plan.status': () => installer.status(),
    'plan.run': async () => {
      const { taskId, runId, result } = await installer.startUp('fresh');
      background(result);
      return { taskId, runId };
    },
    'plan.resume': async () => {
      const { taskId, runId, result } = await installer.startUp('resume');
      background(result);
      return { taskId, runId };
    },
    'plan.teardown': async (req) => {
      const { taskId, runId, result } = await installer.startTeardown(req);
      background(result);
      return { taskId, runId };
    },
    'journal.get': () => installer.journalView(),
    'images.check': (req) => installer.checkImages(req.settings === undefined ? undefined : installer.effectiveSettings(req.settings as Record<string, unknown>)),
    'step.logs': (req) => installer.replayLogs(req.stepId),
    'doctor.run': () => installer.doctor(),
    'bundle.create': (req) => installer.supportBundle(req.outFile),
    'doctor.fix': async (req) => {
      await installer.applyDoctorFix(req.fix);
      const { taskId, runId, result } = await installer.startUp('fresh');
      background(result);
      return { taskId, runId };
    },
  };
}
