// Runs the rules over one snapshot. A rule that throws is reported as its own error and the others still
// run: the doctor must never fail on the broken installs it exists for.
import type { DoctorReport, RuleResult } from '../../../shared/api/doctor.js';
import { RULES } from './rules/index.js';
import type { Rule } from './rules/rule.js';
import type { Snapshot } from './snapshot.js';

export function runRule(rule: Rule, s: Snapshot): RuleResult {
  const base = { id: rule.id, title: rule.title };
  try {
    const applies = rule.applies(s);
    if (applies !== true) return { ...base, outcome: 'not-applicable', note: applies };
    const finding = rule.check(s);
    return finding ? { ...base, outcome: 'finding', finding } : { ...base, outcome: 'passed' };
  } catch (e) {
    return { ...base, outcome: 'error', note: e instanceof Error ? e.message : String(e) };
  }
}

export function runDoctor(s: Snapshot, rules: readonly Rule[] = RULES): DoctorReport {
  return { at: s.at.toISOString(), release: s.plan.release.id, gaps: s.gaps, results: rules.map((r) => runRule(r, s)) };
}

/** A fix by `<rule>:<fix>` from a report (the CLI's --fix and the doctor.fix request name it so). */
export function findFix(report: DoctorReport, ref: string) {
  const [ruleId, fixId] = ref.split(':');
  const result = report.results.find((r) => r.id === ruleId);
  return result?.finding?.fixes.find((f) => f.id === fixId);
}
