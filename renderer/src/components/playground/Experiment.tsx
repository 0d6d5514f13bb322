// The routing experiment: N requests sharing one long prefix, then N distinct ones, at a chosen
// concurrency. Per replica: how many it served, time to first token and latency; then the engine's
// plain-language reading of what the EPP did.
import { useId } from 'react';
import type { ArmStats } from '../../../../shared/api/chat.js';
import { EXPERIMENT_FIELDS, experimentSettingsValid, fieldValid, type ExperimentField } from '../../playground/experiment.js';
import { usePlayground } from '../../stores/playground.js';
import { shortPodName } from '../metrics/history.js';
import { ErrorCallout } from './ErrorCallout.js';
import { Play, Stop } from '../Icons.js';

const ms = (v: number | undefined) => (v === undefined ? '—' : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${Math.round(v)} ms`);
const pct = (x: number) => `${Math.round(x * 100)}%`;

function Field({ f }: { f: ExperimentField }) {
  const id = useId();
  const value = usePlayground((s) => s.experiment.settings[f.key]);
  const set = usePlayground((s) => s.setExperimentSettings);
  const running = usePlayground((s) => s.experiment.status === 'running');
  return (
    <div className="pg-field">
      <label htmlFor={id}>{f.label}</label>
      <input id={id} type="number" min={f.min} max={f.max} step={1} value={Number.isFinite(value) ? value : ''} disabled={running}
        onChange={(e) => set({ [f.key]: e.target.value === '' ? Number.NaN : Math.round(Number(e.target.value)) })}
        aria-describedby={`${id}-help`} aria-invalid={!fieldValid(f, value)} data-testid={`exp-${f.key}`} />
      <p id={`${id}-help`} className="pg-help">{f.help}</p>
    </div>
  );
}

/** A stable colour slot per replica, so the same pod has the same colour in both groups. */
const slotOf = (replicas: string[], name: string) => Math.max(0, replicas.indexOf(name)) % 4;

function Arm({ title, explain, arm, replicas, testId }: { title: string; explain: string; arm: ArmStats; replicas: string[]; testId: string }) {
  const attributed = arm.total - arm.failed - arm.unattributed;
  return (
    <section className="pg-arm card" aria-label={title} data-testid={testId} data-replicas={arm.replicas.length} data-concentration={arm.concentration.toFixed(2)}>
      <div className="pg-arm-head">
        <h3>{title}</h3>
        <p className="muted small">{explain}</p>
      </div>
      <div className="pg-split" role="img" aria-label={`${title}: ${arm.replicas.map((r) => `${shortPodName(r.replica)} served ${r.count}`).join(', ') || 'no request attributed'}`}>
        {arm.replicas.map((r) => (
          <span key={r.replica} className={`pg-split-part slot-${slotOf(replicas, r.replica)}`} style={{ flexGrow: r.count }} title={`${r.replica}: ${r.count}`} />
        ))}
        {arm.unattributed + arm.failed > 0 && <span className="pg-split-part slot-none" style={{ flexGrow: arm.unattributed + arm.failed }} />}
      </div>
      <table className="table pg-arm-table">
        <caption className="visually-hidden">{title}: requests per replica, time to first token and latency</caption>
        <thead>
          <tr><th scope="col">Replica</th><th scope="col">Requests</th><th scope="col">First token p50 / p90</th><th scope="col">Latency p50 / p90 / max</th></tr>
        </thead>
        <tbody>
          {arm.replicas.map((r) => (
            <tr key={r.replica} data-testid="arm-replica" data-pod={r.replica} data-count={r.count}>
              <th scope="row" title={r.replica}><span className={`pg-swatch slot-${slotOf(replicas, r.replica)}`} aria-hidden="true" />{shortPodName(r.replica)}</th>
              <td>{r.count} <span className="muted">({pct(r.share)})</span></td>
              <td>{ms(r.ttft?.p50)} / {ms(r.ttft?.p90)}</td>
              <td>{ms(r.latency?.p50)} / {ms(r.latency?.p90)} / {ms(r.latency?.max)}</td>
            </tr>
          ))}
          {attributed === 0 && <tr><td colSpan={4} className="muted">No request of this group could be attributed to a replica.</td></tr>}
        </tbody>
      </table>
      {(arm.failed > 0 || arm.unattributed > 0) && (
        <p className="small muted">{arm.failed > 0 ? `${arm.failed} failed. ` : ''}{arm.unattributed > 0 ? `${arm.unattributed} could not be attributed.` : ''}</p>
      )}
    </section>
  );
}

export function Experiment({ ready }: { ready: boolean }) {
  const ex = usePlayground((s) => s.experiment);
  const run = usePlayground((s) => s.runExperiment);
  const cancel = usePlayground((s) => s.cancelExperiment);
  const running = ex.status === 'running';
  const valid = experimentSettingsValid(ex.settings);
  const result = ex.status === 'done' ? ex.result : undefined;
  const replicas = result ? [...new Set([...result.shared.replicas, ...result.distinct.replicas].map((r) => r.replica))].sort() : [];
  return (
    <section className="section pg-experiment" aria-labelledby="exp-heading" data-testid="experiment">
      <div className="section-head">
        <h2 id="exp-heading" className="section-title">Routing experiment</h2>
        <span className="muted small">What the EPP does with shared prefixes and with distinct prompts</span>
      </div>
      <div className="card pg-exp-form">
        <div className="pg-exp-fields">{EXPERIMENT_FIELDS.map((f) => <Field key={f.key} f={f} />)}</div>
        <div className="actions">
          {running ? (
            <button type="button" className="button" onClick={() => void cancel()}><Stop size={16} /> Cancel</button>
          ) : (
            <button type="button" className="button primary" disabled={!ready || !valid} onClick={() => void run()} data-testid="exp-run"><Play size={16} /> Run the experiment</button>
          )}
          <div className="pg-progress-wrap" aria-live="polite">
            {running && (
              <>
                <progress max={ex.total || 1} value={ex.done} aria-label="Experiment progress" />
                <span className="small muted" data-testid="exp-progress">{ex.done} of {ex.total} requests</span>
              </>
            )}
          </div>
        </div>
      </div>
      {ex.status === 'failed' && ex.error && <ErrorCallout error={ex.error} testId="exp-error" />}
      {result && (
        <div className="pg-exp-result" data-testid="exp-result">
          <div className="card pg-reading" data-testid="exp-reading">
            <h3>What the EPP did</h3>
            <ul>{result.reading.map((l) => <li key={l}>{l}</li>)}</ul>
            <p className="small muted">{result.replicas} ready replica{result.replicas === 1 ? '' : 's'} · {result.shared.total + result.distinct.total} requests at concurrency {ex.settings.concurrency}</p>
          </div>
          <div className="pg-arms">
            <Arm title="Shared prefix" explain="Every prompt starts with the same long paragraph." arm={result.shared} replicas={replicas} testId="arm-shared" />
            <Arm title="Distinct prompts" explain="No two prompts share a beginning." arm={result.distinct} replicas={replicas} testId="arm-distinct" />
          </div>
          {result.errors.length > 0 && (
            <div className="callout callout-error"><p><strong>Some requests failed:</strong></p><ul>{result.errors.map((e) => <li key={e}>{e}</li>)}</ul></div>
          )}
        </div>
      )}
    </section>
  );
}
