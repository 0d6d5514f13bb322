// A step's state as an icon; the word beside it comes from run-view.ts (stepStateText), so colour is never alone.
import type { StepState } from '../../../shared/api/engine.js';
import { CheckCircle, Circle, MinusCircle, SkipForward, XCircle } from './Icons.js';

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
