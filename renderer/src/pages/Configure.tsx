// Configure: the stack release (and, under Advanced, the image of each part of the stack), driver, model
// (with its memory per replica and what that means for the fit), replicas, CPUs, memory, disk, GPU
// (offered only on Linux with an NVIDIA GPU), monitoring, HF token (sent to the engine, never shown
// back) and the download mirror. Every field is checked as you type with the reason, and the fit
// verdict follows the form live — both from one call of the shared fit function (validateForm), with a
// one-click "use the suggested values" that fills in the numbers its advice names. Under Model → Advanced:
// the memory limit, KV cache and start-up wait the doctor's fixes change (components/settings/ModelServerAdvanced).
import { useEffect, useId, useMemo, useState, type ReactNode } from 'react';
import type { FitCheck } from '../../../shared/api/host.js';
import { MODELS, type SettingsIssue } from '../../../shared/api/settings.js';
import { ArrowLeft, ArrowRight, Lock } from '../components/Icons.js';
import { LEVEL_TEXT, LevelBadge, LevelIcon } from '../components/LevelBadge.js';
import { PageHeader } from '../components/PageHeader.js';
import { DtypeChoice } from '../components/release/DtypeChoice.js';
import { ImageOverrides } from '../components/release/ImageOverrides.js';
import { ReleaseChoice } from '../components/release/ReleaseChoice.js';
import { ModelServerAdvanced } from '../components/settings/ModelServerAdvanced.js';
import { modelHint, modelServerDefaults, replicasHint } from '../model-server-view.js';
import { useApp } from '../stores/app.js';
import { useHost } from '../stores/host.js';
import { useReleases } from '../stores/releases.js';
import { formWithSuggestion, suggestionText, useSettings, validateForm, type SettingsForm } from '../stores/settings.js';
import { useWizard } from '../stores/wizard.js';

const RESOURCE_NAMES: Record<FitCheck['resource'], string> = { memory: 'Memory', cpu: 'CPUs', disk: 'Disk', runtime: 'Runtime', gpu: 'GPU', 'cpu-features': 'CPU instructions' };

/** A field's issue: an error blocks saving; a warning (a rehearsal's too-small host) is only said. */
type FieldNote = SettingsIssue & { severity: 'error' | 'warning' };

function Field({ id, label, hint, issue, children }: { id: string; label: string; hint?: ReactNode; issue?: FieldNote | undefined; children: ReactNode }) {
  const warning = issue?.severity === 'warning';
  return (
    <div className={`field${issue ? (warning ? ' has-warning' : ' has-issue') : ''}`}>
      <label htmlFor={id} className="field-label">{label}</label>
      {children}
      {hint && <p className="field-hint" id={`${id}-hint`}>{hint}</p>}
      {issue && (
        <p className={warning ? 'field-warning' : 'field-issue'} id={`${id}-issue`} role={warning ? 'status' : 'alert'} data-testid={`issue-${issue.path}`} data-severity={issue.severity}>
          {warning ? `Rehearsal only: ${issue.message}` : issue.message}
        </p>
      )}
    </div>
  );
}

const describedBy = (id: string, hint: boolean, issue: boolean): string | undefined =>
  [hint ? `${id}-hint` : '', issue ? `${id}-issue` : ''].filter(Boolean).join(' ') || undefined;

