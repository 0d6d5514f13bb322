// Where the last run stopped: the failed step and its error, with the details the step recorded (the
// anchor the other findings explain).
import type { Finding } from '../../../../shared/api/doctor.js';
import type { Rule } from './rule.js';

export const lastRun: Rule = {
  id: 'last-run',
  title: 'The last run finished',
  applies: (s) => (s.journal ? true : 'nothing has run yet'),
  check(s): Finding | undefined {
    const j = s.journal!;
    if (j.status !== 'failed') return undefined;
    const step = j.steps.find((st) => st.state === 'failed');
    const err = step?.error;
    return {
      severity: 'error',
      summary: `The last ${j.kind === 'up' ? 'install' : 'teardown'} stopped at step ${step?.id ?? '?'}${err ? `: ${err.message}` : '.'}`,
      evidence: [{ source: `journal/${j.runId}`, ...(j.endedAt ? { at: j.endedAt } : {}), lines: [...(err ? [`${err.code}: ${err.message}`] : []), ...(err?.hint ? [`What to do: ${err.hint}`] : [])] }],
      fixes: [],
    };
  },
};
