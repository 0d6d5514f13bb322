// The doctor's report as a person reads it in a terminal (`npm run cli -- doctor`).
import type { DoctorReport } from '../../../shared/api/doctor.js';
import { formatArgv } from '../../../shared/shell-quote.js';

const MARK = { passed: '✔', finding: '✘', 'not-applicable': '–', error: '!' } as const;

export function formatDoctorReport(r: DoctorReport): string {
  const out: string[] = [`Doctor (${r.release}, ${r.at})`];
  for (const g of r.gaps) out.push(`  could not look at ${g}`);
  for (const res of r.results) {
    const f = res.finding;
    const mark = f?.severity === 'info' ? 'ℹ' : f?.severity === 'warning' ? '⚠' : MARK[res.outcome];
    out.push(`${mark} ${res.title} [${res.id}]${f ? `: ${f.summary}` : res.note ? ` — ${res.note}` : ''}`);
    if (!f) continue;
    for (const e of f.evidence) {
      out.push(`    ${e.source}${e.at ? ` (${e.at})` : ''}`);
      for (const l of e.lines) out.push(`      ${l}`);
    }
    for (const x of f.fixes) {
      if (x.kind === 'settings') out.push(`    fix ${res.id}:${x.id} — ${x.label}: ${x.does} (npm run cli -- doctor --fix ${res.id}:${x.id})`);
      else out.push(`    fix ${res.id}:${x.id} — ${x.label}:`, ...x.commands.map((c) => `      $ ${formatArgv(c)}`));
    }
  }
  return out.join('\n');
}
