// One failure, in the Playground's words, with the engine's message and hint and the next step.
import type { ReactNode } from 'react';
import type { PlaygroundError } from '../../playground/errors.js';

export function ErrorCallout({ error, actions, testId }: { error: PlaygroundError; actions?: ReactNode; testId?: string }) {
  return (
    <div className={`callout callout-error pg-error pg-error-${error.kind}`} role="alert" data-testid={testId ?? 'pg-error'} data-kind={error.kind}>
      <p><strong>{error.title}.</strong> {error.message}</p>
      {error.hint && <p className="small">{error.hint}</p>}
      {actions && <div className="pg-error-actions">{actions}</div>}
    </div>
  );
}
