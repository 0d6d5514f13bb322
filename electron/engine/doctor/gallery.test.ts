// Every rule the doctor runs has a gallery snapshot in which it reports its finding (gallery.testkit.ts),
// so the Doctor panel's screenshots (e2e/web/doctor-gallery.spec.ts) cover each rule — a new rule
// without one fails here.
import { describe, expect, it } from 'vitest';
import { GALLERY } from './gallery.testkit.js';
import { RULES } from './rules/index.js';
import { runRule } from './run.js';

describe('the doctor gallery', () => {
  it('has a snapshot for every rule, and nothing for rules that do not exist', () => {
    expect(Object.keys(GALLERY).sort()).toEqual(RULES.map((r) => r.id).sort());
  });

  for (const rule of RULES) {
    it(`${rule.id}: its gallery snapshot makes it report a finding with evidence`, () => {
      const make = GALLERY[rule.id];
      expect(make, `no gallery snapshot for ${rule.id}`).toBeDefined();
      const r = runRule(rule, make!());
      expect(r.outcome, r.note).toBe('finding');
      expect(r.finding!.evidence.length).toBeGreaterThan(0);
    });
  }
});
