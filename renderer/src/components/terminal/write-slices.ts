// What the terminal hands xterm, and when (issue #16). xterm parses each `write` in one go on the main
// thread: one write of 4,000 lines (~300 KB) made a 128 ms task on a loaded machine. So lines wait here
// as ranges (text is built only when taken), leave as slices of at most `maxChars`, and only while
// what xterm has not parsed yet stays under a high-water mark (xterm's write callback says when a slice
// is parsed: its documented flow control, https://xtermjs.org/docs/guides/flowcontrol/). xterm's own
// write buffer then parses a few slices per task and yields between them.
import { colourLine, stepPrefix } from './ansi.js';

interface Range {
  lines: readonly string[];
  stepIds: readonly string[] | undefined;
  /** Next line to take, and the end (lines appended to the array later are a range of their own). */
  from: number;
  to: number;
  /** Of the line at `from`, the characters already taken (a line longer than a slice spans several). */
  taken: number;
}

export interface Slice {
  text: string;
  /** Lines this slice completes (their line end is in it). */
  lines: number;
}

/** A line as the terminal shows it: the step's prefix in the combined view, colours, and its line end. */
const render = (line: string, stepId: string | undefined): string => `${stepId ? stepPrefix(stepId) : ''}${colourLine(line)}\r\n`;

export class SliceQueue {
  private ranges: Range[] = [];
  /** The current line's rendered text while it is being taken in pieces. */
  private partial: string | undefined;

  /** Queues lines[from, to) — the arrays are read when taken, so they must not change in that range. */
  push(lines: readonly string[], stepIds: readonly string[] | undefined, from = 0, to = lines.length): void {
    if (to > from) this.ranges.push({ lines, stepIds, from, to, taken: 0 });
  }

  get pending(): boolean {
    return this.ranges.length > 0;
  }

  clear(): void {
    this.ranges = [];
    this.partial = undefined;
  }

  /** The next slice, at most `maxChars` long (never empty while lines are pending). */
  take(maxChars: number): Slice | undefined {
    if (maxChars < 1) throw new RangeError('a slice holds at least one character');
    let text = '';
    let lines = 0;
    while (this.ranges.length && text.length < maxChars) {
      const r = this.ranges[0]!;
      const full = this.partial ?? render(r.lines[r.from]!, r.stepIds?.[r.from]);
      const room = maxChars - text.length;
      const rest = full.length - r.taken;
      if (rest > room) {
        if (text.length > 0 && rest <= maxChars) break; // it fits whole in the next slice: keep lines whole
        // Longer than a slice: take what fits, without parting a surrogate pair.
        let cut = r.taken + room;
        const code = full.charCodeAt(cut - 1);
        if (code >= 0xd800 && code <= 0xdbff && cut - 1 > r.taken) cut--;
        text += full.slice(r.taken, cut);
        r.taken = cut;
        this.partial = full;
        break;
      }
      text += r.taken ? full.slice(r.taken) : full;
      lines++;
      this.partial = undefined;
      r.taken = 0;
      if (++r.from >= r.to) this.ranges.shift();
    }
    return text ? { text, lines } : undefined;
  }
}

/**
 * Rows `lines` lines of `chars` characters in all can take at `cols` columns. xterm's scrollback counts
 * rows, and a line wider than the terminal wraps: 50,000 lines of helmfile output at 85 columns took
 * ~100,000 rows, and a scrollback of "lines + 1,000" lost the first half of a whole log. A line of n
 * characters takes at most 1 + n/cols rows (escapes counted as characters: an overestimate; a wide CJK
 * character, two columns, is the one case it undercounts), so the sum bounds the rows for any width.
 */
export const rowsBound = (lines: number, chars: number, cols: number): number => Math.ceil(lines + chars / Math.max(1, cols));
