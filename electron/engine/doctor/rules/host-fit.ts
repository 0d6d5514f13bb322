// The host check's verdict for the settings: a machine too small for them (memory, CPUs, disk) is named
// here too, so a failed install that ran out of room says so next to its other findings.
import type { Finding } from '../../../../shared/api/doctor.js';
import type { Rule } from './rule.js';

export const hostFit: Rule = {
  id: 'host-fit',
  title: 'This machine fits the settings',
  applies: (s) => (s.rehearsal ? `a rehearsal (${s.rehearsal}): the simulated cluster does not use this machine's memory or CPUs` : s.host ? true : 'the host check has not run'),
  check(s): Finding | undefined {
    const fit = s.host!.fit;
    const bad = fit.checks.filter((c) => c.level !== 'fits');
    if (bad.length === 0) return undefined;
    return {
      severity: fit.level === 'does-not-fit' ? 'error' : 'warning',
      summary: fit.summary,
      evidence: [{ source: 'host', at: s.host!.detectedAt, lines: bad.map((c) => `${c.resource}: needs ${c.need}, has ${c.have}${c.advice ? ` — ${c.advice}` : ''}`) }],
      fixes: [],
    };
  },
};
