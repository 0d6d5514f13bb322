// What a step's state means, as plain functions the engine and the renderer share (beside, not inside, the
// zod schemas of shared/api/engine.ts: a pure rule needs no schema module).
import type { StepState } from './api/engine.js';

/** A step that needs nothing more: it did its work, or found it already done (or nothing to undo). The one rule
 * the executor (run status, progress) and the Install and Teardown pages (counts, ETA) share. */
export const isFinished = (state: StepState): boolean => state === 'done' || state === 'skipped';
