// Copies a text to the clipboard and says so.
import { useState } from 'react';
import { Copy } from './Icons.js';

export function CopyButton({ text, label = 'Copy', what }: { text: string; label?: string; what?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      setState('failed');
    }
    setTimeout(() => setState('idle'), 1500);
  };
  return (
    <button type="button" className="button small-button" onClick={() => void copy()} {...(what ? { 'aria-label': `${label} ${what}` } : {})}>
      <Copy size={15} /> {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : label}
    </button>
  );
}
