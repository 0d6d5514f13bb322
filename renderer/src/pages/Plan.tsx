// Plan: the stack release and every image it will run (yours marked), then every step the install will
// take, in order, with the exact commands and manifests it will run — before anything runs (docs/architecture.md
// §1, "Dry run"). Everything is copyable.
import { useEffect } from 'react';
import type { PlanDescription } from '../../../shared/api/engine.js';
import { ArrowLeft, ChevronDown, Play, Refresh } from '../components/Icons.js';
import { CopyButton } from '../components/CopyButton.js';
import { PageHeader } from '../components/PageHeader.js';
import { PlanRelease } from '../components/release/PlanRelease.js';
import { PlanOverrides } from '../components/settings/PlanOverrides.js';
import { formatArgv } from '../shell-quote.js';
import { useInstall } from '../stores/install.js';
import { useReleases } from '../stores/releases.js';
import { useSettings } from '../stores/settings.js';
import { useWizard } from '../stores/wizard.js';

/** The whole plan as one text: what a person could keep or run by hand. */
export function planAsText(plan: PlanDescription): string {
  const out: string[] = [
    `# Stack release: ${plan.release.title} [${plan.release.id}] — upstream ${plan.release.upstreamVersion}, ${plan.release.date}; linux/${plan.arch}, ${plan.accelerator}`,
    ...plan.images.map((i) => `#   ${i.label}: ${i.ref}${i.overridden ? ` (your override of ${i.defaultRef})` : ''}${i.vllmVersion ? ` · vLLM ${i.vllmVersion}` : ''}`),
    '',
  ];
  plan.steps.forEach((s, i) => {
    out.push(`# ${i + 1}. ${s.title} [${s.id}]${s.needs.length ? ` (after ${s.needs.join(', ')})` : ''}`);
    for (const n of s.notes) out.push(`#    ${n}`);
    for (const c of s.commands) out.push(formatArgv(c));
    for (const m of s.manifests) out.push(`# manifest ${m.name}:`, ...m.yaml.trimEnd().split('\n').map((l) => `#   ${l}`));
    out.push('');
  });
  return out.join('\n');
}

export function Plan() {
  const { plan, planError, planLoading, loadPlan, run, active, actionError } = useInstall();
  const settings = useSettings((s) => s.view?.settings);
  const loadSettings = useSettings((s) => s.load);
  // Only for naming the defaults beside an override: the view Configure loaded, if it is for these settings.
  const releases = useReleases();
  const savedRelease = settings && releases.gpu === settings.gpu ? releases.view?.releases.find((r) => r.id === settings.release) : undefined;
  const go = useWizard((s) => s.go);

  useEffect(() => {
    // The plan follows the saved settings: ask again each time the page opens.
    void loadPlan();
    void loadSettings();
  }, [loadPlan, loadSettings]);

  const titles = new Map(plan?.steps.map((s) => [s.id, s.title]));
  const commandCount = plan?.steps.reduce((n, s) => n + s.commands.length, 0) ?? 0;
  const manifestCount = plan?.steps.reduce((n, s) => n + s.manifests.length, 0) ?? 0;

  const start = async () => {
    if (await run()) go('install');
  };

  return (
    <div className="page-inner">
      <PageHeader eyebrow="Step 5" title="Plan">
        Every step the install will take and the exact commands and manifests it will run. Nothing has run yet.
      </PageHeader>

      {planError && <div className="callout callout-error" role="alert"><p><strong>The plan could not be made:</strong> {planError}</p></div>}
      {planLoading && !plan && <p className="loading"><span className="spinner" aria-hidden="true" /> Working out the plan…</p>}

      {plan && (
        <>
          <PlanRelease plan={plan} />

          <section className="summary-strip" data-testid="plan-summary">
            <div>
              <p className="summary-title">{plan.steps.length} steps · {commandCount} commands · {manifestCount} manifests</p>
              {settings && (
                <p className="muted small">
                  {settings.replicas} × {settings.model} · {settings.cpus} CPUs · {settings.memoryMiB} MiB · {settings.diskGB} GB · driver {settings.driver}
                  {settings.monitoring ? ' · monitoring' : ' · no monitoring'}
                  {settings.imageCache ? ' · images kept on this computer' : ' · images not kept'}
                  {settings.modelCache ? ' · one shared model download' : ' · model downloaded per replica'}
                </p>
              )}
              {settings && <PlanOverrides settings={settings} release={savedRelease} />}
            </div>
            <span className="spacer" />
            <CopyButton text={planAsText(plan)} label="Copy the whole plan" />
          </section>

          <ol className="plan-steps">
            {plan.steps.map((s, i) => (
              <li key={s.id} className="card plan-step" data-testid={`plan-step-${s.id}`}>
                <div className="plan-step-head">
                  <span className="plan-num" aria-hidden="true">{i + 1}</span>
                  <div className="plan-step-title">
                    <h2>{s.title}</h2>
                    <p className="muted small">
                      <code>{s.id}</code>
                      {s.needs.length > 0 && <> · after {s.needs.map((n) => titles.get(n) ?? n).join(', ')}</>}
                    </p>
                  </div>
                </div>
                {s.notes.length > 0 && <ul className="plan-notes">{s.notes.map((n) => <li key={n}>{n}</li>)}</ul>}
                {s.commands.length > 0 && (
                  <div className="code-block">
                    <div className="code-head">
                      <span className="small muted">{s.commands.length} {s.commands.length === 1 ? 'command' : 'commands'}</span>
                      <CopyButton text={s.commands.map(formatArgv).join('\n')} what={`the commands of ${s.title}`} />
                    </div>
                    <pre tabIndex={0} aria-label={`Commands of ${s.title}`}><code>{s.commands.map((c) => `$ ${formatArgv(c)}`).join('\n')}</code></pre>
                  </div>
                )}
                {s.manifests.map((m) => (
                  <details key={m.name} className="manifest">
                    <summary><ChevronDown size={16} /> Manifest <code>{m.name}</code> <span className="muted small">({m.yaml.trimEnd().split('\n').length} lines)</span></summary>
                    <div className="code-block">
                      <div className="code-head"><span className="small muted">{m.name}</span><CopyButton text={m.yaml} what={`manifest ${m.name}`} /></div>
                      <pre tabIndex={0} aria-label={`Manifest ${m.name}`}><code>{m.yaml}</code></pre>
                    </div>
                  </details>
                ))}
                {s.commands.length === 0 && s.manifests.length === 0 && s.notes.length === 0 && <p className="muted small">Checks only; changes nothing.</p>}
              </li>
            ))}
          </ol>
        </>
      )}

      {actionError && <div className="callout callout-error" role="alert"><p>{actionError}</p></div>}

      <div className="actions">
        <button type="button" className="button" onClick={() => go('configure')}><ArrowLeft size={18} /> Back to Configure</button>
        <button type="button" className="button" onClick={() => void loadPlan()}><Refresh size={18} /> Refresh</button>
        <span className="spacer" />
        {active ? (
          <button type="button" className="button primary" onClick={() => go('install')}>A run is in progress — watch it</button>
        ) : (
          <button type="button" className="button primary" disabled={!plan} onClick={() => void start()}><Play size={16} /> Start the install</button>
        )}
      </div>
    </div>
  );
}
