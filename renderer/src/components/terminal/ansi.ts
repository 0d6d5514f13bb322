// Colours for log lines that carry none of their own: commands stand out, errors are red, warnings
// yellow, "done" lines green. Lines that already contain ANSI escapes are left as the tool wrote them.
const ESC = '\u001b[';
const RESET = `${ESC}0m`;

export function colourLine(line: string): string {
  if (line.includes('\u001b[')) return line;
  if (line.startsWith('$ ')) return `${ESC}1;36m$${RESET} ${ESC}1m${line.slice(2)}${RESET}`;
  if (/^(error|fatal|failed)\b|\b(error|failed|failure|refused|denied)\b:?/i.test(line)) return `${ESC}31m${line}${RESET}`;
  if (/^(warning|warn)\b|\bwarning:/i.test(line)) return `${ESC}33m${line}${RESET}`;
  if (/^(✓|done\b|already done|installed\b)|\b(succeeded|is ready|installed)\s*$/i.test(line)) return `${ESC}32m${line}${RESET}`;
  return line;
}

/** Prefix for the combined terminal: the step id in grey (dim text fails contrast), so interleaved steps stay readable. */
export const stepPrefix = (stepId: string): string => `${ESC}90m[${stepId}]${RESET} `;

/** Plain text of lines for the clipboard (no escapes). */
// eslint-disable-next-line no-control-regex
export const stripAnsi = (s: string): string => s.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');
