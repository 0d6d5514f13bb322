// Teardown (opened from Manage, highlighted under it in the rail): the teardown's own steps — only those
// with something to undo, in the order they are undone — their logs, its own count and outcome, and what
// fits after it: back to the start, install again, or tear down again from Manage.
import { useEffect, useState } from 'react';
import type { StepProgress } from '../../../shared/api/engine.js';
import { ArrowLeft, CheckCircle, Clock, Play, Stop } from '../components/Icons.js';
import { PageHeader } from '../components/PageHeader.js';
import { RunGrid } from '../components/run/RunGrid.js';
import { useNow } from '../components/run/use-now.js';
import { countText, runView } from '../run-view.js';
import { useInstall } from '../stores/install.js';
import { useWizard } from '../stores/wizard.js';

export function Teardown() {
  const { plan, progress, journal, active, outcome, actionError, loadPlan, loadJournal, run, cancel } = useInstall();
  const go = useWizard((s) => s.go);
  const [view, setView] = useState<string>('all');
  const now = useNow(active !== undefined);

  useEffect(() => {
    void loadJournal();
    if (!plan) void loadPlan();
  }, [loadJournal, loadPlan, plan]);

  const v = runView({ ...(progress ? { progress } : {}), ...(journal ? { journal } : {}), ...(active ? { active } : {}), ...(outcome ? { outcome } : {}) }, 'down');
  const titles = new Map(plan?.steps.map((s) => [s.id, s.title]));
  // The engine logs "Undoing: <title>" for each step; the list says the same.
  const title = (id: string) => `Undo: ${titles.get(id) ?? id}`;
  const journalSteps = new Map(journal?.journal?.runId === progress?.runId ? journal?.journal?.steps.map((s) => [s.id, s]) : []);
  const fraction = v.ran ? (progress?.fraction ?? 0) : 0;

  const failure = (s: StepProgress) => {
    const err = journalSteps.get(s.id)?.error;
    return (
      <>
        <p>{err?.message ?? s.message ?? 'The step failed; its log says why.'}</p>
        {err?.hint && <p><strong>What to do:</strong> {err.hint}</p>}
      </>
    );
  };
  const installAgain = () => void run().then((ok) => ok && go('install'));

  return (
    <div className="page-inner">
      <PageHeader eyebrow="Manage" title="Teardown">
        Taking the setup down, step by step: only what has something to undo is listed.
      </PageHeader>

      {v.other && (
        <div className="callout callout-info" data-testid="other-run">
          <p>{v.other.running ? 'An install is running; it is not a teardown.' : 'No teardown has run since the last install.'} Manage takes the setup down.</p>
          <div className="actions"><button type="button" className="button" onClick={() => go(v.other?.running ? 'install' : 'manage')}>{v.other.running ? 'Show the install' : 'Go to Manage'}</button></div>
        </div>
      )}
      {!v.ran && !v.other && (
        <div className="callout callout-info" data-testid="no-teardown">
          <p>No teardown has run yet. Manage takes the setup down as far as you choose.</p>
          <div className="actions"><button type="button" className="button" onClick={() => go('manage')}>Go to Manage</button></div>
        </div>
      )}

      {v.phase === 'succeeded' && (
        <div className="callout callout-ok" data-testid="run-succeeded">
          <p className="callout-title"><CheckCircle size={16} /> Teardown finished</p>
          <p>What you chose to remove is gone. The tools, your settings and the logs stay.</p>
        </div>
      )}
      {v.phase === 'failed' && (
        <div className="callout callout-error" role="alert" data-testid="teardown-failed">
          <p><strong>The teardown stopped</strong>{v.failedStep ? ` at “${title(v.failedStep.id)}”` : ''}: {v.failedStep ? 'its log says why.' : (v.failureMessage ?? 'see the log.')}</p>
        </div>
      )}
      {(v.phase === 'cancelled' || v.phase === 'interrupted') && (
        <div className="callout callout-warn" data-testid="teardown-stopped">
          <p className="callout-title"><Clock size={16} /> {v.phase === 'cancelled' ? 'Teardown cancelled' : 'The last teardown was interrupted'}</p>
          <p>Part of the setup may still be there ({countText(v)}). Tearing down again finishes the job; what is already gone costs nothing.</p>
        </div>
      )}
      {actionError && <div className="callout callout-error" role="alert"><p>{actionError}</p></div>}

      {v.ran && (
        <section className="card run-overview" aria-labelledby="overall-heading" data-testid="overall">
          <div className="run-overview-head">
            <h2 id="overall-heading" className={`section-title${v.phase === 'failed' ? ' bad-text' : ''}`}>
              {v.phase === 'running' ? 'Tearing down' : v.phase === 'succeeded' ? 'Torn down' : 'Last teardown'}
            </h2>
            <span className="muted small" data-testid="overall-count">{countText(v)}</span>
          </div>
          <progress className="overall-progress" max={100} value={Math.round(fraction * 100)} aria-label={`Overall progress ${Math.round(fraction * 100)}%`} />
          <div className="actions">
            {v.phase === 'running' ? (
              <button type="button" className="button" onClick={() => void cancel()} data-testid="cancel-run"><Stop size={16} /> Cancel</button>
            ) : v.phase === 'succeeded' ? (
              <>
                <button type="button" className="button primary" onClick={() => go('welcome')}>Back to the start</button>
                <button type="button" className="button" onClick={installAgain}><Play size={16} /> Install again</button>
              </>
            ) : (
              <button type="button" className="button primary" onClick={() => go('manage')}>Tear down again…</button>
            )}
          </div>
        </section>
      )}

      {v.ran && (
        <RunGrid kind="down" steps={v.steps} title={title} selected={view} onSelect={setView} now={now} failure={failure} empty="Starting the teardown…" />
      )}

      <div className="actions">
        <button type="button" className="button" onClick={() => go('manage')}><ArrowLeft size={18} /> Manage</button>
      </div>
    </div>
  );
}
