// Installing prerequisite tools as a task (Prerequisites page "Install", prereqs.install): progress as
// prereqs.progress events, the log under the "prerequisites" step, the outcome as task.progress.
import type { PrereqReport, ToolName } from '../../shared/api/engine.js';
import type { Settings } from '../../shared/api/settings.js';
import type { EngineContext } from './context.js';
import type { PlanService } from './plan-service.js';
import { taskTitles } from './task-titles.js';

type InstallContext = Pick<EngineContext, 'tasks' | 'events' | 'logs' | 'redactor'>;
type Phase = 'download' | 'verify' | 'extract' | 'install' | 'done' | 'admin' | 'failed';

/** Installs one tool, or every missing one; returns the task id and the outcome. */
export function startPrereqInstall(ctx: InstallContext, plans: PlanService, tool: ToolName | undefined, settings: Settings, clientTaskId?: string): { taskId: string; result: Promise<PrereqReport> } {
  const service = plans.prereqsFor(plans.planFor(settings).plan);
  const task = ctx.tasks.start('prereqs', { id: clientTaskId, title: taskTitles.prereqs(tool) });
  const { taskId, signal } = task;
  // What this install put in place, for the task's result (a failure part-way keeps the ones before it).
  const installed: ToolName[] = [];
  const cb = {
    signal,
    log: (l: string) => ctx.logs.write('prerequisites', l),
    onProgress: (t: ToolName, phase: Phase, d: { bytes?: number; totalBytes?: number; message?: string }) =>
      ctx.events.emit('prereqs.progress', { taskId, tool: t, phase, ...d, ...(d.message ? { message: ctx.redactor.redact(d.message) } : {}) }),
    onInstalled: (t: ToolName) => installed.push(t),
  };
  const result = (async () => {
    // The registry sent the start event; progress is on prereqs.progress, the one final event here.
    try {
      const report = tool ? (await service.install(tool, cb), await service.check(signal)) : await service.installMissing(cb);
      task.finish('succeeded', { installed, ok: report.ok });
      return report;
    } catch (e) {
      task.finish(signal.aborted ? 'cancelled' : 'failed', { installed }, e instanceof Error ? e.message : String(e));
      throw e;
    } finally {
      ctx.logs.flush('prerequisites');
    }
  })();
  return { taskId, result };
}
