// The installer: settings, prerequisites, plan, run/resume/teardown and the journal behind one object that
// both the API handlers (engine-handlers.ts) and the CLI (electron/cli) drive, so the two never differ.
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { ImagesReport } from '../../shared/api/images.js';
import { checkPlanImages } from './images/preflight.js';
import { releaseIssue } from './stack/releases.js';
import { findResourcesDir } from './resources.js';
import type { JournalView, PlanDescription, PrereqReport, TeardownOptions, ToolName } from '../../shared/api/engine.js';
import type { EventPayload, Topic } from '../../shared/contract.js';
import type { CpuFeatures, HostReport } from '../../shared/api/host.js';
import type { DoctorFix, DoctorReport } from '../../shared/api/doctor.js';
import { appNamespaces, collectSnapshot } from './doctor/collect.js';
import { personKubeConfig } from './doctor/person-kubeconfig.js';
import { rehearsalReason } from './steps/rehearsal.js';
import { createSupportBundle, defaultBundleFile, type BundleOptions, type BundleResult } from './bundle/bundle.js';
import { findFix, runDoctor } from './doctor/run.js';
import { clusterConfig } from './steps/cluster-api.js';
import { HostLimits, Settings, schemaIssues, type SettingsIssue, type SettingsView } from '../../shared/api/settings.js';
import { factsFromLimits, resolveSetup, settingsFit } from '../../shared/fit.js';
import { ApiException } from '../../shared/result.js';
import type { AppPaths } from './paths.js';
import { buildPlan, describePlan, planContext, type PlanHost } from './plan/build-plan.js';
import { execute, type ExecuteResult } from './plan/executor.js';
import { Journal } from './plan/journal.js';
import { acquireRunLock, type RunLock } from './plan/run-lock.js';
import type { PlanContext, Step, StepContext, StepServices } from './plan/step.js';
import { toolEnv } from './process/path-env.js';
import { LogBook } from './process/log-sink.js';
import { Redactor } from './process/redact.js';
import { formatCommand, runProcess } from './process/runner.js';
import { groupsFileFor, ProcessGroupLedger, stopOrphanedGroups } from './process/process-groups.js';
import { findExecutable } from './prereqs/detect.js';
import { createPrereqService, type PrereqService } from './prereqs/service.js';
import { HF_TOKEN, type SecretStore } from './secrets/secret-store.js';
import { SettingsStore } from './settings/store.js';
import { STEPS } from './steps/index.js';

/** The cross-process run lock in the app data run folder (run-lock.ts). */
export const RUN_LOCK_NAME = 'run.lock';

export interface StartOptions {
  /** Take over a run lock whose owner is alive but cannot be verified (CLI `up --take-over`). */
  takeOver?: boolean;
}

/** Lines of a step's log file shown when the in-memory replay buffer is gone (engine restarted). */
const REPLAY_FROM_FILE_LINES = 5000;

export type Emit = <T extends Topic>(topic: T, payload: EventPayload<T>) => void;

export interface TaskTracker {
  start(prefix?: string): { taskId: string; signal: AbortSignal };
  done(taskId: string): void;
}

export interface HostProvider {
  check(opts?: { refresh?: boolean }): Promise<HostReport>;
}

export interface InstallerOptions {
  paths: AppPaths;
  env: NodeJS.ProcessEnv;
  emit: Emit;
  host: HostProvider;
  secrets: SecretStore;
  tasks: TaskTracker;
  platform?: string;
  arch?: string;
  /** Test seam: a different step list. */
  steps?: readonly Step[];
  concurrency?: number;
}

export interface StartedRun {
  taskId: string;
  runId: string;
  result: Promise<ExecuteResult>;
}

export class Installer {
  readonly paths: AppPaths;
  readonly journal: Journal;
  readonly settingsStore: SettingsStore;
  readonly redactor = new Redactor();
  readonly logs: LogBook;
  private readonly platform: string;
  private readonly arch: string;
  /**
   * The run this engine is running, or claiming: set synchronously in startUp/startTeardown before any
   * await (taskId empty until the task exists), so two requests arriving together cannot both pass the check.
   */
  private active: { runId: string; taskId: string } | undefined;

