// The Install timeline's failed "Check the images in their registries" step (error code
// IMAGE_UNAVAILABLE): the images that stopped the run with the registry's answer and what to do, read
// from the error's details (the ImagesReport the step attaches). Where the details did not survive
// (an older journal), the engine's message and hint are shown and the images can be asked again.
import { useState } from 'react';
import type { ImageRole } from '../../../../shared/release.js';
import { imagesReportFrom, useImages } from '../../stores/images.js';
import { Refresh } from '../Icons.js';
import { ImageChecks } from './ImageChecks.js';

interface Props {
  message: string;
  hint?: string | undefined;
  details: unknown;
  onFix(role?: ImageRole): void;
}

export function ImageFailure({ message, hint, details, onFix }: Props) {
  const fromError = imagesReportFrom(details);
  const { report: checked, checking, error, check } = useImages();
  // Only a check asked for here: an older one (Prerequisites) may be of other settings.
  const [asked, setAsked] = useState(false);
  const report = fromError ?? (asked && !checking ? checked : undefined);
  const blockers = report?.images.filter((i) => i.verdict === 'blocker') ?? [];
  const warnings = report?.images.filter((i) => i.verdict === 'warning').length ?? 0;
  return (
    <div className="image-failure" data-testid="image-failure">
      {!report ? (
        <>
          <p>{message}</p>
          {hint && <p><strong>What to do:</strong> {hint}</p>}
        </>
      ) : blockers.length > 0 ? (
        <p>{blockers.length === 1 ? 'An image' : `${blockers.length} images`} of the stack cannot be pulled, so the install stopped before the cluster started:</p>
      ) : (
        <p className="ok-text">No image is blocked any more: retry the step.</p>
      )}
      {blockers.length > 0 && <ImageChecks images={blockers} onFix={onFix} compact />}
      {report && warnings > 0 && (
        <p className="small muted">{warnings === 1 ? 'One more image' : `${warnings} more images`} could not be checked (registry unreachable or rate-limiting); that alone does not stop the install.</p>
      )}
      {asked && error && <p className="bad-text" role="alert">The image check failed: {error.message}</p>}
      <div className="image-failure-actions">
        {blockers.length === 0 && <button type="button" className="button small-button" onClick={() => onFix()}>Open Configure → Advanced</button>}
        {!fromError && (
          <button type="button" className="button small-button" disabled={checking} onClick={() => { setAsked(true); void check(); }}>
            {checking ? <span className="spinner" aria-hidden="true" /> : <Refresh size={15} />} {checking ? 'Checking…' : 'Check the images again'}
          </button>
        )}
      </div>
    </div>
  );
}
