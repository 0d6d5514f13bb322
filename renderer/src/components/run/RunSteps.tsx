// The step timeline of a run (install or teardown): each step's state in the run's own words, its
// duration, a button that shows its log, and what the page puts under a failed step.
import type { ReactNode } from 'react';
import type { StepProgress } from '../../../../shared/api/engine.js';
import { formatDuration } from '../../eta.js';
import { stepStateText, type RunKind } from '../../run-view.js';
import { StepStateIcon } from '../StepStateBadge.js';

const stepMs = (s: StepProgress, now: number): number | undefined =>
  s.startedAt ? (s.endedAt ? Date.parse(s.endedAt) : now) - Date.parse(s.startedAt) : undefined;

export interface RunStepsProps {
  kind: RunKind;
  steps: readonly StepProgress[];
  title: (id: string) => string;
  selected: string;
  onSelect: (id: string) => void;
  now: number;
  /** What to show under a failed step (its error, a fix, Retry). */
  failure: (step: StepProgress) => ReactNode;
  /** Shown instead of an empty list (e.g. a teardown before its first event). */
  empty: string;
}

export function RunSteps({ kind, steps, title, selected, onSelect, now, failure, empty }: RunStepsProps) {
  if (steps.length === 0) return <p className="muted small" data-testid="timeline-empty">{empty}</p>;
  return (
    <ol className="timeline" data-testid="timeline">
      {steps.map((s) => {
        const d = stepMs(s, now);
        const text = stepStateText(kind, s.state);
        return (
          <li key={s.id} className={`timeline-item state-${s.state}${selected === s.id ? ' is-selected' : ''}`} data-testid={`step-${s.id}`} data-state={s.state}>
            <button type="button" className="timeline-button" onClick={() => onSelect(s.id)} aria-pressed={selected === s.id} aria-label={`${title(s.id)}: ${text}${d !== undefined ? `, ${formatDuration(d)}` : ''}. Show its log`}>
              <span className="timeline-icon"><StepStateIcon state={s.state} /></span>
              <span className="timeline-text">
                <span className="timeline-title">{title(s.id)}</span>
                <span className="timeline-meta">{text}{d !== undefined ? ` · ${formatDuration(d)}` : ''}</span>
              </span>
            </button>
            {s.state === 'failed' && <div className="step-failure" data-testid="step-failure">{failure(s)}</div>}
          </li>
        );
      })}
    </ol>
  );
}