  constructor(private readonly opts: InstallerOptions) {
    this.paths = opts.paths;
    this.platform = opts.platform ?? process.platform;
    this.arch = opts.arch ?? process.arch;
    this.journal = new Journal(opts.paths.journalFile, opts.paths.logsDir);
    this.settingsStore = new SettingsStore(opts.paths.settingsFile);
    this.logs = new LogBook({ logsDir: opts.paths.logsDir, redactor: this.redactor, emit: (e) => opts.emit('step.log', e) });
  }

  /** Marks a value as secret: it is replaced with *** in every log line, event and file from now on. */
  markSecret(value: string | undefined): void {
    this.redactor.add(value);
  }

  private async loadSecrets(): Promise<void> {
    this.markSecret(await this.opts.secrets.get(HF_TOKEN));
  }

  get toolEnv(): NodeJS.ProcessEnv {
    return toolEnv(this.opts.env, this.paths.binDir, this.platform);
  }

  // ---- settings --------------------------------------------------------------------------------------

  async settingsView(): Promise<SettingsView> {
    const loaded = this.settingsStore.load();
    return {
      settings: loaded.settings,
      hfTokenSet: (await this.opts.secrets.get(HF_TOKEN)) !== undefined,
      secrets: this.opts.secrets.describe(),
      ...(loaded.warning ? { warning: loaded.warning } : {}),
    };
  }

  validate(input: unknown, host?: HostLimits): { valid: boolean; issues: SettingsIssue[]; settings?: Settings } {
    const parsed = Settings.safeParse(input ?? {});
    if (!parsed.success) return { valid: false, issues: schemaIssues(parsed.error) };
    const release = releaseIssue(parsed.data.release, findResourcesDir(this.opts.env));
    const issues = [...(release ? [release] : []), ...(host ? settingsFit(parsed.data, resolveSetup(parsed.data, this.platform, this.planHost().runtimes), factsFromLimits(host)).issues : [])];
    return { valid: issues.length === 0, issues, settings: parsed.data };
  }

  async save(input: unknown, hfToken?: string | null): Promise<SettingsView> {
    const parsed = Settings.safeParse(input ?? {});
    const release = parsed.success ? releaseIssue(parsed.data.release, findResourcesDir(this.opts.env)) : undefined;
    if (release) throw new ApiException('BAD_REQUEST', `Invalid settings: ${release.path}: ${release.message}`, undefined, [release]);
    this.settingsStore.save(input);
    if (typeof hfToken === 'string') {
      this.markSecret(hfToken);
      await this.opts.secrets.set(HF_TOKEN, hfToken);
    } else if (hfToken === null) {
      await this.opts.secrets.delete(HF_TOKEN);
    }
    return this.settingsView();
  }

