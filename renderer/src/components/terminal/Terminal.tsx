// A read-only log terminal (xterm.js with the fit and search addons): ANSI colours, themed from the
// page's CSS variables (light/dark), search (Ctrl/Cmd+F while focused, or the Search button) and Copy
// (the selection, else everything). It draws the lines it is given and then only appends new ones
// (`total` counts the lines ever given, so a list trimmed at the front still appends only what is new);
// when `epoch` changes (the buffer was replaced) it redraws from scratch. Large amounts are handed to
// xterm in bounded slices with flow control (write-slices.ts), so neither a flood nor a whole log of
// 200,000 lines blocks the page for long.
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { Terminal as XTerm, type ITheme } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { CopyButton } from '../CopyButton.js';
import { Search, X } from '../Icons.js';
import { stripAnsi } from './ansi.js';
import { adoptInlineStyles } from './csp-styles.js';
import { rowsBound, SliceQueue } from './write-slices.js';

export interface TerminalProps {
  /** What the terminal shows, e.g. "Log of Start the cluster". */
  label: string;
  lines: readonly string[];
  /** Per line, the step it came from (the combined terminal prefixes it). */
  stepIds?: readonly string[];
  epoch: number;
  /** Lines ever given since the last epoch (default: `lines.length`); more once the front was trimmed. */
  total?: number;
  /** A whole log: keep every line given (by default xterm keeps the last 20,000 rows). */
  keepAll?: boolean;
  /** More buttons for the bar, before Copy. */
  actions?: ReactNode;
  height?: number;
  testId?: string;
}

/**
 * One xterm.write at most (characters): xterm parses a write in one go (its write buffer yields only
 * between writes, after 12 ms), and one write of 4,000 lines (~300 K) took 128 ms on a loaded machine;
 * 8 K characters (~130 lines) take a few ms.
 */
const SLICE_CHARS = 8 * 1024;
/** Characters handed to xterm and not parsed yet: above it the rest waits for xterm's write callbacks. */
const HIGH_WATER = 8 * SLICE_CHARS;
const SCROLLBACK = 20_000;

/** A whole log's scrollback: enough rows for every line however they wrap (write-slices.ts `rowsBound`). */
function sizeScrollback(t: XTerm, w: { kept: number; chars: number }, keepAll: boolean): void {
  const now = t.options.scrollback ?? SCROLLBACK;
  if (!keepAll) {
    if (now !== SCROLLBACK) t.options.scrollback = SCROLLBACK;
    return;
  }
  const want = rowsBound(w.kept, w.chars, t.cols) + t.rows;
  // A quarter more than needed, so a growing log does not resize it often (each change copies xterm's rows).
  if (want > now) t.options.scrollback = Math.max(SCROLLBACK, Math.ceil(want * 1.25));
}

const cssVar = (name: string): string => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

function themeFromCss(): ITheme {
  return {
    background: cssVar('--term-bg'),
    foreground: cssVar('--term-fg'),
    cursor: cssVar('--term-bg'),
    selectionBackground: cssVar('--term-selection'),
    black: cssVar('--term-black'),
    red: cssVar('--term-red'),
    green: cssVar('--term-green'),
    yellow: cssVar('--term-yellow'),
    blue: cssVar('--term-blue'),
    magenta: cssVar('--term-magenta'),
    cyan: cssVar('--term-cyan'),
    white: cssVar('--term-white'),
    brightBlack: cssVar('--term-bright-black'),
  };
}

