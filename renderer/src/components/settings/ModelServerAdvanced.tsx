// Configure → Model → Advanced: the model server's memory limit, vLLM's KV cache and the install's wait for
// the model servers — the settings the doctor's one-click fixes change, so a person sees what a fix did,
// can undo it, and can set it before installing. A disclosure, closed by default; the store opens it by
// itself when saved settings hold any of them (stores/settings.ts modelServerOpen). Each box empty means
// the default, shown as its placeholder; the issues are the Settings schema's, from the page's one check.
import { useId, useRef } from 'react';
import type { SettingsIssue } from '../../../../shared/api/settings.js';
import { MODEL_SERVER_FIELDS, type ModelServerField } from '../../model-server-view.js';
import type { ModelServerOverride, SettingsForm } from '../../stores/settings.js';
import { ChevronDown } from '../Icons.js';

interface Props {
  values: Pick<SettingsForm, ModelServerOverride>;
  /** Each field's value when left empty (modelServerDefaults); absent = no effect on this node. */
  defaults: Partial<Record<ModelServerOverride, number>>;
  /** The GPU is chosen: the CUDA image sizes its own KV cache. */
  gpu: boolean;
  issueFor(path: string): SettingsIssue | undefined;
  onChange(key: ModelServerOverride, value: string): void;
  open: boolean;
  onToggle(open: boolean): void;
}

function defaultText(f: ModelServerField, value: number | undefined, gpu: boolean): string {
  if (f.key === 'kvCacheGiB' && gpu) return 'Not used with the GPU: the CUDA image sizes its own KV cache.';
  if (value === undefined) return 'Empty: the release’s default.';
  const whose = f.key === 'memoryLimitGi' ? 'the model’s' : f.key === 'kvCacheGiB' ? 'the release’s for this model' : 'the model’s start-up budget plus 5 min';
  return `Empty: ${value} ${f.unit}, ${whose}.`;
}

export function ModelServerAdvanced({ values, defaults, gpu, issueFor, onChange, open, onToggle }: Props) {
  const base = useId();
  const bodyId = `${base}-body`;
  const inputs = useRef<Partial<Record<ModelServerOverride, HTMLInputElement | null>>>({});
  const set = MODEL_SERVER_FIELDS.filter((f) => values[f.key].trim() !== '').length;

  return (
    <div className="advanced" data-testid="model-server-advanced">
      <button type="button" className="disclosure" aria-expanded={open} aria-controls={bodyId} onClick={() => onToggle(!open)}>
        <ChevronDown size={16} />
        <span className="disclosure-title">Advanced: memory limit, KV cache and start-up wait</span>
        <span className="muted small" data-testid="model-server-advanced-summary">{set > 0 ? `${set} of your own` : 'the defaults'}</span>
      </button>
      <div id={bodyId} className="advanced-body" hidden={!open}>
        <p className="field-hint">
          Leave a box empty for the default. The doctor’s fixes for an OOMKilled or a slow-starting model server change these same
          values; “Reset to default” undoes one. A change takes effect the next time the install runs.
        </p>
        {MODEL_SERVER_FIELDS.map((f) => {
          const id = `${base}-${f.key}`;
          const value = values[f.key];
          const issue = issueFor(f.key);
          const fallback = defaults[f.key];
          const describedBy = [`${id}-hint`, `${id}-default`, issue ? `${id}-issue` : ''].filter(Boolean).join(' ');
          return (
            <div key={f.key} className={`field model-server-field${issue ? ' has-issue' : ''}`} data-testid={`model-server-${f.key}`}>
              <label htmlFor={id} className="field-label">{f.label}</label>
              <div className="override-input-row">
                <input
                  ref={(el) => { inputs.current[f.key] = el; }}
                  id={id} name={f.key} inputMode="numeric" autoComplete="off" value={value}
                  placeholder={fallback !== undefined ? String(fallback) : 'default'}
                  onChange={(e) => onChange(f.key, e.target.value)}
                  aria-invalid={!!issue} aria-describedby={describedBy}
                />
                <button
                  type="button" className="button small-button" disabled={value === ''}
                  onClick={() => { onChange(f.key, ''); inputs.current[f.key]?.focus(); }}
                  aria-label={`Reset ${f.label} to default`}
                >
                  Reset to default
                </button>
              </div>
              <p className="field-hint" id={`${id}-hint`}>{f.hint}</p>
              <p className="field-hint" id={`${id}-default`} data-testid={`model-server-${f.key}-default`}>
                {value.trim() !== '' && !issue ? <strong className="override-note">Yours replaces the default. </strong> : null}
                {defaultText(f, fallback, gpu)}
              </p>
              {issue && <p className="field-issue" id={`${id}-issue`} role="alert" data-testid={`issue-${f.key}`}>{issue.message}</p>}
            </div>
          );
        })}
      </div>
    </div>
  );
}