  /** Saved settings with overrides applied (CLI flags), validated. */
  effectiveSettings(overrides: Record<string, unknown> = {}): Settings {
    const base = this.settingsStore.load().settings;
    const merged = { ...base, ...overrides };
    const parsed = Settings.safeParse(merged);
    if (!parsed.success) {
      const issues = schemaIssues(parsed.error);
      throw new ApiException('BAD_REQUEST', `Invalid settings: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, undefined, issues);
    }
    return parsed.data;
  }

  // ---- plan ------------------------------------------------------------------------------------------

  /**
   * The CPU's features as the host check read them (detected once per session by the host service, or the
   * recorded facts of LLMD_HOST_FACTS); a failed check is "unknown", and the plan then picks the safe dtype.
   */
  async cpuFeatures(): Promise<CpuFeatures | undefined> {
    return (await this.opts.host.check().catch(() => undefined))?.facts.cpuFeatures;
  }

  planHost(cpu?: CpuFeatures): PlanHost {
    const PATH = this.toolEnv.PATH;
    return {
      platform: this.platform, arch: this.arch, runtimes: { docker: !!findExecutable('docker', PATH), podman: !!findExecutable('podman', PATH) },
      ...(cpu ? { cpu } : {}),
    };
  }

  /**
   * The plan without the CPU's features (prerequisites and fit needs do not depend on them). Anything that
   * renders the stack uses plan(), whose model-server dtype follows the CPU.
   */
  planFor(settings: Settings, cpu?: CpuFeatures): { plan: PlanContext; steps: Step[] } {
    const plan = planContext(settings, this.planHost(cpu));
    return { plan, steps: buildPlan(plan, this.opts.steps ?? STEPS) };
  }

  async plan(settings: Settings): Promise<{ plan: PlanContext; steps: Step[] }> {
    return this.planFor(settings, await this.cpuFeatures());
  }

  async describe(settings: Settings = this.effectiveSettings()): Promise<PlanDescription> {
    const { plan, steps } = await this.plan(settings);
    return describePlan(plan, steps);
  }

  /** The preflight image check of the plan for these settings (Prerequisites page, `cli check`). */
  async checkImages(settings: Settings = this.effectiveSettings(), signal?: AbortSignal): Promise<ImagesReport> {
    const { plan } = await this.plan(settings);
    return checkPlanImages(plan, { env: this.toolEnv, ...(signal ? { signal } : {}) });
  }

  private prereqsFor(plan: PlanContext): PrereqService {
    return createPrereqService(() => ({
      env: this.toolEnv, platform: this.platform, arch: this.arch, binDir: this.paths.binDir, downloadsDir: this.paths.downloadsDir,
      mirror: plan.settings.mirror, driver: plan.driver, redactor: this.redactor,
    }));
  }

  private services(plan: PlanContext): StepServices {
    return { host: () => this.opts.host.check(), prereqs: this.prereqsFor(plan), hfToken: () => this.opts.secrets.get(HF_TOKEN) };
  }

  private stepContext(plan: PlanContext, runId: string, step: Step, signal: AbortSignal, write: (line: string) => void,
    report: (fraction: number, message?: string) => void): StepContext {
    const env = this.toolEnv;
    return {
      ...plan,
      runId,
      stepId: step.id,
      paths: this.paths,
      env,
      signal,
      redactor: this.redactor,
      log: write,
      progress: report,
      services: this.services(plan),
      run: (file, args, o = {}) => {
        const { quiet, ...rest } = o;
        if (!quiet) write(`$ ${formatCommand([file, ...args])}`);
        return runProcess(file, args, { ...rest, env, signal, redactor: this.redactor, groups: new ProcessGroupLedger(groupsFileFor(this.paths.runDir)), ...(quiet ? {} : { onLine: (l: string) => write(l) }) });
      },
    };
  }

  /** Detect only: where each step stands. Nothing is changed. */
  async status(settings: Settings = this.effectiveSettings()): Promise<{ steps: { id: string; title: string; state: 'done' | 'todo' | 'blocked'; reason?: string }[] }> {
    await this.loadSecrets();
    const { plan, steps } = await this.plan(settings);
    const signal = new AbortController().signal;
    const out = [];
    for (const step of steps) {
      const ctx = this.stepContext(plan, 'status', step, signal, () => {}, () => {});
      try {
        const d = await step.detect(ctx);
        out.push({ id: step.id, title: step.title, state: d.state, ...(d.state === 'done' ? (d.detail ? { reason: d.detail } : {}) : d.reason ? { reason: d.reason } : {}) });
      } catch (e) {
        out.push({ id: step.id, title: step.title, state: 'blocked' as const, reason: e instanceof Error ? e.message : String(e) });
      }
    }
    return { steps: out };
  }

  // ---- runs ------------------------------------------------------------------------------------------

  /**
   * The replay buffer of a step; after an engine restart the buffer is empty, so the journal's log file
   * for that step is read instead (its lines carry a timestamp prefix, which the terminal does not show).
   */
  replayLogs(stepId: string): { stepId: string; seq: number; lines: string[] } {
    const live = this.logs.replay(stepId);
    if (live.lines.length > 0) return live;
    const logPath = this.journal.read()?.steps.find((s) => s.id === stepId)?.logPath;
    if (!logPath) return live;
    try {
      const lines = fs.readFileSync(logPath, 'utf8').split('\n').filter(Boolean).slice(-REPLAY_FROM_FILE_LINES)
        .map((l) => l.replace(/^\d{4}-\d\d-\d\dT[\d:.]+Z /, ''));
      return { stepId, seq: live.seq, lines };
    } catch {
      return live;
    }
  }

  journalView(): JournalView {
    return this.journal.view(this.active !== undefined);
  }

  /**
   * Checks that no run is going in this engine and claims the slot in the same synchronous turn (no await
   * between the two), so of two concurrent starts exactly one proceeds; the caller must call the returned
   * release on every path that does not reach a started run. Other processes are kept out by the run lock
   * that start() takes.
   */
  private claimStart(runId: string): () => void {
    if (this.active) throw new ApiException('CONFLICT', `A run is already in progress (${this.active.runId}).`, 'Wait for it to finish or cancel it.');
    const claim = { runId, taskId: '' };
    this.active = claim;
    return () => { if (this.active === claim) this.active = undefined; };
  }

  /** Starts `up`: fresh (every step detects, finished ones cost a check) or resuming the journal's run. */
  // ---- doctor ------------------------------------------------------------------------------------------

  /** Runs every doctor rule over one snapshot of the install (cluster, last run, host); secrets redacted. */
  async doctor(settings: Settings = this.effectiveSettings()): Promise<DoctorReport> {
    await this.loadSecrets();
    const { plan } = await this.plan(settings);
    const [host, kc] = [await this.opts.host.check().catch(() => undefined), clusterConfig({ settings, env: this.toolEnv })];
    const rehearsal = rehearsalReason(this.toolEnv);
    const snapshot = await collectSnapshot({
      plan, kc, ...(host ? { host } : {}), journal: this.journal.read(), runDir: this.paths.runDir, kubeconfig: personKubeConfig(this.toolEnv),
      ...(rehearsal ? { rehearsal } : {}),
    });
    return this.redactor.redactDeep(runDoctor(snapshot));
  }

  /**
   * Applies a doctor fix that changes settings (`<rule>:<fix>` from a fresh report) and saves them; the
   * caller then runs the plan again, which redeploys only what the change touches. A fix made of commands
   * is for the person to copy: refused here with the commands in the hint.
   */
  async applyDoctorFix(ref: string, settings: Settings = this.effectiveSettings()): Promise<{ fix: DoctorFix; settings: Settings }> {
    const report = await this.doctor(settings);
    const fix = findFix(report, ref);
    if (!fix) {
      const known = report.results.flatMap((r) => r.finding?.fixes.map((f) => `${r.id}:${f.id}`) ?? []);
      throw new ApiException('NOT_FOUND', `The doctor has no fix "${ref}" now.`, known.length ? `Fixes on offer: ${known.join(', ')}.` : 'The doctor has nothing to fix right now.');
    }
    if (fix.kind !== 'settings') throw new ApiException('BAD_REQUEST', `"${ref}" is a set of commands to run yourself.`, fix.commands.map((c) => c.join(' ')).join('\n'));
    const saved = this.settingsStore.load().settings;
    const next = Settings.safeParse({ ...saved, ...fix.settings });
    if (!next.success) throw new ApiException('INTERNAL', `The fix "${ref}" makes invalid settings: ${schemaIssues(next.error).map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    this.settingsStore.save(next.data);
    return { fix, settings: { ...settings, ...fix.settings } as Settings };
  }

  // ---- support bundle ----------------------------------------------------------------------------------

  /** What the support bundle is made of besides the data dir: the cluster, its namespaces, the doctor, the host. */
  async bundleInputs(settings: Settings = this.effectiveSettings()): Promise<Omit<BundleOptions, 'outFile'>> {
    await this.loadSecrets();
    const { plan } = await this.plan(settings);
    const host = await this.opts.host.check().catch(() => undefined);
    const doctor = await this.doctor(settings).catch((e: unknown) => ({ error: e instanceof Error ? e.message : String(e) }));
    return {
      paths: this.paths, redactor: this.redactor, kubeconfig: clusterConfig({ settings, env: this.toolEnv }), namespaces: appNamespaces(plan),
      extras: [
        { name: 'doctor.json', content: JSON.stringify(doctor, null, 2) },
        ...(host ? [{ name: 'host.json', content: JSON.stringify(host, null, 2) }] : []),
        { name: 'plan.json', content: JSON.stringify(describePlan(plan, buildPlan(plan, this.opts.steps ?? STEPS)), null, 2) },
      ],
    };
  }

  /** Writes the support bundle (default <dataDir>/support/llm-d-support-<time>.tar.gz). */
  async supportBundle(outFile?: string): Promise<BundleResult> {
    const inputs = await this.bundleInputs();
    return createSupportBundle({ ...inputs, outFile: outFile ?? defaultBundleFile(this.paths) });
  }

  async startUp(mode: 'fresh' | 'resume', overrides: Record<string, unknown> = {}, options: StartOptions = {}): Promise<StartedRun> {
    const release = this.claimStart('starting');
    try {
      return await this.prepareUp(mode, overrides, options);
    } catch (e) {
      release();
      throw e;
    }
  }

  private async prepareUp(mode: 'fresh' | 'resume', overrides: Record<string, unknown>, options: StartOptions): Promise<StartedRun> {
    let settings: Settings;
    let runId: string;
    let alreadyDone: Set<string> | undefined;
    const previous = this.journal.read();
    if (mode === 'resume') {
      // The claim made by startUp is ours, not a live run: the journal is judged as if no run were active.
      const view = this.journal.view(false);
      if (!view.resumable || !previous) throw new ApiException('CONFLICT', 'There is no unfinished run to resume.', 'Start a new run instead.');
      const parsed = Settings.safeParse(previous.settings);
      if (!parsed.success) throw new ApiException('CONFLICT', 'The unfinished run used settings this version cannot read.', 'Start a new run instead.');
      settings = parsed.data;
      runId = previous.runId;
      alreadyDone = new Set(previous.steps.filter((s) => s.state === 'done' || s.state === 'skipped').map((s) => s.id));
    } else {
      settings = this.effectiveSettings(overrides);
      runId = `run-${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 6)}`;
    }
    return this.start('up', runId, settings, options, { ...(alreadyDone ? { alreadyDone } : {}), ...(mode === 'resume' && previous ? { resumeFrom: previous } : {}) });
  }

  async startTeardown(teardown: TeardownOptions, overrides: Record<string, unknown> = {}, options: StartOptions = {}): Promise<StartedRun> {
    const runId = `down-${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 6)}`;
    const release = this.claimStart(runId);
    try {
      return await this.start('down', runId, this.effectiveSettings(overrides), options, { teardown });
    } catch (e) {
      release();
      throw e;
    }
  }

  private async start(kind: 'up' | 'down', runId: string, settings: Settings, options: StartOptions,
    extra: { alreadyDone?: Set<string>; resumeFrom?: import('../../shared/api/engine.js').JournalDoc; teardown?: TeardownOptions }): Promise<StartedRun> {
    const lock = await acquireRunLock(path.join(this.paths.runDir, RUN_LOCK_NAME), runId, { ...(options.takeOver ? { takeOver: true } : {}) });
    let plan: PlanContext;
    let steps: Step[];
    try {
      // With the lock held, tools still running for a dead run (a `kill -9`ed CLI) are stopped before any step re-runs them.
      await stopOrphanedGroups(groupsFileFor(this.paths.runDir));
      await this.loadSecrets();
      ({ plan, steps } = await this.plan(settings));
    } catch (e) {
      lock.release();
      throw e;
    }
    const { taskId, signal } = this.opts.tasks.start(kind === 'up' ? 'plan' : 'teardown');
    this.active = { runId, taskId };
    const emitTask = (state: 'running' | 'succeeded' | 'failed' | 'cancelled', fraction?: number, message?: string) =>
      this.opts.emit('task.progress', { taskId, state, ...(fraction !== undefined ? { fraction } : {}), ...(message ? { message: this.redactor.redact(message) } : {}) });
    const result = (async () => {
      try {
        const res = await execute({
          runId, kind, steps, journal: this.journal, signal,
          settings: settings as unknown as Record<string, unknown>,
          concurrency: this.opts.concurrency ?? 2,
          redact: (v) => this.redactor.redactDeep(v),
          ...extra,
          open: (step, report) => {
            const log = this.logs.open(runId, step.id);
            return { logPath: log.filePath, ctx: this.stepContext(plan, runId, step, signal, (l) => log.write(l), report) };
          },
          onProgress: (p) => {
            this.opts.emit('plan.progress', this.redactor.redactDeep(p));
            emitTask('running', p.fraction);
          },
        });
        // Inactive before the final event: a listener that resumes on "failed" must not meet its own run.
        await this.finishRun(taskId, lock);
        emitTask(res.status, 1, res.error?.message);
        return res;
      } catch (e) {
        await this.finishRun(taskId, lock);
        throw e;
      }
    })();
    return { taskId, runId, result };
  }

  private async finishRun(taskId: string, lock: RunLock): Promise<void> {
    try {
      await this.logs.close();
    } finally {
      lock.release();
      this.active = undefined;
      this.opts.tasks.done(taskId);
    }
  }

  // ---- prerequisites -------------------------------------------------------------------------------

  async prereqCheck(settings: Settings = this.effectiveSettings()): Promise<PrereqReport> {
    return this.prereqsFor(this.planFor(settings).plan).check();
  }

  /** Installs one tool, or every missing one; returns the task id and the outcome. */
  startPrereqInstall(tool: ToolName | undefined, settings: Settings = this.effectiveSettings()): { taskId: string; result: Promise<PrereqReport> } {
    const service = this.prereqsFor(this.planFor(settings).plan);
    const { taskId, signal } = this.opts.tasks.start('prereqs');
    const cb = {
      signal,
      log: (l: string) => this.logs.write('prerequisites', l),
      onProgress: (t: ToolName, phase: 'download' | 'verify' | 'extract' | 'install' | 'done' | 'admin' | 'failed', d: { bytes?: number; totalBytes?: number; message?: string }) =>
        this.opts.emit('prereqs.progress', { taskId, tool: t, phase, ...d, ...(d.message ? { message: this.redactor.redact(d.message) } : {}) }),
    };
    const result = (async () => {
      try {
        const report = tool ? (await service.install(tool, cb), await service.check(signal)) : await service.installMissing(cb);
        this.opts.emit('task.progress', { taskId, state: 'succeeded', fraction: 1 });
        return report;
      } catch (e) {
        const cancelled = signal.aborted;
        this.opts.emit('task.progress', { taskId, state: cancelled ? 'cancelled' : 'failed', message: this.redactor.redact(e instanceof Error ? e.message : String(e)) });
        throw e;
      } finally {
        this.logs.flush('prerequisites');
        this.opts.tasks.done(taskId);
      }
    })();
    return { taskId, result };
  }
}

/** A minimal task tracker for the CLI (the app uses api.ts's TaskRegistry, which also serves task.cancel). */
export class SimpleTasks implements TaskTracker {
  readonly controllers = new Map<string, AbortController>();
  private n = 0;
  start(prefix = 'task') {
    const taskId = `${prefix}-${++this.n}`;
    const c = new AbortController();
    this.controllers.set(taskId, c);
    return { taskId, signal: c.signal };
  }
  done(taskId: string) {
    this.controllers.delete(taskId);
  }
  cancelAll(reason = 'Cancelled by the user.') {
    for (const c of this.controllers.values()) c.abort(new ApiException('CANCELLED', reason));
  }
}
