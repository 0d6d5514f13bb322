// doctor.* (shared/api/doctor.ts): the doctor's report, and applying one of its settings fixes followed
// by a fresh run (which changes the machine, so unreadable settings stop it first). A fix that recreates the
// cluster needs the caller's `deleteCluster` and makes that run delete the profile before starting it.
import type { doctorMethods } from '../../../shared/api/doctor.js';
import type { EngineContext } from '../context.js';
import type { Handlers } from '../dispatch.js';
import type { Services } from '../services.js';
import { background } from './background.js';

export function createDoctorHandlers(ctx: Pick<EngineContext, 'settings'>, { runs, diagnostics }: Pick<Services, 'runs' | 'diagnostics'>): Pick<Handlers, keyof typeof doctorMethods> {
  return {
    'doctor.run': (req) => diagnostics.doctor(ctx.settings.effective(req.settings ?? {})),
    'doctor.fix': async (req) => {
      ctx.settings.requireReadable('apply a doctor fix');
      const overrides = req.settings ?? {};
      const { fix } = await diagnostics.applyDoctorFix(req.fix, ctx.settings.effective(overrides), { deleteCluster: req.deleteCluster === true });
      // A recreating fix's install deletes the cluster first (steps/minikube-start.ts); any other reuses it.
      const recreateCluster = fix.kind === 'settings' && fix.recreatesCluster === true;
      const { taskId, runId, result } = await runs.startUp('fresh', overrides, { taskId: req.taskId, recreateCluster });
      background(result);
      return { taskId, runId, fix };
    },
  };
}
