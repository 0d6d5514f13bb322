// Install: the step timeline (pending / running / done / failed / skipped, with durations), overall
// progress with an honest ETA, a terminal per step and one for all steps (replayed when the page opens
// again), Cancel, Retry of a failed step, and Resume after the app restarted mid-run.
import { useEffect, useMemo, useState } from 'react';
import type { StepProgress } from '../../../shared/api/engine.js';
import { ArrowLeft, ArrowRight, CheckCircle, Clock, Play, Refresh, Stop } from '../components/Icons.js';
import { PageHeader } from '../components/PageHeader.js';
import { StepFindings } from '../components/doctor/StepFindings.js';
import { ImageFailure } from '../components/release/ImageFailure.js';
import { STEP_STATE_TEXT, StepStateIcon } from '../components/StepStateBadge.js';
import { Terminal } from '../components/terminal/Terminal.js';
import { estimateRemainingMs, formatDuration, formatEta } from '../eta.js';
import { useInstall } from '../stores/install.js';
import { useLogs } from '../stores/logs.js';
import { useSettings } from '../stores/settings.js';
import { useWizard } from '../stores/wizard.js';
import { hasPage } from './index.js';

function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [active]);
  return now;
}

const stepMs = (s: StepProgress, now: number): number | undefined =>
  s.startedAt ? (s.endedAt ? Date.parse(s.endedAt) : now) - Date.parse(s.startedAt) : undefined;

