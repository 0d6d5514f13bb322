// Step "Check this computer" (docs/architecture.md §4 step 1): the settings must fit what the host can give. Nothing
// to run — detect is the whole step: done when the host fits, blocked with concrete advice when it does not.
// The decision is the one fit function's (shared/fit.ts), the same Configure and `cli check` use; in a
// rehearsal a host too small for the settings is a warning there and here alike.
import { settingsFit } from '../../../shared/fit.js';
import { stackRequests } from '../../../shared/release.js';
import type { Step } from '../plan/step.js';
import { rehearsalReason } from './rehearsal.js';
import { readRecord, writeRecord } from './run-records.js';
import { z } from 'zod';
import { HostFacts } from '../../../shared/api/host.js';
import { formatIssues } from '../../../shared/api/settings.js';
import type { StepContext } from '../plan/step.js';

// Host detection probes docker/podman (seconds on a busy machine); a re-run within the hour reuses the
// facts it found, so a second `up` costs a quick check.
const FACTS_TTL_MS = 60 * 60 * 1000;
const FactsRecord = z.object({ at: z.number(), facts: HostFacts });
async function hostFacts(ctx: StepContext): Promise<HostFacts> {
  const cached = readRecord(ctx, 'host-facts.json', FactsRecord);
  if (cached && Date.now() - cached.at < FACTS_TTL_MS && !ctx.env.LLMD_HOST_FACTS) return cached.facts;
  const facts = (await ctx.services.host()).facts;
  writeRecord(ctx, 'host-facts.json', { at: Date.now(), facts });
  return facts;
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
    ctx.log(`${f.osName} ${f.osVersion} (${f.archLabel}), ${f.cpuCores} CPUs, ${Math.round(f.memoryBytes / 2 ** 30)} GiB memory, ${Math.round(f.diskFreeBytes / 1e9)} GB free`);
    const rehearsal = rehearsalReason(ctx.env);
    const { fit, issues, warnings } = settingsFit(ctx.settings, ctx, f, stackRequests(ctx.release), { rehearsal: rehearsal !== undefined });
    for (const c of fit.checks) ctx.log(`${c.resource}: ${c.level} (need ${c.need}, have ${c.have})${c.advice ? ` — ${c.advice}` : ''}`);
    if (issues.length > 0) {
      return {
        state: 'blocked', reason: formatIssues(issues),
        hint: [...fit.advice, 'Change the settings (Configure page, or --replicas / --model flags) to fit this computer.'].join(' '),
      };
    }
    if (warnings.length > 0) {
      ctx.log(`Warning (rehearsal, ${rehearsal}): ${formatIssues(warnings)} — ignored, the cluster is simulated.`);
      return { state: 'done', detail: `rehearsal: ${fit.summary}` };
    }
    return { state: 'done', detail: fit.summary };
  },
  async run() {
    // detect answers done or blocked; there is nothing to do here.
  },
};
