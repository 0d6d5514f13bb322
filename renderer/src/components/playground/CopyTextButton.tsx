// Copies a text (a code block, a whole reply) and says so in words a screen reader hears.
import { useState } from 'react';
import { CopyIcon } from './icons.js';

export function CopyTextButton({ text, label }: { text: () => string; label: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text());
      setState('copied');
    } catch {
      setState('failed');
    }
    setTimeout(() => setState('idle'), 1500);
  };
  return (
    <button type="button" className="pg-mini-button" onClick={() => void copy()} aria-label={label}>
      <CopyIcon size={14} /> <span aria-live="polite">{state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : 'Copy'}</span>
    </button>
  );
}
