// The "Show the whole log" action of one step's terminal (issue #16): the file is read a page at a time,
// so while it loads the bar says how far it got ("Loading 120,000 of 200,054 lines…") with a Stop
// button; stopped, it offers the rest; done, it says the terminal holds the whole file.
import { useLogs, type StepLog } from '../../stores/logs.js';

const n = (x: number): string => x.toLocaleString('en');

export function WholeLogAction({ stepId, log }: { stepId: string; log: StepLog | undefined }) {
  const whole = log?.whole;
  const load = () => void useLogs.getState().loadWhole(stepId);
  if (whole?.state === 'done') {
    return (
      <span className="muted small" data-testid="whole-log-shown">
        {`The whole log, from its file (${n(whole.loaded)} ${whole.loaded === 1 ? 'line' : 'lines'})`}
      </span>
    );
  }
  const of = whole?.totalLines !== undefined ? ` of ${n(Math.max(whole.totalLines, whole.loaded))}` : '';
  if (whole?.state === 'loading') {
    return (
      <>
        <progress className="whole-log-progress" max={Math.max(whole.totalLines ?? 1, whole.loaded, 1)} value={whole.loaded} aria-label="Loading the log file" />
        <span className="muted small" role="status" data-testid="whole-log-progress">{`Loading ${n(whole.loaded)}${of} lines…`}</span>
        <button type="button" className="button small-button" onClick={() => useLogs.getState().stopWhole(stepId)} data-testid="stop-whole-log">Stop</button>
      </>
    );
  }
  return (
    <>
      {whole?.error && <span className="small bad-text" role="alert">{whole.error}</span>}
      {whole && <span className="muted small" data-testid="whole-log-progress">{`Stopped at ${n(whole.loaded)}${of} lines`}</span>}
      <button type="button" className="button small-button" onClick={load} data-testid="show-whole-log">
        {whole ? 'Load the rest' : 'Show the whole log'}
      </button>
    </>
  );
}
