// A step's state as icon + word + colour (never colour alone).
import type { StepState } from '../../../shared/api/engine.js';
import { CheckCircle, Circle, MinusCircle, SkipForward, XCircle } from './Icons.js';

export const STEP_STATE_TEXT: Record<StepState, string> = {
  pending: 'Pending',
  running: 'Running',
  done: 'Done',
  failed: 'Failed',
  skipped: 'Already done',
  cancelled: 'Cancelled',
};

export function StepStateIcon({ state, size = 18 }: { state: StepState; size?: number }) {
  switch (state) {
    case 'done':
      return <CheckCircle size={size} />;
    case 'failed':
      return <XCircle size={size} />;
    case 'skipped':
      return <SkipForward size={size} />;
    case 'cancelled':
      return <MinusCircle size={size} />;
    case 'running':
      return <span className="spinner" aria-hidden="true" style={{ width: size - 2, height: size - 2 }} />;
    default:
      return <Circle size={size} />;
  }
}

export function StepStateBadge({ state }: { state: StepState }) {
  return (
    <span className={`badge state-${state}`} data-state={state}>
      <StepStateIcon state={state} size={14} />
      {STEP_STATE_TEXT[state]}
    </span>
  );
}
