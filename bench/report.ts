// The benchmark table: one row per figure, with its target where issue #16 sets one, printed and
// written as Markdown for the README.
export interface Row {
  name: string;
  value: string;
  target?: string;
  met?: boolean;
}

export function markdownTable(rows: readonly Row[]): string {
  const lines = ['| Benchmark | Result | Target |', '|---|---|---|'];
  for (const r of rows) lines.push(`| ${r.name} | ${r.value} | ${r.target ? `${r.target}${r.met === undefined ? '' : r.met ? ' ✅' : ' ❌'}` : ''} |`);
  return lines.join('\n');
}

export const ms = (n: number): string => (n >= 1000 ? `${(n / 1000).toFixed(2)} s` : `${Math.round(n)} ms`);
export const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;
export const num = (n: number): string => Math.round(n).toLocaleString('en');
