// A run's logs: one terminal for all steps, or the selected step's (replayed from the engine's buffer
// when the page opens again). Live, a step shows what the engine's bounded events carried (a flood is
// summarised in a line); "Show the whole log" reads every line from the step's log file
// (terminal/WholeLogAction.tsx).
import { useEffect } from 'react';
import { useLogs } from '../../stores/logs.js';
import { Terminal } from '../terminal/Terminal.js';
import { WholeLogAction } from '../terminal/WholeLogAction.js';

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
  const allLines = useLogs((s) => s.allLines);
  const allIds = useLogs((s) => s.allIds);
  const allEpoch = useLogs((s) => s.allEpoch);
  const allTotal = useLogs((s) => s.allTotal);
  // Replay each step's buffer once the step list is known (lines that arrived while away are kept anyway).
  const key = stepIds.join(' ');
  useEffect(() => {
    for (const id of key.split(' ').filter(Boolean)) if (!useLogs.getState().steps[id]) void useLogs.getState().load(id);
  }, [key]);
  const viewLog = view === 'all' ? undefined : logs[view];
  return (
    <div className="terminal-wrap">
      <div className="segmented terminal-switch" role="group" aria-label="Which log to show">
        <button type="button" className={`segment${view === 'all' ? ' is-checked' : ''}`} aria-pressed={view === 'all'} onClick={() => onView('all')}>All steps</button>
        {view !== 'all' && <button type="button" className="segment is-checked" aria-pressed="true">{title(view)}</button>}
      </div>
      {view === 'all' ? (
        <Terminal key="all" label="Log of all steps" lines={allLines} stepIds={allIds} epoch={allEpoch} total={allTotal} height={380} testId="terminal-all" />
      ) : (
        <Terminal
          key={view}
          label={`Log of ${title(view)}`}
          lines={viewLog?.lines ?? []}
          epoch={viewLog?.epoch ?? 0}
          total={viewLog?.total ?? 0}
          keepAll={viewLog?.whole !== undefined}
          actions={<WholeLogAction stepId={view} log={viewLog} />}
          height={380}
          testId={`terminal-${view}`}
        />
      )}
    </div>
  );
}
