// The one Copy button: copies a text to the clipboard and says so in words (a screen reader hears it
// through the live region). Used by the Plan, Manage, the doctor, the terminals and the Playground.
import { useState } from 'react';
import { Copy } from './Icons.js';

export interface CopyButtonProps {
  /** The text, or a function read at click time (a terminal's selection, a code block as rendered). */
  text: string | (() => string);
  /** The visible word(s); "Copy" unless told. */
  label?: string;
  /** What is copied, for the accessible name: "Copy the logs folder path". */
  what?: string;
  /** The Playground's small inline style, beside a reply or a code block. */
  compact?: boolean;
}

export function CopyButton({ text, label = 'Copy', what, compact = false }: CopyButtonProps) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(typeof text === 'function' ? text() : text);
      setState('copied');
    } catch {
      setState('failed');
    }
    setTimeout(() => setState('idle'), 1500);
  };
  return (
    <button type="button" className={compact ? 'pg-mini-button' : 'button small-button'} onClick={() => void copy()} {...(what ? { 'aria-label': `${label} ${what}` } : {})}>
      <Copy size={compact ? 14 : 15} /> <span aria-live="polite">{state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : label}</span>
    </button>
  );
}
