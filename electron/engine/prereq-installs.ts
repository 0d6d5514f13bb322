// Installing prerequisite tools as a task (Prerequisites page "Install", prereqs.install): progress as
// prereqs.progress events, the log under the "prerequisites" step, the outcome as task.progress.
import type { PrereqReport, ToolName } from '../../shared/api/engine.js';
import type { Settings } from '../../shared/api/settings.js';
import type { EngineContext } from './context.js';
import type { PlanService } from './plan-service.js';

type InstallContext = Pick<EngineContext, 'tasks' | 'events' | 'logs' | 'redactor'>;
type Phase = 'download' | 'verify' | 'extract' | 'install' | 'done' | 'admin' | 'failed';

/** Installs one tool, or every missing one; returns the task id and the outcome. */
export function startPrereqInstall(ctx: InstallContext, plans: PlanService, tool: ToolName | undefined, settings: Settings, clientTaskId?: string): { taskId: string; result: Promise<PrereqReport> } {
  const service = plans.prereqsFor(plans.planFor(settings).plan);
  const { taskId, signal } = ctx.tasks.start('prereqs', { id: clientTaskId });
  const cb = {
    signal,
    log: (l: string) => ctx.logs.write('prerequisites', l),
    onProgress: (t: ToolName, phase: Phase, d: { bytes?: number; totalBytes?: number; message?: string }) =>
      ctx.events.emit('prereqs.progress', { taskId, tool: t, phase, ...d, ...(d.message ? { message: ctx.redactor.redact(d.message) } : {}) }),
  };
  const result = (async () => {
    // The lifecycle every task has: a `running` event first (a window that did not start it learns of it), then one final state.
    ctx.events.emit('task.progress', { taskId, kind: 'prereqs', state: 'running', fraction: 0 });
    try {
      const report = tool ? (await service.install(tool, cb), await service.check(signal)) : await service.installMissing(cb);
      ctx.events.emit('task.progress', { taskId, kind: 'prereqs', state: 'succeeded', fraction: 1 });
      return report;
    } catch (e) {
      const cancelled = signal.aborted;
      ctx.events.emit('task.progress', { taskId, kind: 'prereqs', state: cancelled ? 'cancelled' : 'failed', message: ctx.redactor.redact(e instanceof Error ? e.message : String(e)) });
      throw e;
    } finally {
      ctx.logs.flush('prerequisites');
      ctx.tasks.done(taskId);
    }
  })();
  return { taskId, result };
}
