// Configure → Advanced: the images the chosen release runs on this machine (per job, with the vLLM
// version and where each reference comes from) and a box per job to run another image instead. A
// disclosure, closed by default: most people never need it, and the Prerequisites and Install pages
// open it at the image that needs replacing.
import { useEffect, useId, useRef, type ReactNode } from 'react';
import type { SettingsIssue } from '../../../../shared/api/settings.js';
import { isOverridable, type Arch, type ImageRole, type OverridableRole, type ReleaseSummary } from '../../../../shared/release.js';
import type { ImageOverrideForm } from '../../stores/settings.js';
import { ChevronDown } from '../Icons.js';

interface Props {
  release: ReleaseSummary | undefined;
  arch: Arch | undefined;
  gpu: boolean;
  loading: boolean;
  values: ImageOverrideForm;
  issueFor(path: string): SettingsIssue | undefined;
  onChange(role: OverridableRole, value: string): void;
  open: boolean;
  onToggle(open: boolean): void;
  /** Bring this image's box (or the whole section) into view once, then call onFocused. */
  focus?: ImageRole | 'advanced' | undefined;
  onFocused(): void;
  /** More advanced fields for this release (the model precision), after the images. */
  children?: ReactNode;
}

export function ImageOverrides({ release, arch, gpu, loading, values, issueFor, onChange, open, onToggle, focus, onFocused, children }: Props) {
  const base = useId();
  const bodyId = `${base}-body`;
  const toggleRef = useRef<HTMLButtonElement>(null);
  const inputs = useRef<Partial<Record<ImageRole, HTMLInputElement | null>>>({});
  const overrides = Object.values(values).filter((v) => v.trim() !== '').length;
  const node = arch ? `linux/${arch}${gpu ? ' with an NVIDIA GPU' : ''}` : 'this machine';

  // Sent here from another page: scroll to the image to replace once its box exists.
  useEffect(() => {
    if (!focus || !open) return;
    const target = focus === 'advanced' ? toggleRef.current : inputs.current[focus];
    if (!target) return;
    target.scrollIntoView({ block: 'center' });
    target.focus({ preventScroll: true });
    onFocused();
  }, [focus, open, release, onFocused]);

  return (
    <div className="advanced" data-testid="advanced">
      <button ref={toggleRef} type="button" className="disclosure" aria-expanded={open} aria-controls={bodyId} onClick={() => onToggle(!open)}>
        <ChevronDown size={16} />
        <span className="disclosure-title">Advanced: images and precision</span>
        <span className="muted small">
          {overrides > 0 ? `${overrides} of your own` : `the release’s defaults for ${node}`}
        </span>
      </button>
      <div id={bodyId} className="advanced-body" hidden={!open}>
        <p className="field-hint">
          The image each part of the stack runs on {node}. Leave a box empty for the release’s default; an image you set
          replaces it on this machine only, and is asked of its registry on Prerequisites and before the cluster starts.
        </p>
        {loading && !release && <p className="loading small"><span className="spinner" aria-hidden="true" /> Loading the release’s images…</p>}
        {release?.problem && <p className="field-issue">{release.problem}</p>}
        {release?.images.map((img) => {
          const id = `${base}-${img.role}`;
          const role = img.role;
          if (!isOverridable(role) || !img.overridable) {
            // Shown (it is checked and deployed) but the release's chart has no field to replace it.
            return (
              <div key={img.role} className="field image-override" data-testid={`image-override-${img.role}`}>
                <p className="field-label">{img.label}</p>
                <div className="image-default small" id={`${id}-default`}>
                  <p>Image: <code>{img.ref}</code> · set by the release’s chart, not replaceable here</p>
                  <p className="image-source muted">Source: {img.source}</p>
                </div>
              </div>
            );
          }
          const value = values[role];
          const issue = issueFor(`images.${img.role}`);
          const overridden = value.trim() !== '' && value.trim() !== img.ref;
          const describedBy = [`${id}-default`, issue ? `${id}-issue` : '', overridden && !issue ? `${id}-note` : ''].filter(Boolean).join(' ');
          return (
            <div key={img.role} className={`field image-override${issue ? ' has-issue' : ''}`} data-testid={`image-override-${img.role}`}>
              <label htmlFor={id} className="field-label">{img.label}</label>
              <div className="image-default small" id={`${id}-default`}>
                <p>Default: <code>{img.ref}</code>{img.vllmVersion ? <> · vLLM {img.vllmVersion}</> : null}</p>
                <p className="image-source muted">Source: {img.source}</p>
              </div>
              <div className="image-input-row">
                <input
                  ref={(el) => { inputs.current[role] = el; }}
                  id={id} name={`images.${img.role}`} type="text" value={value} placeholder={img.ref}
                  spellCheck={false} autoComplete="off" autoCapitalize="off"
                  onChange={(e) => onChange(role, e.target.value)}
                  aria-invalid={!!issue} aria-describedby={describedBy}
                />
                <button
                  type="button" className="button small-button" disabled={value === ''}
                  onClick={() => { onChange(role, ''); inputs.current[role]?.focus(); }}
                  aria-label={`Use default for ${img.label}`}
                >
                  Use default
                </button>
              </div>
              {issue && <p className="field-issue" id={`${id}-issue`} role="alert" data-testid={`issue-images.${img.role}`}>{issue.message}</p>}
              {overridden && !issue && (
                <p className="small override-note" id={`${id}-note`}>
                  Your image replaces the default.
                  {img.role === 'vllm' && img.vllmVersion ? ` The server is still started with the arguments chosen for vLLM ${img.vllmVersion}; an image with another vLLM may refuse them.` : ''}
                </p>
              )}
            </div>
          );
        })}
        {children}
      </div>
    </div>
  );
}
