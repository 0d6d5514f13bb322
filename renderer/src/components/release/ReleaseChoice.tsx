// Configure's "Stack release" choice: one radio card per release the app ships, each with its title,
// upstream month and version, summary and the images it would run on this machine. A release with no
// image for this node (e.g. an NVIDIA model server on arm64) is shown but cannot be chosen, with why.
import { useId } from 'react';
import type { SettingsIssue } from '../../../../shared/api/settings.js';
import type { ReleaseSummary } from '../../../../shared/release.js';
import { releaseImageLines, releaseMonth, shortRef } from '../../stores/releases.js';
import { AlertTriangle } from '../Icons.js';

interface Props {
  releases: readonly ReleaseSummary[];
  defaultRelease: string;
  value: string;
  onChange(id: string): void;
  issue?: SettingsIssue | undefined;
}

export function ReleaseChoice({ releases, defaultRelease, value, onChange, issue }: Props) {
  const base = useId();
  const chosen = releases.find((r) => r.id === value);
  return (
    <div className="release-list" data-testid="release-choice">
      {releases.map((r) => {
        const checked = r.id === value;
        const id = `${base}-${r.id}`;
        const lines = releaseImageLines(r, chosen);
        const disabled = r.problem !== undefined;
        return (
          <label key={r.id} className={`radio-card release-card${checked ? ' is-checked' : ''}${disabled ? ' is-disabled' : ''}`} data-testid={`release-${r.id}`}>
            <input
              type="radio" name="release" value={r.id} checked={checked} disabled={disabled && !checked}
              onChange={() => onChange(r.id)}
              // Named by the title alone; the month, summary, images and any problem are its description.
              aria-labelledby={`${id}-title`}
              aria-describedby={[`${id}-meta`, `${id}-summary`, lines.length ? `${id}-images` : '', disabled ? `${id}-problem` : ''].filter(Boolean).join(' ')}
            />
            <span className="release-card-body">
              <span className="release-card-head">
                <span className="release-title" id={`${id}-title`}>{r.title}</span>
                {r.id === defaultRelease && <span className="chip">Default</span>}
              </span>
              <span className="release-meta small" id={`${id}-meta`}>{releaseMonth(r.date)} · upstream {r.upstreamVersion}</span>
              <span className="release-summary small" id={`${id}-summary`}>{r.summary}</span>
              {lines.length > 0 && (
                <span className="release-images small" id={`${id}-images`}>
                  {lines.map((l) => (
                    <span key={l.role} className={`release-image${l.differs ? ' is-different' : ''}`}>
                      <span className="muted">{l.label}</span> <code title={l.ref}>{shortRef(l.ref)}</code>
                      {l.vllmVersion && <span className="muted"> · vLLM {l.vllmVersion}</span>}
                      {l.differs && <span className="visually-hidden"> (differs from the chosen release)</span>}
                    </span>
                  ))}
                </span>
              )}
              {disabled && (
                <span className="release-problem small" id={`${id}-problem`}>
                  <AlertTriangle size={14} /> Not available on this machine: {r.problem}
                </span>
              )}
            </span>
          </label>
        );
      })}
      {issue && <p className="field-issue" role="alert" data-testid="issue-release">{issue.message}</p>}
    </div>
  );
}
