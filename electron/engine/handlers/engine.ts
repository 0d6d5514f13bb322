// The install's own methods (shared/api/engine.ts, settings.* aside): prerequisites, the plan (describe,
// status, run, resume, teardown), the journal and step logs. Long operations run as tasks in the one
// TaskRegistry, so task.cancel stops them (and with them every process they started). Whatever changes
// the machine first checks that settings.json is readable (issue #14).
import type { engineMethods } from '../../../shared/api/engine.js';
import type { settingsMethods } from '../../../shared/api/settings.js';
import type { EngineContext } from '../context.js';
import type { Handlers } from '../dispatch.js';
import { startPrereqInstall } from '../prereq-installs.js';
import { readStepLogPage } from '../step-log-file.js';
import type { Services } from '../services.js';
import { background } from './background.js';

/** The run's start options from a request: taking over a stale lock, and the client's task id. */
const startOptions = (req: { takeOver?: boolean | undefined; taskId?: string | undefined }) => ({ ...(req.takeOver ? { takeOver: true } : {}), taskId: req.taskId });

export type EngineMethod = Exclude<keyof typeof engineMethods, keyof typeof settingsMethods>;

export function createEngineHandlers(ctx: EngineContext, { plans, runs }: Pick<Services, 'plans' | 'runs'>): Pick<Handlers, EngineMethod> {
  return {
    'prereqs.check': (req) => plans.prereqCheck(ctx.settings.effective(req.settings ?? {})),
    'prereqs.install': (req) => {
      ctx.settings.requireReadable('install prerequisites');
      const { taskId, result } = startPrereqInstall(ctx, plans, req.tool, ctx.settings.effective(), req.taskId);
      background(result);
      return { taskId };
    },
    'plan.describe': (req) => plans.describe(ctx.settings.effective(req.settings ?? {})),
    'plan.status': (req) => plans.status(ctx.settings.effective(req.settings ?? {})),
    'plan.run': async (req) => {
      ctx.settings.requireReadable('run the install');
      const { taskId, runId, result } = await runs.startUp('fresh', req.settings ?? {}, startOptions(req));
      background(result);
      return { taskId, runId };
    },
    'plan.resume': async (req) => {
      ctx.settings.requireReadable('resume the install');
      const { taskId, runId, result } = await runs.startUp('resume', {}, startOptions(req));
      background(result);
      return { taskId, runId };
    },
    'plan.teardown': async (req) => {
      ctx.settings.requireReadable('tear down');
      const teardown = { stopCluster: req.stopCluster, deleteCluster: req.deleteCluster, stopMachine: req.stopMachine };
      const { taskId, runId, result } = await runs.startTeardown(teardown, req.settings ?? {}, startOptions(req));
      background(result);
      return { taskId, runId };
    },
    'journal.get': () => runs.journalView(),
    'step.logs': (req) => runs.replayLogs(req.stepId),
    'step.logFile': async (req) => {
      // The seq first: lines flushed after it arrive as later batches, so the renderer can follow on.
      const { seq } = ctx.logs.replay(req.stepId);
      const { journal } = await runs.journalView();
      return { stepId: req.stepId, seq, ...readStepLogPage(journal, req.stepId, ctx.paths.logsDir, req.offset, req.maxBytes) };
    },
  };
}
