// What the preflight found out about each image (images.check, or the report an IMAGE_UNAVAILABLE step
// failure carries): icon + word + colour for the verdict, the registry's answer in its own terms
// (outcome, message, HTTP status, registry error code) and what to do. A blocker offers the way out:
// Configure → Advanced at that image.
import type { ImageReport, ImageVerdict } from '../../../../shared/api/images.js';
import type { FitLevel } from '../../../../shared/api/host.js';
import type { ImageRole } from '../../../../shared/release.js';
import { OUTCOME_TEXT, registryAnswer, VERDICT_TEXT } from '../../stores/images.js';
import { ArrowRight } from '../Icons.js';
import { LevelBadge, LevelIcon } from '../LevelBadge.js';

const LEVEL: Record<ImageVerdict, FitLevel> = { ok: 'fits', warning: 'tight', blocker: 'does-not-fit' };

export function VerdictBadge({ verdict }: { verdict: ImageVerdict }) {
  return <LevelBadge level={LEVEL[verdict]} text={VERDICT_TEXT[verdict]} />;
}

interface Props {
  images: readonly ImageReport[];
  /** Offered on blockers: open Configure → Advanced at this image. */
  onFix?: (role: ImageRole) => void;
  /** A narrow column (the Install timeline): no cards, the essentials only. */
  compact?: boolean;
}

export function ImageChecks({ images, onFix, compact = false }: Props) {
  return (
    <ul className={`image-checks${compact ? ' is-compact' : ''}`}>
      {images.map((i) => {
        // For an available image the message already says what it is built for: the status and the
        // platform list only add noise there. They matter when the registry said no.
        const answer = i.verdict === 'ok' ? undefined : registryAnswer(i.check);
        const platforms = i.check.outcome === 'arch-missing' ? i.check.platforms : undefined;
        return (
          <li key={i.role} className={`image-check verdict-${i.verdict}${compact ? '' : ' card'}`} data-testid={`image-check-${i.role}`} data-verdict={i.verdict} data-outcome={i.check.outcome}>
            {!compact && <span className="image-check-icon"><LevelIcon level={LEVEL[i.verdict]} size={20} /></span>}
            <div className="image-check-body">
              <div className="image-check-head">
                <span className="image-check-label">{i.label}</span>
                <VerdictBadge verdict={i.verdict} />
                {i.overridden && <span className="badge badge-override">Your override</span>}
              </div>
              <code className="image-check-ref">{i.ref}</code>
              <p className="small">
                <span className="image-outcome">{i.check.registry || 'Registry'}: {OUTCOME_TEXT[i.check.outcome]}.</span> {i.check.message}
              </p>
              {!compact && (answer || (platforms && platforms.length > 0)) && (
                <p className="small muted">
                  {answer && <>Registry answer: <span className="mono">{answer}</span></>}
                  {answer && platforms && platforms.length > 0 && ' · '}
                  {platforms && platforms.length > 0 && <>Platforms: {platforms.join(', ')}</>}
                </p>
              )}
              {i.advice && <p className="small image-advice"><strong>What to do:</strong> {i.advice}</p>}
              {i.verdict === 'blocker' && onFix && (
                <button type="button" className="button small-button image-fix" onClick={() => onFix(i.role)}
                  {...(compact ? { 'aria-label': `Set another image for ${i.label} in Configure → Advanced` } : {})}>
                  {compact ? 'Set another image' : 'Set another image in Configure → Advanced'} <ArrowRight size={15} />
                </button>
              )}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
