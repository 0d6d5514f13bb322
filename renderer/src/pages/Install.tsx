// Install: the step timeline (pending / running / done / failed / skipped, with durations), overall
// progress with an honest ETA, a terminal per step and one for all steps (replayed when the page opens
// again), Cancel, Retry of a failed step, and Resume after the app restarted mid-run. What it shows
// comes from runView (run-view.ts); a teardown has its own page (Teardown.tsx).
import { useEffect, useState } from 'react';
import type { StepProgress } from '../../../shared/api/engine.js';
import { ArrowLeft, ArrowRight, CheckCircle, Clock, Play, Refresh, Stop } from '../components/Icons.js';
import { PageHeader } from '../components/PageHeader.js';
import { StepFindings } from '../components/doctor/StepFindings.js';
import { ImageFailure } from '../components/release/ImageFailure.js';
import { RunGrid } from '../components/run/RunGrid.js';
import { useNow } from '../components/run/use-now.js';
import { estimateRemainingMs, formatEta } from '../eta.js';
import { countText, runView } from '../run-view.js';
import { useInstall } from '../stores/install.js';
import { useSettings } from '../stores/settings.js';
import { useWizard } from '../stores/wizard.js';

export function Install() {
  const { plan, progress, journal, previousJournal, active, outcome, actionError, loadPlan, loadJournal, run, resume, cancel, applyFix } = useInstall();
  const go = useWizard((s) => s.go);
  const showAdvanced = useSettings((s) => s.showAdvanced);
  const [view, setView] = useState<string>('all');
  const now = useNow(active !== undefined);

  useEffect(() => {
    void loadJournal();
    if (!plan) void loadPlan();
  }, [loadJournal, loadPlan, plan]);

  const v = runView({ ...(plan ? { planSteps: plan.steps } : {}), ...(progress ? { progress } : {}), ...(journal ? { journal } : {}), ...(active ? { active } : {}), ...(outcome ? { outcome } : {}) }, 'up');
  const titles = new Map(plan?.steps.map((s) => [s.id, s.title]));
  const title = (id: string) => titles.get(id) ?? id;
  const journalSteps = new Map(v.ran && journal?.journal?.runId === progress?.runId ? journal?.journal?.steps.map((s) => [s.id, s]) : []);
  const fraction = v.phase === 'running' || v.ran ? (progress?.fraction ?? 0) : 0;
  const remaining = v.phase === 'running' ? estimateRemainingMs(v.steps, previousJournal?.journal, now) : undefined;
  const canRetry = v.phase === 'failed' && v.failedStep !== undefined && v.resumable;
  const failedId = v.failedStep?.id;

  const failure = (s: StepProgress) => {
    const err = journalSteps.get(s.id)?.error;
    return (
      <>
        {err?.code === 'IMAGE_UNAVAILABLE' ? (
          // The preflight's report rides in the error's details (when the journal kept them).
          <ImageFailure message={err.message} hint={err.hint} details={'details' in err ? err.details : undefined} onFix={(role) => { showAdvanced(role); go('configure'); }} />
        ) : (
          <>
            <p>{err?.message ?? s.message ?? 'The step failed; its log says why.'}</p>
            {err?.hint && <p><strong>What to do:</strong> {err.hint}</p>}
          </>
        )}
        {canRetry && failedId === s.id && (
          <button type="button" className="button small-button primary" onClick={() => void resume()}><Refresh size={15} /> Retry {title(s.id)}</button>
        )}
      </>
    );
  };

  return (
    <div className="page-inner">
      <PageHeader eyebrow="Step 6" title="Install">
        Each step of the plan, live: what runs, what it prints, and how long it takes.
      </PageHeader>

      {v.other && (
        <div className="callout callout-info" data-testid="other-run">
          <p>{v.other.running ? 'A teardown is running.' : 'The last run was a teardown.'} Its steps and outcome are on the Teardown page.</p>
          <div className="actions"><button type="button" className="button" onClick={() => go('teardown')}>Show the teardown <ArrowRight size={16} /></button></div>
        </div>
      )}

      {v.phase === 'interrupted' && (
        <div className="callout callout-warn" data-testid="resume-offer">
          <p className="callout-title"><Clock size={16} /> The last install was interrupted</p>
          <p>The app stopped while it was running ({countText(v)}). Resume continues where it stopped; finished steps are not repeated.</p>
          <div className="actions"><button type="button" className="button primary" onClick={() => void resume()}><Play size={16} /> Resume</button></div>
        </div>
      )}

      {v.phase === 'failed' && !v.failedStep && (
        <div className="callout callout-error" role="alert"><p><strong>The run failed:</strong> {v.failureMessage ?? 'see the log.'}</p></div>
      )}
      {v.phase === 'cancelled' && v.resumable && (
        <div className="callout callout-warn" data-testid="cancelled-note">
          <p className="callout-title">Cancelled</p>
          <p>The run was stopped and its tools ended. Resume carries on from the step that was interrupted.</p>
          <div className="actions"><button type="button" className="button" onClick={() => void resume()}><Play size={16} /> Resume</button></div>
        </div>
      )}
      {v.phase === 'succeeded' && (
        <div className="callout callout-ok" data-testid="run-succeeded">
          <p className="callout-title"><CheckCircle size={16} /> Install finished</p>
          <p>Every step is done. The Cluster page shows the pods; the Playground lets you chat.</p>
        </div>
      )}
      {actionError && <div className="callout callout-error" role="alert"><p>{actionError}</p></div>}

      <section className="card run-overview" aria-labelledby="overall-heading" data-testid="overall">
        <div className="run-overview-head">
          <h2 id="overall-heading" className={`section-title${v.phase === 'failed' && v.failedStep ? ' bad-text' : ''}`}>
            {v.phase === 'running' ? 'Installing' : !v.ran ? 'Ready to start' : v.failedStep ? `Stopped at “${title(v.failedStep.id)}”` : 'Last run'}
          </h2>
          <span className="muted small" data-testid="overall-count">{countText(v)}</span>
          <span className="spacer" />
          {v.phase === 'running' && <span className="small" data-testid="eta">{remaining === undefined ? 'Estimating time left after the first step…' : remaining === 0 ? 'Finishing…' : `${formatEta(remaining)} left`}</span>}
        </div>
        <progress className="overall-progress" max={100} value={Math.round(fraction * 100)} aria-label={`Overall progress ${Math.round(fraction * 100)}%`} />
        <div className="actions">
          {v.phase === 'running' ? (
            <button type="button" className="button" onClick={() => void cancel()} data-testid="cancel-run"><Stop size={16} /> Cancel</button>
          ) : !v.ran ? (
            <button type="button" className="button primary" disabled={!plan || v.other?.running === true} onClick={() => void run()}><Play size={16} /> Start the install</button>
          ) : v.phase !== 'interrupted' && !canRetry && !(v.phase === 'cancelled' && v.resumable) ? (
            <button type="button" className="button" onClick={() => void run()}><Refresh size={16} /> Run the plan again</button>
          ) : null}
        </div>
      </section>

      {v.phase === 'failed' && v.failedStep && journal?.journal?.status === 'failed' && journalSteps.get(v.failedStep.id)?.error?.code !== 'IMAGE_UNAVAILABLE' && (
        <section className="card doctor-card" aria-labelledby="doctor-findings-heading">
          <h2 id="doctor-findings-heading" className="section-title">Why “{title(v.failedStep.id)}” stopped</h2>
          <StepFindings runId={journal.journal.runId} busy={false} onApply={(ref, opts) => void applyFix(ref, opts)} />
        </section>
      )}

      <RunGrid kind="up" steps={v.steps} title={title} selected={view} onSelect={setView} now={now} failure={failure} empty="Loading the plan…" />

      <div className="actions">
        <button type="button" className="button" onClick={() => go('plan')}><ArrowLeft size={18} /> Plan</button>
        <span className="spacer" />
        {/* The Cluster page always exists; asking pages/index.ts would make this page import the table that lazily imports it (a cycle). */}
        <button type="button" className={`button${v.phase === 'succeeded' ? ' primary' : ''}`} onClick={() => go('cluster')}>Cluster <ArrowRight size={18} /></button>
      </div>
    </div>
  );
}
