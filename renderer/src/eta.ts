// An honest estimate of the time left in a run: nothing until the first step of this run has finished;
// then the durations the journal recorded for the remaining steps in a past run where it has them,
// else the average of the steps finished so far times the steps left. Always "about".
import type { JournalDoc, StepProgress } from '../../shared/api/engine.js';
import { isFinished } from './run-view.js';

const ms = (s: StepProgress): number | undefined =>
  s.startedAt && s.endedAt ? Date.parse(s.endedAt) - Date.parse(s.startedAt) : undefined;

export function estimateRemainingMs(steps: readonly StepProgress[], past: JournalDoc | null | undefined, now: number): number | undefined {
  const finished = steps.filter((s) => isFinished(s.state));
  if (finished.length === 0) return undefined;
  const left = steps.filter((s) => s.state === 'pending' || s.state === 'running');
  if (left.length === 0) return 0;
  const pastDone = new Map((past?.steps ?? []).filter((s) => s.state === 'done' && s.durationMs !== undefined).map((s) => [s.id, s.durationMs!]));
  const worked = finished.filter((s) => s.state === 'done').map(ms).filter((d): d is number => d !== undefined);
  const average = worked.length ? worked.reduce((a, b) => a + b, 0) / worked.length : undefined;
  let total = 0;
  for (const s of left) {
    const expected = pastDone.get(s.id) ?? average;
    if (expected === undefined) return undefined;
    const elapsed = s.state === 'running' && s.startedAt ? now - Date.parse(s.startedAt) : 0;
    total += Math.max(expected - elapsed, 0);
  }
  return total;
}

export function formatDuration(msValue: number): string {
  const s = Math.round(msValue / 1000);
  if (s < 1) return 'under a second';
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  const rest = s % 60;
  return rest ? `${m} min ${rest} s` : `${m} min`;
}

/** "about 2 min" — rounded so the estimate does not pretend to be precise. */
export function formatEta(msValue: number): string {
  const s = msValue / 1000;
  if (s < 10) return 'a few seconds';
  if (s < 60) return `about ${Math.round(s / 5) * 5} s`;
  return `about ${Math.round(s / 60)} min`;
}
