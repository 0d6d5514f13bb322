// Step "Check this computer" (DESIGN.md §4 step 1): the settings must fit what the host can give. Nothing
// to run — detect is the whole step: done when the host fits, blocked with concrete advice when it does not.
import { hostIssues, modelSpec } from '../../../shared/api/settings.js';
import type { FitNeeds } from '../../../shared/api/host.js';
import { assessFit } from '../host/fit.js';
import type { PlanContext, Step } from '../plan/step.js';
import { rehearsalReason } from './rehearsal.js';

export function fitNeedsFor(plan: PlanContext): FitNeeds {
  const s = plan.settings;
  return {
    driver: plan.driver,
    memoryMiB: s.memoryMiB,
    cpus: s.cpus,
    diskGB: s.diskGB,
    replicas: s.replicas,
    perReplicaMemoryGiB: modelSpec(s.model)?.memoryLimitGi ?? 6,
  };
}

export const hostCheck: Step = {
  id: 'host-check',
  title: 'Check this computer',
  needs: [],
  describe: (plan) => ({
    commands: [],
    notes: [
      `Checks that this computer can give minikube ${plan.settings.cpus} CPUs, ${plan.settings.memoryMiB} MiB and ${plan.settings.diskGB} GB of disk` +
        `${plan.usesPodmanMachine ? ' (plus the podman machine margin)' : ''} for ${plan.settings.replicas} × ${plan.settings.model}.`,
    ],
  }),
  async detect(ctx) {
    const report = await ctx.services.host();
    const f = report.facts;
    const issues = hostIssues(ctx.settings, {
      os: f.os, cpus: f.cpuCores, memoryBytes: f.memoryBytes, diskFreeBytes: f.diskFreeBytes, nvidiaGpu: f.gpu.nvidia,
    });
    ctx.log(`${f.osName} ${f.osVersion} (${f.archLabel}), ${f.cpuCores} CPUs, ${Math.round(f.memoryBytes / 2 ** 30)} GiB memory, ${Math.round(f.diskFreeBytes / 1e9)} GB free`);
    const rehearsal = rehearsalReason(ctx.env);
    if (issues.length > 0 && rehearsal) {
      ctx.log(`Warning (rehearsal, ${rehearsal}): ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')} — ignored, the cluster is simulated.`);
      return { state: 'done', detail: `rehearsal: this computer would not fit the settings; continuing with the simulated world` };
    }
    if (issues.length > 0) {
      return { state: 'blocked', reason: issues.map((i) => `${i.path}: ${i.message}`).join('; '), hint: 'Change the settings (Configure page, or --replicas / --model flags) to fit this computer.' };
    }
    const fit = assessFit(f, fitNeedsFor(ctx));
    for (const c of fit.checks) ctx.log(`${c.resource}: ${c.level} (need ${c.need}, have ${c.have})${c.advice ? ` — ${c.advice}` : ''}`);
    if (fit.level === 'does-not-fit' && rehearsal) {
      ctx.log(`Warning (rehearsal, ${rehearsal}): ${fit.summary} — ignored, the cluster is simulated.`);
      return { state: 'done', detail: `rehearsal: ${fit.summary}` };
    }
    if (fit.level === 'does-not-fit') {
      return { state: 'blocked', reason: fit.summary, ...(fit.advice.length ? { hint: fit.advice.join(' ') } : {}) };
    }
    return { state: 'done', detail: fit.summary };
  },
  async run() {
    // detect answers done or blocked; there is nothing to do here.
  },
};