export function Install() {
  const { plan, progress, journal, previousJournal, active, outcome, actionError, loadPlan, loadJournal, run, resume, cancel, applyFix } = useInstall();
  const logs = useLogs((s) => s.steps);
  const all = useLogs((s) => s.all);
  const allEpoch = useLogs((s) => s.allEpoch);
  const go = useWizard((s) => s.go);
  const showAdvanced = useSettings((s) => s.showAdvanced);
  const [view, setView] = useState<string>('all');
  const now = useNow(active !== undefined);

  useEffect(() => {
    void loadJournal();
    if (!plan) void loadPlan();
  }, [loadJournal, loadPlan, plan]);

  // Replay each step's buffer once the step list is known (lines that arrived while away are kept anyway).
  const stepIds = useMemo(() => (progress?.steps ?? plan?.steps ?? []).map((s) => s.id), [progress, plan]);
  useEffect(() => {
    for (const id of stepIds) if (!useLogs.getState().steps[id]) void useLogs.getState().load(id);
  }, [stepIds]);

  const titles = new Map(plan?.steps.map((s) => [s.id, s.title]));
  const steps: StepProgress[] = progress?.steps ?? plan?.steps.map((s) => ({ id: s.id, state: 'pending' as const })) ?? [];
  const journalSteps = new Map(journal?.journal?.runId === progress?.runId ? journal?.journal?.steps.map((s) => [s.id, s]) : []);
  const finished = steps.filter((s) => s.state === 'done' || s.state === 'skipped').length;
  const fraction = progress?.fraction ?? 0;
  const remaining = active ? estimateRemainingMs(steps, previousJournal?.journal, now) : undefined;
  const failed = steps.find((s) => s.state === 'failed');
  const kind = active?.kind ?? outcome?.kind ?? journal?.journal?.kind ?? 'up';
  const interrupted = !active && journal?.interrupted === true && journal.resumable;
  const canRetry = !active && !interrupted && journal?.resumable === true && failed !== undefined;
  const succeeded = !active && (outcome?.state === 'succeeded' || (!outcome && journal?.journal?.status === 'succeeded' && journal.journal.runId === progress?.runId));
  const cancelled = !active && !interrupted && journal?.journal?.status === 'cancelled' && journal.resumable;
  const neverRan = !progress && !active;
  const title = (id: string) => titles.get(id) ?? id;

  const viewLog = view === 'all' ? undefined : logs[view];
  const allLines = useMemo(() => all.map((l) => l.line), [all]);
  const allIds = useMemo(() => all.map((l) => l.stepId), [all]);

  return (
    <div className="page-inner">
      <PageHeader eyebrow="Step 6" title={kind === 'down' ? 'Teardown' : 'Install'}>
        {kind === 'down' ? 'Taking the setup down, step by step.' : 'Each step of the plan, live: what runs, what it prints, and how long it takes.'}
      </PageHeader>

      {interrupted && (
        <div className="callout callout-warn" data-testid="resume-offer">
          <p className="callout-title"><Clock size={16} /> The last {journal?.journal?.kind === 'down' ? 'teardown' : 'install'} was interrupted</p>
          <p>The app stopped while it was running{journal?.journal ? ` (${journal.journal.steps.filter((s) => s.state === 'done' || s.state === 'skipped').length} of ${journal.journal.steps.length} steps finished)` : ''}. Resume continues where it stopped; finished steps are not repeated.</p>
          <div className="actions"><button type="button" className="button primary" onClick={() => void resume()}><Play size={16} /> Resume</button></div>
        </div>
      )}

      {outcome?.state === 'failed' && !active && !failed && (
        <div className="callout callout-error" role="alert"><p><strong>The run failed:</strong> {outcome.message ?? 'see the log.'}</p></div>
      )}
      {cancelled && (
        <div className="callout callout-warn" data-testid="cancelled-note">
          <p className="callout-title">Cancelled</p>
          <p>The run was stopped and its tools ended. Resume carries on from the step that was interrupted.</p>
          <div className="actions"><button type="button" className="button" onClick={() => void resume()}><Play size={16} /> Resume</button></div>
        </div>
      )}
      {succeeded && (
        <div className="callout callout-ok" data-testid="run-succeeded">
          <p className="callout-title"><CheckCircle size={16} /> {kind === 'down' ? 'Teardown finished' : 'Install finished'}</p>
          <p>{kind === 'down' ? 'What you chose to remove is gone.' : 'Every step is done. The Cluster page shows the pods; the Playground lets you chat.'}</p>
        </div>
      )}
      {actionError && <div className="callout callout-error" role="alert"><p>{actionError}</p></div>}

      <section className="card run-overview" aria-labelledby="overall-heading" data-testid="overall">
        <div className="run-overview-head">
          <h2 id="overall-heading" className={`section-title${failed && !active ? ' bad-text' : ''}`}>
            {active ? (kind === 'down' ? 'Tearing down' : 'Installing') : neverRan ? 'Ready to start' : failed ? `Stopped at “${title(failed.id)}”` : 'Last run'}
          </h2>
          <span className="muted small" data-testid="overall-count">{finished} of {steps.length} steps finished</span>
          <span className="spacer" />
          {active && <span className="small" data-testid="eta">{remaining === undefined ? 'Estimating time left after the first step…' : remaining === 0 ? 'Finishing…' : `${formatEta(remaining)} left`}</span>}
        </div>
        <progress className="overall-progress" max={100} value={Math.round(fraction * 100)} aria-label={`Overall progress ${Math.round(fraction * 100)}%`} />
        <div className="actions">
          {active ? (
            <button type="button" className="button" onClick={() => void cancel()} data-testid="cancel-run"><Stop size={16} /> Cancel</button>
          ) : neverRan ? (
            <button type="button" className="button primary" disabled={!plan} onClick={() => void run()}><Play size={16} /> Start the install</button>
          ) : !interrupted && !canRetry && !cancelled ? (
            <button type="button" className="button" onClick={() => void run()}><Refresh size={16} /> Run the plan again</button>
          ) : null}
        </div>
      </section>

      {!active && failed && journal?.journal?.status === 'failed' && journalSteps.get(failed.id)?.error?.code !== 'IMAGE_UNAVAILABLE' && (
        <section className="card doctor-card" aria-labelledby="doctor-findings-heading">
          <h2 id="doctor-findings-heading" className="section-title">Why “{title(failed.id)}” stopped</h2>
          <StepFindings runId={journal.journal.runId} busy={false} onApply={(ref) => void applyFix(ref)} />
        </section>
      )}

      <div className="install-grid">
        <section aria-labelledby="timeline-heading" className="timeline-wrap">
          <h2 id="timeline-heading" className="section-title">Steps</h2>
          <ol className="timeline" data-testid="timeline">
            {steps.map((s) => {
              const d = stepMs(s, now);
              const err = s.state === 'failed' ? journalSteps.get(s.id)?.error : undefined;
              return (
                <li key={s.id} className={`timeline-item state-${s.state}${view === s.id ? ' is-selected' : ''}`} data-testid={`step-${s.id}`} data-state={s.state}>
                  <button type="button" className="timeline-button" onClick={() => setView(s.id)} aria-pressed={view === s.id} aria-label={`${title(s.id)}: ${STEP_STATE_TEXT[s.state]}${d !== undefined ? `, ${formatDuration(d)}` : ''}. Show its log`}>
                    <span className="timeline-icon"><StepStateIcon state={s.state} /></span>
                    <span className="timeline-text">
                      <span className="timeline-title">{title(s.id)}</span>
                      <span className="timeline-meta">{STEP_STATE_TEXT[s.state]}{d !== undefined ? ` · ${formatDuration(d)}` : ''}</span>
                    </span>
                  </button>
                  {s.state === 'failed' && (
                    <div className="step-failure" data-testid="step-failure">
                      {err?.code === 'IMAGE_UNAVAILABLE' ? (
                        // The preflight's report rides in the error's details (when the journal kept them).
                        <ImageFailure message={err.message} hint={err.hint} details={'details' in err ? err.details : undefined} onFix={(role) => { showAdvanced(role); go('configure'); }} />
                      ) : (
                        <>
                          <p>{err?.message ?? s.message ?? 'The step failed; its log says why.'}</p>
                          {err?.hint && <p><strong>What to do:</strong> {err.hint}</p>}
                        </>
                      )}
                      {canRetry && failed?.id === s.id && (
                        <button type="button" className="button small-button primary" onClick={() => void resume()}><Refresh size={15} /> Retry {title(s.id)}</button>
                      )}
                    </div>
                  )}
                </li>
              );
            })}
          </ol>
        </section>

        <div className="terminal-wrap">
          <div className="segmented terminal-switch" role="group" aria-label="Which log to show">
            <button type="button" className={`segment${view === 'all' ? ' is-checked' : ''}`} aria-pressed={view === 'all'} onClick={() => setView('all')}>All steps</button>
            {view !== 'all' && <button type="button" className="segment is-checked" aria-pressed="true">{title(view)}</button>}
          </div>
          {view === 'all' ? (
            <Terminal key="all" label="Log of all steps" lines={allLines} stepIds={allIds} epoch={allEpoch} height={380} testId="terminal-all" />
          ) : (
            <Terminal key={view} label={`Log of ${title(view)}`} lines={viewLog?.lines ?? []} epoch={viewLog?.epoch ?? 0} height={380} testId={`terminal-${view}`} />
          )}
        </div>
      </div>

      <div className="actions">
        <button type="button" className="button" onClick={() => go('plan')}><ArrowLeft size={18} /> Plan</button>
        <span className="spacer" />
        {hasPage('cluster') && <button type="button" className={`button${succeeded && kind === 'up' ? ' primary' : ''}`} onClick={() => go('cluster')}>Cluster <ArrowRight size={18} /></button>}
      </div>
    </div>
  );
}
