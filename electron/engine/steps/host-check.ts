// Step "Check this computer" (DESIGN.md §4 step 1): the settings must fit what the host can give. Nothing
// to run — detect is the whole step: done when the host fits, blocked with concrete advice when it does not.
import { hostIssues, modelSpec } from '../../../shared/api/settings.js';
import type { FitNeeds } from '../../../shared/api/host.js';
import { assessFit } from '../host/fit.js';
import type { PlanContext, Step } from '../plan/step.js';
import { rehearsalReason } from './rehearsal.js';
import { readRecord, writeRecord } from './cluster-api.js';
import type { HostFacts } from '../../../shared/api/host.js';
import type { StepContext } from '../plan/step.js';

// Host detection probes docker/podman (seconds on a busy machine); a re-run within the hour reuses the
// facts it found, so a second `up` costs a quick check.
const FACTS_TTL_MS = 60 * 60 * 1000;
async function hostFacts(ctx: StepContext): Promise<HostFacts> {
  const cached = readRecord<{ at: number; facts: HostFacts }>(ctx, 'host-facts.json');
  if (cached && Date.now() - cached.at < FACTS_TTL_MS && !ctx.env.LLMD_HOST_FACTS) return cached.facts;
  const facts = (await ctx.services.host()).facts;
  writeRecord(ctx, 'host-facts.json', { at: Date.now(), facts });
  return facts;
}

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
    const f = await hostFacts(ctx);
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