export function Configure() {
  const { view, form, loadError, saving, saveError, savedAt, load, edit, save, advanced, setAdvancedOpen, focusTaken, modelServerOpen, setModelServerOpen } = useSettings();
  const { report, check } = useHost();
  const rehearsal = useApp((s) => s.info?.rehearsal === true);
  const releases = useReleases();
  const loadReleases = releases.load;
  const go = useWizard((s) => s.go);
  const [token, setToken] = useState('');
  const [removeToken, setRemoveToken] = useState(false);
  const ids = { release: useId(), driver: useId(), model: useId(), replicas: useId(), cpus: useId(), memory: useId(), disk: useId(), mirror: useId(), token: useId() };

  useEffect(() => {
    void load();
    // Read, not subscribed: a host report arriving later must not run the check again.
    if (!useHost.getState().report) void check();
    // Once per opening of the page (the store's actions never change): saved settings may have changed
    // elsewhere (CLI, another window).
  }, [load, check]);

  // The release's images depend on the GPU choice (an NVIDIA model server instead of the CPU one).
  const gpuChoice = form?.gpu;
  useEffect(() => {
    if (gpuChoice !== undefined) void loadReleases(gpuChoice);
  }, [gpuChoice, loadReleases]);
  // Only a view asked for the form's GPU choice may judge the release (not one still catching up).
  const releaseList = releases.view && releases.gpu === gpuChoice ? releases.view.releases : undefined;

  const result = useMemo(() => (view && form ? validateForm(view.settings, form, report, releaseList, { rehearsal }) : undefined), [view, form, report, releaseList, rehearsal]);
  const issueFor = (path: string): FieldNote | undefined => {
    const error = result?.issues.find((i) => i.path === path);
    if (error) return { ...error, severity: 'error' };
    const warning = result?.warnings.find((i) => i.path === path);
    return warning ? { ...warning, severity: 'warning' } : undefined;
  };
  const invalid = (path: string): boolean => issueFor(path)?.severity === 'error';
  const fit = result?.fit;

  if (loadError) return <div className="page-inner"><PageHeader eyebrow="Step 4" title="Configure" /><div className="callout callout-error" role="alert">{loadError}</div></div>;
  if (!view || !form) return <div className="page-inner"><PageHeader eyebrow="Step 4" title="Configure" /><p className="loading"><span className="spinner" aria-hidden="true" /> Loading the settings…</p></div>;

  const facts = report?.facts;
  const gpuOffered = facts?.os === 'linux' && facts.gpu.nvidia;
  // The hints count the limit the replicas get: the Advanced override once it is valid, else the model's (as the fit does).
  const replicasNote = replicasHint(form);
  const memMiB = Number(form.memoryMiB);
  const set = (patch: Partial<SettingsForm>) => edit(patch);
  const chosenRelease = releaseList?.find((r) => r.id === form.release);
  const contextLength = chosenRelease?.contextLength[form.model];
  const valid = result !== undefined && result.issues.length === 0 && result.settings !== undefined;
  const warned = valid && result.warnings.length > 0;
  const suggested = fit?.fit.suggested;

  const onSave = async (thenPlan: boolean) => {
    if (!result?.settings) return;
    const ok = await save({ settings: result.settings, ...(removeToken ? { hfToken: null } : token.trim() ? { hfToken: token.trim() } : {}) });
    if (ok) {
      setToken('');
      setRemoveToken(false);
      if (thenPlan) go('plan');
    }
  };

  return (
    <div className="page-inner">
      <PageHeader eyebrow="Step 4" title="Configure">
        What the cluster gets and what it serves. The defaults follow the guide; the verdict on the right tells you live whether they fit this machine.
      </PageHeader>

      <form className="configure-grid" onSubmit={(e) => { e.preventDefault(); void onSave(true); }} noValidate>
        {/* The form and the sticky verdict share a box that ends above the actions, so the verdict can
            never slide over the Save buttons when the form is longer than the window (Advanced open). */}
        <div className="configure-body">
          <div className="configure-form">
            <fieldset className="card form-card release-fieldset" aria-describedby={`${ids.release}-hint`}>
              <legend className="form-legend">Stack release</legend>
              <p className="field-hint" id={`${ids.release}-hint`}>
                Which llm-d the cluster runs: the charts, versions and images, tested together.{releases.view ? ` Images shown for linux/${releases.view.arch}${form.gpu ? ' with an NVIDIA GPU' : ''}.` : ''}
              </p>
              {releases.error && (
                <div className="callout callout-error" role="alert">
                  <p><strong>The releases could not be listed:</strong> {releases.error}</p>
                  <div className="actions"><button type="button" className="button small-button" onClick={() => void loadReleases(form.gpu)}>Try again</button></div>
                </div>
              )}
              {releases.view ? (
                <ReleaseChoice releases={releases.view.releases} defaultRelease={releases.view.defaultRelease} value={form.release} onChange={(id) => set({ release: id })} issue={issueFor('release')} />
              ) : !releases.error && <p className="loading small"><span className="spinner" aria-hidden="true" /> Loading the releases…</p>}
              <ImageOverrides
                release={chosenRelease} arch={releases.view?.arch} gpu={form.gpu} loading={releases.loading || (releaseList === undefined && !releases.error)}
                values={form.images} issueFor={issueFor} onChange={(role, value) => set({ images: { ...form.images, [role]: value } })}
                open={advanced.open} onToggle={setAdvancedOpen} focus={advanced.focus} onFocused={focusTaken}
              >
                <DtypeChoice release={chosenRelease} value={form.dtype} onChange={(dtype) => set({ dtype })} />
              </ImageOverrides>
            </fieldset>

            <fieldset className="card form-card">
              <legend className="form-legend">Cluster</legend>
              <div className="field">
                <span className="field-label" id={ids.driver}>Container driver</span>
                <div className="segmented" role="radiogroup" aria-labelledby={ids.driver}>
                  {(['auto', 'docker', 'podman'] as const).map((d) => (
                    <label key={d} className={`segment${form.driver === d ? ' is-checked' : ''}`}>
                      <input type="radio" name="driver" value={d} checked={form.driver === d} onChange={() => set({ driver: d })} />
                      {d === 'auto' ? 'Automatic' : d}
                    </label>
                  ))}
                </div>
                <p className="field-hint">Automatic uses podman when it is installed, else docker.{fit ? <> On this machine: <strong>{fit.needs.driver}</strong>.</> : null}</p>
              </div>
              <div className="field-row">
                <Field id={ids.cpus} label="CPUs" hint={facts ? `This machine has ${facts.cpuCores}.` : undefined} issue={issueFor('cpus')}>
                  <input id={ids.cpus} name="cpus" inputMode="numeric" value={form.cpus} onChange={(e) => set({ cpus: e.target.value })} aria-invalid={invalid('cpus')} aria-describedby={describedBy(ids.cpus, !!facts, !!issueFor('cpus'))} />
                </Field>
                <Field id={ids.memory} label="Memory (MiB)" hint={Number.isFinite(memMiB) && memMiB > 0 ? `${(memMiB / 1024).toFixed(memMiB % 1024 ? 1 : 0)} GiB${facts ? ` of this machine’s ${(facts.memoryBytes / 2 ** 30).toFixed(1)} GiB` : ''}` : undefined} issue={issueFor('memoryMiB')}>
                  <input id={ids.memory} name="memoryMiB" inputMode="numeric" value={form.memoryMiB} onChange={(e) => set({ memoryMiB: e.target.value })} aria-invalid={invalid('memoryMiB')} aria-describedby={describedBy(ids.memory, true, !!issueFor('memoryMiB'))} />
                </Field>
                <Field id={ids.disk} label="Disk (GB)" hint={facts ? `${Math.floor(facts.diskFreeBytes / 1e9)} GB free.` : undefined} issue={issueFor('diskGB')}>
                  <input id={ids.disk} name="diskGB" inputMode="numeric" value={form.diskGB} onChange={(e) => set({ diskGB: e.target.value })} aria-invalid={invalid('diskGB')} aria-describedby={describedBy(ids.disk, !!facts, !!issueFor('diskGB'))} />
                </Field>
              </div>
            </fieldset>

            <fieldset className="card form-card">
              <legend className="form-legend">Model</legend>
              <div className="field-row model-row">
                <Field id={ids.model} label="Model" hint={modelHint(form, contextLength)} issue={issueFor('model')}>
                  <select id={ids.model} name="model" value={form.model} onChange={(e) => set({ model: e.target.value as SettingsForm['model'] })} aria-describedby={describedBy(ids.model, true, !!issueFor('model'))}>
                    {MODELS.map((m) => <option key={m.id} value={m.id}>{m.label} — {m.memoryLimitGi} GiB per replica</option>)}
                  </select>
                </Field>
                <Field id={ids.replicas} label="Replicas" hint={replicasNote} issue={issueFor('replicas')}>
                  <input id={ids.replicas} name="replicas" inputMode="numeric" value={form.replicas} onChange={(e) => set({ replicas: e.target.value })} aria-invalid={invalid('replicas')} aria-describedby={describedBy(ids.replicas, replicasNote !== undefined, !!issueFor('replicas'))} />
                </Field>
              </div>
              <p className="field-hint">Two or more replicas let the inference scheduler choose between them — that is what llm-d’s routing is about.</p>
              <ModelServerAdvanced
                values={form} defaults={modelServerDefaults(form.model, chosenRelease)} gpu={form.gpu} issueFor={issueFor}
                onChange={(key, value) => set({ [key]: value })} open={modelServerOpen} onToggle={setModelServerOpen}
              />
            </fieldset>

            <fieldset className="card form-card">
              <legend className="form-legend">Options</legend>
              <label className="check">
                <input type="checkbox" name="monitoring" checked={form.monitoring} onChange={(e) => set({ monitoring: e.target.checked })} />
                <span><strong>Monitoring</strong> <span className="muted">— Prometheus and Grafana (kube-prometheus-stack); turn off to save memory.</span></span>
              </label>
              <label className="check">
                <input type="checkbox" name="imageCache" checked={form.imageCache} onChange={(e) => set({ imageCache: e.target.checked })} />
                <span><strong>Keep images on this computer</strong> <span className="muted">— a new cluster loads them instead of downloading them again (the vLLM image is about 4 GB).</span></span>
              </label>
              <label className="check">
                <input type="checkbox" name="modelCache" checked={form.modelCache} onChange={(e) => set({ modelCache: e.target.checked })} />
                <span><strong>Share one model download</strong> <span className="muted">— every replica reads the weights from one folder on this computer, kept when the cluster is deleted (applies to a new cluster).</span></span>
              </label>
              {gpuOffered ? (
                <label className="check">
                  <input type="checkbox" name="gpu" checked={form.gpu} onChange={(e) => set({ gpu: e.target.checked })} aria-invalid={invalid('gpu')} />
                  <span><strong>Use the NVIDIA GPU</strong> <span className="muted">— passes {facts.gpu.models.join(', ') || 'the GPU'} to minikube.</span></span>
                </label>
              ) : (
                <p className="field-hint" data-testid="gpu-not-offered">GPU acceleration is only offered on Linux with an NVIDIA GPU{facts ? '; this machine has none' : ''}.</p>
              )}
              {issueFor('gpu') && <p className="field-issue" role="alert">{issueFor('gpu')!.message}</p>}
            </fieldset>

            <fieldset className="card form-card">
              <legend className="form-legend">Downloads and access</legend>
              <Field id={ids.mirror} label="Mirror URL" hint="Every download goes through it (https://, http:// or file://). Leave empty for the official release locations." issue={issueFor('mirror')}>
                <input id={ids.mirror} name="mirror" type="url" value={form.mirror} placeholder="https://mirror.example.com/llm-d" onChange={(e) => set({ mirror: e.target.value })} aria-invalid={invalid('mirror')} aria-describedby={describedBy(ids.mirror, true, !!issueFor('mirror'))} />
              </Field>
              <div className="field">
                <label htmlFor={ids.token} className="field-label">Hugging Face token</label>
                <p className="token-state" data-testid="hf-token-state">
                  <Lock size={14} /> {view.hfTokenSet ? 'A token is stored' : 'No token stored'} <span className="muted">· kept by the engine ({view.secrets.backend}), never shown here</span>
                </p>
                <input id={ids.token} name="hfToken" type="password" autoComplete="off" value={token} placeholder={view.hfTokenSet ? 'Enter a new token to replace it' : 'hf_… (only for gated models)'} onChange={(e) => setToken(e.target.value)} disabled={removeToken} aria-describedby={`${ids.token}-hint`} />
                <p className="field-hint" id={`${ids.token}-hint`}>The models offered here are public; a token is only needed for gated ones.{view.secrets.warning ? ` ${view.secrets.warning}` : ''}</p>
                {view.hfTokenSet && (
                  <label className="check">
                    <input type="checkbox" checked={removeToken} onChange={(e) => setRemoveToken(e.target.checked)} />
                    <span>Remove the stored token when saving</span>
                  </label>
                )}
              </div>
            </fieldset>
          </div>

          <aside className="configure-aside" aria-labelledby="fit-heading">
            <section className={`card fit-card fit-${fit?.fit.level ?? 'unknown'}`} data-testid="live-fit" data-level={fit?.fit.level} aria-live="polite">
              <h2 id="fit-heading" className="section-title">Fit on this machine</h2>
              {!valid && result && <p className="small">Fix the {result.issues.length === 1 ? 'field' : `${result.issues.length} fields`} marked in red; the verdict follows.</p>}
              {warned && (
                <p className="small fit-rehearsal" data-testid="fit-rehearsal-note">
                  Rehearsal: the cluster is simulated, so a machine too small for these settings is only a warning. You can save them as they are.
                </p>
              )}
              {fit && (
                <>
                  <p className="fit-level"><LevelIcon level={fit.fit.level} size={20} /> {LEVEL_TEXT[fit.fit.level]}</p>
                  <p className="small">{fit.needs.replicas} × {fit.needs.perReplicaMemoryGiB} GiB replicas on the {fit.needs.driver} driver, {fit.needs.cpus} CPUs, {(fit.needs.memoryMiB / 1024).toFixed(fit.needs.memoryMiB % 1024 ? 1 : 0)} GiB, {fit.needs.diskGB} GB</p>
                  {/* First, under the verdict: the panel is taller than a laptop window, and this is what to do. */}
                  {suggested && (
                    <div className="fit-suggestion" data-testid="fit-suggestion">
                      <p className="small"><strong>Suggested:</strong> {suggestionText(suggested)}</p>
                      <button type="button" className="button small-button" onClick={() => set(formWithSuggestion(form, suggested))}>
                        Use the suggested values
                      </button>
                    </div>
                  )}
                  <ul className="fit-checks">
                    {fit.fit.checks.map((c) => (
                      <li key={c.resource} data-testid={`live-fit-${c.resource}`}>
                        <span className="fit-check-head"><span>{RESOURCE_NAMES[c.resource]}</span><LevelBadge level={c.level} /></span>
                        <span className="small muted">needs {c.need} · has {c.have}</span>
                        {c.advice && c.level !== 'fits' && <span className="small">{c.advice}</span>}
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </section>
          </aside>
        </div>

        <div className="actions configure-actions">
          <button type="button" className="button" onClick={() => go('prerequisites')}><ArrowLeft size={18} /> Back</button>
          <span className="spacer" />
          <span aria-live="polite" className="small">
            {saveError ? <span className="bad-text" role="alert">{saveError}</span> : savedAt ? <span className="ok-text">Saved</span> : !valid ? <span className="muted">Fix the marked fields to save</span> : warned ? <span className="warn-text">Saves with a rehearsal warning</span> : null}
          </span>
          <button type="button" className="button" disabled={!valid || saving} onClick={() => void onSave(false)}>Save</button>
          <button type="submit" className="button primary" disabled={!valid || saving}>Save and review the plan <ArrowRight size={18} /></button>
        </div>
      </form>
    </div>
  );
}
