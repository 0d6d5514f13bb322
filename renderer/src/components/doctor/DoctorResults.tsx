// The doctor's results: each rule as passed / a finding / not applicable. A finding says what is wrong in
// plain words, shows the evidence that proved it (the pod, event or log lines, with their time) behind a
// disclosure, and offers its fixes: a button that says exactly what it will change before the install
// runs again, or commands to copy. A fix that recreates the cluster asks first, naming what is lost, and
// only that agreement lets the engine delete it (doctor.fix deleteCluster).
import { useState } from 'react';
import type { DoctorFix, RuleResult } from '../../../../shared/api/doctor.js';
import { formatArgv } from '../../shell-quote.js';
import { ConfirmDialog } from '../ConfirmDialog.js';
import { CopyButton } from '../CopyButton.js';
import { AlertTriangle, CheckCircle, ChevronDown, MinusCircle, Play, XCircle } from '../Icons.js';
import '../../styles/doctor.css';

const OUTCOME_TEXT = { passed: 'Passed', 'not-applicable': 'Not applicable', error: 'Could not check' } as const;
const SEVERITY_TEXT = { error: 'Problem', warning: 'Warning', info: 'Note' } as const;

function Icon({ r }: { r: RuleResult }) {
  if (r.outcome === 'finding') return r.finding!.severity === 'info' ? <AlertTriangle size={18} className="muted" /> : r.finding!.severity === 'warning' ? <AlertTriangle size={18} className="warn-text" /> : <XCircle size={18} className="bad-text" />;
  if (r.outcome === 'passed') return <CheckCircle size={18} className="ok-text" />;
  return <MinusCircle size={18} className="muted" />;
}

/** How a fix is applied: its `rule:fix`, and whether the person agreed to lose the cluster it recreates. */
export type ApplyFix = (ref: string, opts?: { deleteCluster: true }) => void;

function Fix({ rule, fix, busy, onApply }: { rule: string; fix: DoctorFix; busy: boolean; onApply: ApplyFix }) {
  const [confirming, setConfirming] = useState(false);
  if (fix.kind === 'settings') {
    const ref = `${rule}:${fix.id}`;
    return (
      <div className="doctor-fix" data-testid={`fix-${rule}-${fix.id}`}>
        <p className="small">{fix.does}</p>
        <button type="button" className={`button small-button ${fix.recreatesCluster ? 'danger' : 'primary'}`} disabled={busy}
          onClick={() => (fix.recreatesCluster ? setConfirming(true) : onApply(ref))}>
          <Play size={15} /> {fix.label}
        </button>
        {fix.recreatesCluster && (
          <ConfirmDialog open={confirming} title="Delete the cluster and create it again?" confirmLabel="Delete and recreate" danger
            onCancel={() => setConfirming(false)}
            onConfirm={() => { setConfirming(false); onApply(ref, { deleteCluster: true }); }}>
            <p>{fix.does}</p>
            <p>minikube cannot resize a cluster. What was deployed in it cannot be brought back; the install puts the stack in again.</p>
          </ConfirmDialog>
        )}
      </div>
    );
  }
  // Quoted as a shell reads them, so what is copied runs as the argv the rule gave (a JSON patch's quotes survive).
  const text = fix.commands.map(formatArgv).join('\n');
  return (
    <div className="doctor-fix" data-testid={`fix-${rule}-${fix.id}`}>
      <p className="small"><strong>{fix.label}:</strong></p>
      <pre className="command-block" tabIndex={0} aria-label={`Commands: ${fix.label}`}><code>{text}</code></pre>
      <CopyButton text={text} what={`the commands to ${fix.label.toLowerCase()}`} />
    </div>
  );
}

export function DoctorResult({ r, busy, onApply }: { r: RuleResult; busy: boolean; onApply: ApplyFix }) {
  const [open, setOpen] = useState(false);
  const f = r.finding;
  return (
    <li className={`doctor-result outcome-${r.outcome}${f ? ` severity-${f.severity}` : ''}`} data-testid={`doctor-${r.id}`} data-outcome={r.outcome}>
      <div className="doctor-result-head">
        <Icon r={r} />
        <div className="doctor-result-text">
          <p className="doctor-rule">{r.title} <span className="muted small">· {f ? SEVERITY_TEXT[f.severity] : OUTCOME_TEXT[r.outcome as keyof typeof OUTCOME_TEXT]}</span></p>
          {f ? <p className="doctor-summary">{f.summary}</p> : r.note ? <p className="muted small">{r.note}</p> : null}
        </div>
      </div>
      {f && f.evidence.length > 0 && (
        <div className="doctor-evidence">
          <button type="button" className="disclosure small" aria-expanded={open} onClick={() => setOpen(!open)}>
            <ChevronDown size={14} /> Evidence ({f.evidence.length})
          </button>
          {open && f.evidence.map((e, i) => (
            <div key={i} className="evidence-item">
              <p className="small"><code>{e.source}</code>{e.at ? <span className="muted"> · {new Date(e.at).toLocaleString()}</span> : null}</p>
              {e.lines.length > 0 && <pre className="evidence-lines" tabIndex={0} aria-label={`Evidence from ${e.source}`}>{e.lines.join('\n')}</pre>}
            </div>
          ))}
        </div>
      )}
      {f && f.fixes.length > 0 && <div className="doctor-fixes">{f.fixes.map((x) => <Fix key={x.id} rule={r.id} fix={x} busy={busy} onApply={onApply} />)}</div>}
    </li>
  );
}

export function DoctorResults({ results, busy, onApply, label }: { results: RuleResult[]; busy: boolean; onApply: ApplyFix; label: string }) {
  return (
    <ul className="doctor-results" aria-label={label}>
      {results.map((r) => <DoctorResult key={r.id} r={r} busy={busy} onApply={onApply} />)}
    </ul>
  );
}
