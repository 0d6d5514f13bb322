// A run's steps beside their logs — the layout the Install and Teardown pages share: selecting a step in
// the list shows its log, and the log tabs select the step back.
import { RunLogs } from './RunLogs.js';
import { RunSteps, type RunStepsProps } from './RunSteps.js';

export function RunGrid(props: RunStepsProps) {
  return (
    <div className="install-grid">
      <section aria-labelledby="timeline-heading" className="timeline-wrap">
        <h2 id="timeline-heading" className="section-title">Steps</h2>
        <RunSteps {...props} />
      </section>
      <RunLogs view={props.selected} onView={props.onSelect} title={props.title} stepIds={props.steps.map((s) => s.id)} />
    </div>
  );
}
