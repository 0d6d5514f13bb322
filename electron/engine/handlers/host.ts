// host.* (shared/api/host.ts): the machine's facts and fit verdict, and the live fit of settings being
// edited (Configure), whose `driver: auto` resolves the way the plan resolves it.
import type { hostMethods } from '../../../shared/api/host.js';
import type { EngineContext } from '../context.js';
import type { Handlers } from '../dispatch.js';
import { assessFit } from '../host/fit.js';
import { planContext } from '../plan/build-plan.js';
import { fitNeedsFor } from '../steps/host-check.js';

export function createHostHandlers(ctx: Pick<EngineContext, 'host'>): Pick<Handlers, keyof typeof hostMethods> {
  return {
    'host.check': (req) => ctx.host.check({ refresh: req.refresh === true }),
    // The request schema validated the settings (shared/api/host.ts): invalid ones never get here.
    'host.fit': async ({ settings }) => {
      const report = await ctx.host.check();
      const f = report.facts;
      // `driver: auto` resolves the way the plan resolves it (podman when installed, else docker).
      const plan = planContext(settings, { platform: f.os, arch: f.arch, runtimes: { docker: f.docker.installed, podman: f.podman.installed } });
      const needs = fitNeedsFor(plan);
      return { needs, fit: assessFit(f, needs) };
    },
  };
}