export function Terminal({ label, lines, stepIds, epoch, total = lines.length, keepAll = false, actions, height = 300, testId }: TerminalProps) {
  const host = useRef<HTMLDivElement>(null);
  const term = useRef<XTerm | null>(null);
  const search = useRef<SearchAddon | null>(null);
  /** Lines given and drawn in this epoch, and their characters (to size the scrollback of a whole log). */
  const written = useRef({ count: 0, epoch: -1, drawn: 0, chars: 0, kept: 0 });
  const keepAllRef = useRef(keepAll);
  keepAllRef.current = keepAll;
  /** Lines waiting for xterm (built into text only when taken), what xterm has not parsed yet, and the frame that feeds it. */
  const queue = useRef<{ slices: SliceQueue; inFlight: number; frame: number | undefined }>({ slices: new SliceQueue(), inFlight: 0, frame: undefined });
  const [searching, setSearching] = useState(false);
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<boolean | undefined>(undefined);
  const searchInput = useRef<HTMLInputElement>(null);
  const searchId = useId();

  // Create once.
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const styles = adoptInlineStyles(el.ownerDocument);
    const t = styles.run(() => new XTerm({
      disableStdin: true,
      convertEol: true,
      scrollback: SCROLLBACK,
      fontFamily: cssVar('--mono') || 'monospace',
      fontSize: 12.5,
      lineHeight: 1.25,
      cursorBlink: false,
      cursorInactiveStyle: 'none',
      theme: themeFromCss(),
      allowProposedApi: true,
    }));
    const fit = new FitAddon();
    const s = new SearchAddon();
    t.loadAddon(fit);
    t.loadAddon(s);
    styles.run(() => t.open(el));
    t.attachCustomKeyEventHandler((e) => {
      if (e.type === 'keydown' && (e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'f') {
        e.preventDefault();
        setSearching(true);
        return false;
      }
      return true;
    });
    term.current = t;
    search.current = s;
    written.current = { count: 0, epoch: -1, drawn: 0, chars: 0, kept: 0 };
    const doFit = () => {
      try {
        fit.fit();
        sizeScrollback(t, written.current, keepAllRef.current);
      } catch {
        // not laid out yet (hidden): the next resize fits it
      }
    };
    doFit();
    const ro = new ResizeObserver(doFit);
    ro.observe(el);
    // Follow the light/dark switch.
    const mo = new MutationObserver(() => {
      t.options.theme = themeFromCss();
    });
    mo.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    return () => {
      if (queue.current.frame !== undefined) cancelAnimationFrame(queue.current.frame);
      queue.current = { slices: new SliceQueue(), inFlight: 0, frame: undefined };
      ro.disconnect();
      mo.disconnect();
      t.dispose();
      styles.dispose();
      term.current = null;
      search.current = null;
    };
  }, []);

  useEffect(() => {
    if (term.current) sizeScrollback(term.current, written.current, keepAll);
  }, [keepAll]);

  // Draw what is new: slices of at most SLICE_CHARS, no more than HIGH_WATER unparsed, refilled as xterm
  // parses them.
  useEffect(() => {
    const t = term.current;
    if (!t) return;
    const w = written.current;
    const q = queue.current;
    if (w.epoch !== epoch || total < w.count) {
      // Through the write stream (RIS, ESC c), not t.reset(): slices still in xterm's write buffer would be
      // parsed after a reset() and show the old lines above the new ones.
      t.write('\u001bc');
      q.slices.clear();
      w.count = 0;
      w.drawn = 0;
      w.chars = 0;
      w.kept = 0;
      w.epoch = epoch;
    }
    const fresh = Math.min(total - w.count, lines.length);
    if (fresh <= 0) return;
    q.slices.push(lines, stepIds, lines.length - fresh, lines.length);
    w.count = total;
    for (let i = lines.length - fresh; i < lines.length; i++) w.chars += lines[i]!.length;
    w.kept += fresh;
    sizeScrollback(t, w, keepAllRef.current);
    const feed = () => {
      q.frame = undefined;
      if (term.current !== t) return;
      const inEpoch = w.epoch;
      for (let s = q.inFlight < HIGH_WATER ? q.slices.take(SLICE_CHARS) : undefined; s; s = q.inFlight < HIGH_WATER ? q.slices.take(SLICE_CHARS) : undefined) {
        const { text, lines: done } = s;
        q.inFlight += text.length;
        t.write(text, () => {
          q.inFlight -= text.length;
          // Once xterm has parsed them, the body says how many lines it holds in this epoch (tests and the
          // benchmarks wait for it; xterm draws only the rows in view).
          if (w.epoch === inEpoch) {
            w.drawn += done;
            if (done) host.current?.setAttribute('data-lines-drawn', String(w.drawn));
          }
          // Refill at once: xterm's write buffer yields to the page every 12 ms by itself, so waiting for
          // a frame here only slowed a flood down.
          if (q.slices.pending && q.frame === undefined && term.current === t) feed();
        });
      }
      if (q.slices.pending && q.inFlight < HIGH_WATER) q.frame = requestAnimationFrame(feed);
    };
    if (q.frame === undefined) feed();
  }, [lines, stepIds, epoch, total]);

  useEffect(() => {
    if (searching) searchInput.current?.focus();
  }, [searching]);

  const find = (direction: 'next' | 'previous') => {
    const s = search.current;
    if (!s || !query) return;
    const opts = { decorations: { matchOverviewRuler: '#888888', activeMatchColorOverviewRuler: '#ffaa00', matchBackground: '#ffd86b55', activeMatchBackground: '#ffaa00aa' } };
    setFound(direction === 'next' ? s.findNext(query, opts) : s.findPrevious(query, opts));
  };

  const closeSearch = () => {
    search.current?.clearDecorations();
    setSearching(false);
    setFound(undefined);
    term.current?.focus();
  };

  // The selection if there is one, else every line (with its step, in the all-steps log), without escapes.
  const copyText = () => {
    const t = term.current;
    return t?.hasSelection() ? t.getSelection() : lines.map((l, i) => `${stepIds?.[i] ? `[${stepIds[i]}] ` : ''}${stripAnsi(l)}`).join('\n');
  };

  const onSearchKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      find(e.shiftKey ? 'previous' : 'next');
    } else if (e.key === 'Escape') {
      e.preventDefault();
      closeSearch();
    }
  };

  return (
    <section className="terminal card" aria-label={label} data-testid={testId}>
      <div className="terminal-bar">
        <span className="terminal-title">{label}</span>
        <span className="muted small" aria-live="polite" data-testid="terminal-lines">{lines.length} {lines.length === 1 ? 'line' : 'lines'}</span>
        <span className="spacer" />
        {searching && (
          <span className="terminal-search" role="search">
            <label htmlFor={searchId} className="visually-hidden">Find in {label}</label>
            <input id={searchId} ref={searchInput} type="search" value={query} placeholder="Find…" onChange={(e) => { setQuery(e.target.value); setFound(undefined); }} onKeyDown={onSearchKey} />
            <button type="button" className="button small-button" onClick={() => find('previous')}>Previous</button>
            <button type="button" className="button small-button" onClick={() => find('next')}>Next</button>
            <span className="small" role="status">{found === false ? <span className="bad-text">No match</span> : found ? "Found" : ""}</span>
            <button type="button" className="icon-button" aria-label="Close search" onClick={closeSearch}><X size={15} /></button>
          </span>
        )}
        {!searching && (
          <button type="button" className="button small-button" onClick={() => setSearching(true)} aria-keyshortcuts="Control+F">
            <Search size={15} /> Search
          </button>
        )}
        {actions}
        <CopyButton text={copyText} />
      </div>
      <div className="terminal-body" ref={host} style={{ height }} data-testid={testId ? `${testId}-body` : undefined} />
    </section>
  );
}
