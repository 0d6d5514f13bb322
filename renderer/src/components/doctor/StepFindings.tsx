// Under the Install page's "Stopped at" header, beside the failed step: the doctor, run on its own once per failed run, with what it
// found (the step's own error is already above it, so the "last run" rule is left out) and its fixes.
import { useEffect } from 'react';
import { findingsOf, useDoctor } from '../../stores/doctor.js';
import { DoctorResults, type ApplyFix } from './DoctorResults.js';

export function StepFindings({ runId, busy, onApply }: { runId: string | undefined; busy: boolean; onApply: ApplyFix }) {
  const { report, running, error, forRun, run } = useDoctor();
  useEffect(() => {
    if (runId && forRun !== runId) void run(runId);
  }, [runId, forRun, run]);
  if (!runId) return null;
  const findings = forRun === runId ? findingsOf(report).filter((r) => r.id !== 'last-run') : [];
  return (
    <div className="step-findings" data-testid="step-findings" aria-live="polite">
      {running && forRun === runId && <p className="small muted"><span className="spinner" aria-hidden="true" /> The doctor is looking at the cluster…</p>}
      {error && <p className="small bad-text">The doctor could not look: {error}</p>}
      {!running && forRun === runId && report && findings.length === 0 && <p className="small muted">The doctor found nothing more than this.</p>}
      {!running && findings.length > 0 && (
        <>
          <DoctorResults label="What the doctor found" results={findings} busy={busy} onApply={onApply} />
        </>
      )}
    </div>
  );
}
