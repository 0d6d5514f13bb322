// Where the person writes. Enter sends, Shift+Enter starts a new line, Escape stops a streaming reply.
import { useState, type KeyboardEvent } from 'react';
import { Send, Stop } from '../Icons.js';

export function Composer({ streaming, disabled, disabledReason, onSend, onStop }: {
  streaming: boolean;
  disabled: boolean;
  disabledReason?: string | undefined;
  onSend(text: string): Promise<boolean>;
  onStop(): void;
}) {
  const [text, setText] = useState('');
  const send = async () => {
    if (!text.trim() || streaming || disabled) return;
    const sent = text;
    setText('');
    if (!(await onSend(sent))) setText((t) => t || sent);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void send();
    } else if (e.key === 'Escape' && streaming) {
      e.preventDefault();
      onStop();
    }
  };
  return (
    <form className="pg-composer" onSubmit={(e) => { e.preventDefault(); void send(); }}>
      <label htmlFor="pg-input" className="visually-hidden">Message</label>
      <textarea
        id="pg-input"
        data-testid="composer"
        rows={3}
        value={text}
        placeholder={disabled ? (disabledReason ?? 'Not connected') : 'Ask something… (Enter to send, Shift+Enter for a new line, Esc to stop)'}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
        aria-describedby="pg-input-help"
        disabled={disabled}
      />
      <div className="pg-composer-bar">
        <span id="pg-input-help" className="muted small">Enter sends · Shift+Enter new line · Esc stops</span>
        <span className="spacer" />
        {streaming ? (
          <button type="button" className="button" onClick={onStop} data-testid="stop"><Stop size={16} /> Stop</button>
        ) : (
          <button type="submit" className="button primary" disabled={disabled || !text.trim()} data-testid="send"><Send size={16} /> Send</button>
        )}
      </div>
    </form>
  );
}
