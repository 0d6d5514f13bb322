// The wizard's step rail: every step of the flow, in order. Steps with a page are buttons; the rest
// are marked "upcoming" and cannot be focused or clicked. Arrow keys / Home / End move between the
// available steps (roving tabindex), Enter or Space opens one.
import { useRef, type KeyboardEvent } from 'react';
import { STEPS, type StepId } from '../steps.js';

export interface StepRailProps {
  current: StepId;
  available: (id: StepId) => boolean;
  onSelect: (id: StepId) => void;
}

export function StepRail({ current, available, onSelect }: StepRailProps) {
  const refs = useRef(new Map<StepId, HTMLButtonElement>());
  const enabled = STEPS.filter((s) => available(s.id)).map((s) => s.id);

  const onKeyDown = (e: KeyboardEvent<HTMLButtonElement>, id: StepId): void => {
    const i = enabled.indexOf(id);
    let target: StepId | undefined;
    if (e.key === 'ArrowDown' || e.key === 'ArrowRight') target = enabled[(i + 1) % enabled.length];
    else if (e.key === 'ArrowUp' || e.key === 'ArrowLeft') target = enabled[(i - 1 + enabled.length) % enabled.length];
    else if (e.key === 'Home') target = enabled[0];
    else if (e.key === 'End') target = enabled[enabled.length - 1];
    if (target) {
      e.preventDefault();
      refs.current.get(target)?.focus();
    }
  };

  return (
    <nav className="rail" aria-label="Setup steps">
      <ol className="rail-list">
        {STEPS.map((step, index) => {
          const isCurrent = step.id === current;
          const isAvailable = available(step.id);
          const body = (
            <>
              <span className="rail-num" aria-hidden="true">{index + 1}</span>
              <span className="rail-text">
                <span className="rail-title">{step.title}</span>
                <span className="rail-hint">{isAvailable ? step.hint : 'Upcoming'}</span>
              </span>
            </>
          );
          return (
            <li key={step.id} className={`rail-item${isCurrent ? ' is-current' : ''}${isAvailable ? '' : ' is-upcoming'}`}>
              {isAvailable ? (
                <button
                  type="button"
                  ref={(el) => {
                    if (el) refs.current.set(step.id, el);
                    else refs.current.delete(step.id);
                  }}
                  className="rail-step"
                  aria-current={isCurrent ? 'step' : undefined}
                  tabIndex={isCurrent ? 0 : -1}
                  onClick={() => onSelect(step.id)}
                  onKeyDown={(e) => onKeyDown(e, step.id)}
                  data-testid={`step-${step.id}`}
                >
                  {body}
                </button>
              ) : (
                <div className="rail-step" aria-disabled="true" data-testid={`step-${step.id}`}>
                  {body}
                  <span className="visually-hidden"> (not available yet)</span>
                </div>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
