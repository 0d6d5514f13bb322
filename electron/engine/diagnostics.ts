// Diagnostics: the doctor (rules over one snapshot of the machine and the cluster), its settings fixes,
// and the support bundle — everything that looks at an install to say what is wrong, secrets redacted.
import type { DoctorFix, DoctorReport } from '../../shared/api/doctor.js';
import { Settings, schemaIssues } from '../../shared/api/settings.js';
import { ApiException } from '../../shared/result.js';
import { createSupportBundle, defaultBundleFile, type BundleOptions, type BundleResult } from './bundle/bundle.js';
import { appNamespaces, collectSnapshot } from './doctor/collect.js';
import { personKubeConfig } from './doctor/person-kubeconfig.js';
import { releaseOptions } from './doctor/release-options.js';
import { findFix, runDoctor } from './doctor/run.js';
import { describePlan } from './plan/build-plan.js';
import type { PlanService, ServiceContext } from './plan-service.js';
import type { RunsService } from './runs.js';
import { invalidSettings } from './settings/errors.js';
import { clusterConfig } from './steps/cluster-access.js';
import { rehearsalReason } from './steps/rehearsal.js';
import { settingsFitOnHost } from '../../shared/fit.js';
import { stackRequests } from '../../shared/release.js';
import { listReleases } from './stack/releases.js';

export class DiagnosticsService {
  constructor(private readonly ctx: ServiceContext, private readonly plans: PlanService, private readonly runs: Pick<RunsService, 'journal'>) {}

  /** Runs every doctor rule over one snapshot of the install (cluster, last run, host); secrets redacted. */
  async doctor(settings: Settings = this.ctx.settings.effective()): Promise<DoctorReport> {
    await this.plans.loadSecrets();
    const { plan } = await this.plans.plan(settings);
    const env = this.ctx.toolEnv();
    const detected = await this.ctx.host.check().catch(() => undefined);
    const kc = clusterConfig({ settings, env });
    const rehearsal = rehearsalReason(env);
    // The host check's own verdict is for the default settings (what the System check page judges); the
    // doctor judges the settings it was asked about, as the install's host step does (steps/host-check.ts).
    const judged = detected && settingsFitOnHost(settings, detected.facts, stackRequests(plan.release), { rehearsal: rehearsal !== undefined });
    const host = detected && judged && { ...detected, fit: judged.fit, needs: judged.needs };
    // The tools' versions against their minimums: the prerequisites check itself, so the doctor and the
    // Prerequisites page read one verdict.
    const tools = await this.plans.prereqsFor(plan).check().then((r) => r.tools).catch(() => undefined);
    // The releases a person could switch to, for the image-pull rule's "another release" fix (from where the
    // plan loaded its own: planContext's loadRelease).
    const releases = releaseOptions(listReleases(), plan.release.id, plan.accelerator);
    const snapshot = await collectSnapshot({
      plan, kc, ...(host ? { host } : {}), journal: this.runs.journal.read(), runDir: this.ctx.paths.runDir, kubeconfig: personKubeConfig(env),
      ...(rehearsal ? { rehearsal } : {}), ...(this.ctx.host.recordedFrom ? { hostRecorded: true } : {}), toolEnv: env, platform: this.ctx.platform, ...(tools ? { tools } : {}), releases,
    });
    return this.ctx.redactor.redactDeep(runDoctor(snapshot));
  }

  /**
   * Applies a doctor fix that changes settings (`<rule>:<fix>` from a fresh report) and saves them; the
   * caller then runs the plan again, which redeploys only what the change touches. A fix made of commands
   * is for the person to copy: refused here with the commands in the hint.
   */
  async applyDoctorFix(ref: string, settings: Settings = this.ctx.settings.effective(), opts: { deleteCluster?: boolean } = {}): Promise<{ fix: DoctorFix; settings: Settings }> {
    const report = await this.doctor(settings);
    const fix = findFix(report, ref);
    if (!fix) {
      const known = report.results.flatMap((r) => r.finding?.fixes.map((f) => `${r.id}:${f.id}`) ?? []);
      throw new ApiException('NOT_FOUND', `The doctor has no fix "${ref}" now.`, known.length ? `Fixes on offer: ${known.join(', ')}.` : 'The doctor has nothing to fix right now.');
    }
    if (fix.kind !== 'settings') throw new ApiException('BAD_REQUEST', `"${ref}" is a set of commands to run yourself.`, fix.commands.map((c) => c.join(' ')).join('\n'));
    // Deleting a cluster is never a side effect: the caller must say the person agreed (a confirmation, `--yes`).
    if (fix.recreatesCluster && !opts.deleteCluster) {
      throw new ApiException('CONFLICT', `"${ref}" deletes the cluster "${settings.profile}" and everything in it before installing again; it was not confirmed.`, `${fix.does} Confirm it to go ahead (the CLI: --yes).`);
    }
    const next = Settings.safeParse({ ...this.ctx.settings.current(), ...fix.settings });
    // A fix that breaks the schema is the engine's bug, not the caller's: INTERNAL, in the usual wording.
    if (!next.success) throw invalidSettings(schemaIssues(next.error), 'INTERNAL', `The fix "${ref}" makes invalid settings`);
    this.ctx.settings.save(next.data);
    const applied = Settings.safeParse({ ...settings, ...fix.settings });
    return { fix, settings: applied.success ? applied.data : next.data };
  }

  /** What the support bundle is made of besides the data dir: the cluster, its namespaces, the doctor, the host. */
  async bundleInputs(settings: Settings = this.ctx.settings.effective()): Promise<Omit<BundleOptions, 'outFile'>> {
    await this.plans.loadSecrets();
    const { plan, steps } = await this.plans.plan(settings);
    const host = await this.ctx.host.check().catch(() => undefined);
    const doctor = await this.doctor(settings).catch((e: unknown) => ({ error: e instanceof Error ? e.message : String(e) }));
    return {
      paths: this.ctx.paths, redactor: this.ctx.redactor, kubeconfig: clusterConfig({ settings, env: this.ctx.toolEnv() }), namespaces: appNamespaces(plan),
      extras: [
        { name: 'doctor.json', content: JSON.stringify(doctor, null, 2) },
        ...(host ? [{ name: 'host.json', content: JSON.stringify(host, null, 2) }] : []),
        { name: 'plan.json', content: JSON.stringify(describePlan(plan, steps), null, 2) },
      ],
    };
  }

  /** Writes the support bundle (default <dataDir>/support/llm-d-support-<time>.tar.gz). */
  async supportBundle(outFile?: string, settings?: Settings): Promise<BundleResult> {
    const inputs = await this.bundleInputs(settings);
    return createSupportBundle({ ...inputs, outFile: outFile ?? defaultBundleFile(this.ctx.paths) });
  }
}
