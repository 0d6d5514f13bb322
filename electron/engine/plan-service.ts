// The plan service: turns settings into a plan for this host (steps, driver, dtype) and answers what can
// be known without changing anything — the dry-run description, each step's detect, the prerequisite
// and image checks. Runs (runs.ts) and diagnostics (diagnostics.ts) build on it.
import type { ImagesReport } from '../../shared/api/images.js';
import type { PlanDescription, PrereqReport } from '../../shared/api/engine.js';
import type { CpuFeatures } from '../../shared/api/host.js';
import type { Settings } from '../../shared/api/settings.js';
import type { EngineContext } from './context.js';
import { checkPlanImages } from './images/preflight.js';
import { buildPlan, describePlan, planContext, type PlanHost } from './plan/build-plan.js';
import type { PlanContext, Step, StepContext, StepServices } from './plan/step.js';
import { formatCommand, runProcess } from './process/runner.js';
import { groupsFileFor, ProcessGroupLedger } from './process/process-groups.js';
import { runtimesOnPath } from './prereqs/detect.js';
import { createPrereqService, type PrereqService } from './prereqs/service.js';
import { HF_TOKEN } from './secrets/secret-store.js';
import { STEPS } from './steps/index.js';
import { cacheUse } from './steps/cache-use.js';

export type ServiceContext = Pick<EngineContext, 'paths' | 'toolEnv' | 'platform' | 'arch' | 'settings' | 'host' | 'secrets' | 'redactor'>;

/** How this plan's run differs from a plain install (PlanContext.recreateCluster). */
export interface PlanOptions { recreateCluster?: boolean }

export interface StepStatusLine { id: string; title: string; state: 'done' | 'todo' | 'blocked'; reason?: string }

export class PlanService {
  constructor(private readonly ctx: ServiceContext, private readonly stepList: readonly Step[] = STEPS) {}

  /** Reads the stored secrets again before anything can print them (a step, a doctor rule, a bundle). */
  loadSecrets(): Promise<void> {
    return this.ctx.secrets.learn();
  }

  /**
   * The CPU's features as the host check read them (detected once per session by the host service, or the
   * recorded facts of LLMD_HOST_FACTS); a failed check is "unknown", and the plan then picks the safe dtype.
   */
  async cpuFeatures(): Promise<CpuFeatures | undefined> {
    return (await this.ctx.host.check().catch(() => undefined))?.facts.cpuFeatures;
  }

  planHost(cpu?: CpuFeatures): PlanHost {
    const env = this.ctx.toolEnv();
    const cacheDirs = { images: this.ctx.paths.imageCacheDir, models: this.ctx.paths.modelCacheDir };
    return {
      platform: this.ctx.platform, arch: this.ctx.arch, runtimes: runtimesOnPath(env.PATH), env,
      cacheDirs, cacheUse: cacheUse(cacheDirs),
      ...(cpu ? { cpu } : {}),
    };
  }

  /**
   * The plan without the CPU's features (prerequisites and fit needs do not depend on them). Anything that
   * renders the stack uses plan(), whose model-server dtype follows the CPU.
   */
  planFor(settings: Settings, cpu?: CpuFeatures, opts: PlanOptions = {}): { plan: PlanContext; steps: Step[] } {
    const plan = planContext(settings, this.planHost(cpu));
    if (opts.recreateCluster) plan.recreateCluster = true;
    return { plan, steps: buildPlan(plan, this.stepList) };
  }

  async plan(settings: Settings, opts: PlanOptions = {}): Promise<{ plan: PlanContext; steps: Step[] }> {
    return this.planFor(settings, await this.cpuFeatures(), opts);
  }

  async describe(settings: Settings = this.ctx.settings.effective()): Promise<PlanDescription> {
    const { plan, steps } = await this.plan(settings);
    return describePlan(plan, steps);
  }

  /** The preflight image check of the plan for these settings (Prerequisites page, `cli check`). */
  async checkImages(settings: Settings = this.ctx.settings.effective(), signal?: AbortSignal): Promise<ImagesReport> {
    const { plan } = await this.plan(settings);
    return checkPlanImages(plan, { env: this.ctx.toolEnv(), ...(signal ? { signal } : {}) });
  }

  prereqsFor(plan: PlanContext): PrereqService {
    return createPrereqService(() => ({
      env: this.ctx.toolEnv(), platform: this.ctx.platform, arch: this.ctx.arch, binDir: this.ctx.paths.binDir, downloadsDir: this.ctx.paths.downloadsDir,
      mirror: plan.settings.mirror, driver: plan.driver, redactor: this.ctx.redactor,
    }));
  }

  async prereqCheck(settings: Settings = this.ctx.settings.effective()): Promise<PrereqReport> {
    return this.prereqsFor(this.planFor(settings).plan).check();
  }

  private services(plan: PlanContext): StepServices {
    return { host: () => this.ctx.host.check(), prereqs: this.prereqsFor(plan), hfToken: () => this.ctx.secrets.get(HF_TOKEN) };
  }

  /** What a step gets: the plan, its run's ids, the tool env, a runner bound to its log, signal and redactor. */
  stepContext(plan: PlanContext, runId: string, step: Step, signal: AbortSignal, write: (line: string) => void,
    report: (fraction: number, message?: string) => void): StepContext {
    const env = this.ctx.toolEnv();
    const redactor = this.ctx.redactor;
    return {
      ...plan,
      runId,
      stepId: step.id,
      paths: this.ctx.paths,
      env,
      signal,
      redactor,
      log: write,
      progress: report,
      services: this.services(plan),
      run: (file, args, o = {}) => {
        const { quiet, onLine, ...rest } = o;
        if (!quiet) write(`$ ${formatCommand([file, ...args])}`);
        const lines = onLine ?? (quiet ? undefined : (l: string) => write(l));
        return runProcess(file, args, { ...rest, env, signal, redactor, groups: new ProcessGroupLedger(groupsFileFor(this.ctx.paths.runDir)), ...(lines ? { onLine: lines } : {}) });
      },
    };
  }

  /** Detect only: where each step stands. Nothing is changed. */
  async status(settings: Settings = this.ctx.settings.effective()): Promise<{ steps: StepStatusLine[] }> {
    await this.loadSecrets();
    const { plan, steps } = await this.plan(settings);
    const signal = new AbortController().signal;
    const out: StepStatusLine[] = [];
    for (const step of steps) {
      const ctx = this.stepContext(plan, 'status', step, signal, () => {}, () => {});
      try {
        const d = await step.detect(ctx);
        out.push({ id: step.id, title: step.title, state: d.state, ...(d.state === 'done' ? (d.detail ? { reason: d.detail } : {}) : d.reason ? { reason: d.reason } : {}) });
      } catch (e) {
        out.push({ id: step.id, title: step.title, state: 'blocked', reason: e instanceof Error ? e.message : String(e) });
      }
    }
    return { steps: out };
  }
}
