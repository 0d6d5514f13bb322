// The engine's services, built once over its context: plan (what the settings mean on this host), runs
// (one install or teardown at a time) and diagnostics (doctor, support bundle). Handlers and the CLI use
// these; none of them builds its own.
import type { EngineContext } from './context.js';
import { DiagnosticsService } from './diagnostics.js';
import { PlanService } from './plan-service.js';
import type { Step } from './plan/step.js';
import { RunsService } from './runs.js';

export interface Services {
  plans: PlanService;
  runs: RunsService;
  diagnostics: DiagnosticsService;
}

export interface ServiceOptions {
  /** Test seam: a different step list. */
  steps?: readonly Step[];
  /** Steps run at once where the plan allows. */
  concurrency?: number;
}

export function createServices(ctx: EngineContext, opts: ServiceOptions = {}): Services {
  const plans = new PlanService(ctx, opts.steps);
  const runs = new RunsService(ctx, plans, opts.concurrency !== undefined ? { concurrency: opts.concurrency } : {});
  return { plans, runs, diagnostics: new DiagnosticsService(ctx, plans, runs) };
}
