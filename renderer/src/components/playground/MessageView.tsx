// One turn of the conversation. A reply streams in as Markdown, then shows its figures; a stopped reply
// keeps its text and says it was stopped; a failed one says why and offers the next step.
import type { Turn } from '../../playground/conversation.js';
import { CopyButton } from '../CopyButton.js';
import { ErrorCallout } from './ErrorCallout.js';
import { Plug, Regenerate } from '../Icons.js';
import { Markdown } from './Markdown.js';
import { ReplyStats } from './ReplyStats.js';

export interface MessageActions {
  canRegenerate: boolean;
  onRegenerate(): void;
  onReconnect(): void;
}

export function MessageView({ turn, isLast, actions }: { turn: Turn; isLast: boolean; actions: MessageActions }) {
  if (turn.role === 'user') {
    return (
      <li className="pg-turn pg-turn-user" data-testid="turn-user">
        <p className="visually-hidden">You said:</p>
        <div className="pg-bubble">{turn.content}</div>
      </li>
    );
  }
  const streaming = turn.status === 'streaming';
  return (
    <li className="pg-turn pg-turn-assistant" data-testid="turn-assistant" data-status={turn.status} aria-busy={streaming}>
      <div className="pg-turn-head">
        <span className="pg-author">{turn.model}</span>
        {streaming && <span className="pg-chip pg-chip-live"><span className="pg-dot" aria-hidden="true" /> Streaming…</span>}
        {turn.status === 'stopped' && <span className="pg-chip pg-chip-stopped" data-testid="stopped-badge">Stopped — partial reply</span>}
      </div>
      {(turn.content || streaming) && (
        <div className="pg-reply" data-testid="reply-text">
          {turn.content ? <Markdown text={turn.content} /> : <p className="muted">Waiting for the first token…</p>}
          {streaming && turn.content && <span className="pg-caret" aria-hidden="true" />}
        </div>
      )}
      {turn.error && (
        <ErrorCallout
          error={turn.error}
          testId="reply-error"
          actions={
            turn.error.kind === 'gateway-down' || turn.error.kind === 'mid-stream' ? (
              <button type="button" className="button" onClick={actions.onReconnect}><Plug size={16} /> Reconnect</button>
            ) : undefined
          }
        />
      )}
      {turn.reply && <ReplyStats reply={turn.reply} />}
      {!streaming && (
        <div className="pg-turn-actions">
          {turn.content && <CopyButton compact text={() => turn.content} what="the reply" />}
          {isLast && actions.canRegenerate && (
            <button type="button" className="pg-mini-button" onClick={actions.onRegenerate}><Regenerate size={14} /> Regenerate</button>
          )}
        </div>
      )}
    </li>
  );
}
