// A run's logs: one terminal for all steps, or the selected step's (replayed from the engine's buffer
// when the page opens again).
import { useEffect, useMemo } from 'react';
import { useLogs } from '../../stores/logs.js';
import { Terminal } from '../terminal/Terminal.js';

export interface RunLogsProps {
  /** 'all' or a step id. */
  view: string;
  onView: (view: string) => void;
  title: (id: string) => string;
  /** The steps whose buffers to replay once. */
  stepIds: readonly string[];
}

export function RunLogs({ view, onView, title, stepIds }: RunLogsProps) {
  const logs = useLogs((s) => s.steps);
  const all = useLogs((s) => s.all);
  const allEpoch = useLogs((s) => s.allEpoch);
  // Replay each step's buffer once the step list is known (lines that arrived while away are kept anyway).
  const key = stepIds.join(' ');
  useEffect(() => {
    for (const id of key.split(' ').filter(Boolean)) if (!useLogs.getState().steps[id]) void useLogs.getState().load(id);
  }, [key]);
  const allLines = useMemo(() => all.map((l) => l.line), [all]);
  const allIds = useMemo(() => all.map((l) => l.stepId), [all]);
  const viewLog = view === 'all' ? undefined : logs[view];
  return (
    <div className="terminal-wrap">
      <div className="segmented terminal-switch" role="group" aria-label="Which log to show">
        <button type="button" className={`segment${view === 'all' ? ' is-checked' : ''}`} aria-pressed={view === 'all'} onClick={() => onView('all')}>All steps</button>
        {view !== 'all' && <button type="button" className="segment is-checked" aria-pressed="true">{title(view)}</button>}
      </div>
      {view === 'all' ? (
        <Terminal key="all" label="Log of all steps" lines={allLines} stepIds={allIds} epoch={allEpoch} height={380} testId="terminal-all" />
      ) : (
        <Terminal key={view} label={`Log of ${title(view)}`} lines={viewLog?.lines ?? []} epoch={viewLog?.epoch ?? 0} height={380} testId={`terminal-${view}`} />
      )}
    </div>
  );
}
