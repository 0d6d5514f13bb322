// Every rule the doctor runs has a gallery snapshot in which it reports its finding (gallery.testkit.ts),
// so the Doctor panel's screenshots (e2e/web/doctor-gallery.spec.ts) cover each rule — a new rule
// without one fails here.
import { describe, expect, it } from 'vitest';
import { GALLERY, GALLERY_VARIANTS } from './gallery.testkit.js';
import { RULES } from './rules/index.js';
import { runRule } from './run.js';

describe('the doctor gallery', () => {
  it('has a snapshot for every rule, and nothing for rules that do not exist', () => {
    expect(Object.keys(GALLERY).sort()).toEqual(RULES.map((r) => r.id).sort());
  });

  for (const [key, v] of Object.entries(GALLERY_VARIANTS)) {
    it(`${key}: a second shape of ${v.rule}'s finding, different from its main snapshot's`, () => {
      const rule = RULES.find((r) => r.id === v.rule);
      expect(rule, `no rule ${v.rule}`).toBeDefined();
      const r = runRule(rule!, v.make());
      expect(r.outcome, r.note).toBe('finding');
      expect(r.finding!.summary).not.toBe(runRule(rule!, GALLERY[v.rule]!()).finding!.summary);
    });
  }

  for (const rule of RULES) {
    it(`${rule.id}: its gallery snapshot makes it report a finding with evidence`, () => {
      const make = GALLERY[rule.id];
      expect(make, `no gallery snapshot for ${rule.id}`).toBeDefined();
      const r = runRule(rule, make!());
      expect(r.outcome, r.note).toBe('finding');
      expect(r.finding!.evidence.length).toBeGreaterThan(0);
    });
  }

  // Each variant is the finding it is named after (its id after the rule's), not the rule's main case again.
  const reasons: Record<string, { summary: RegExp; fix: string }> = {
    'image-pull-denied': { summary: /the registry refuses it/, fix: 'pull-secret' },
    'image-pull-rate-limited': { summary: /rate-limits anonymous pulls/, fix: 'pull-secret' },
    'image-pull-wrong-arch': { summary: /no build for this node's architecture \(linux\/amd64\)/, fix: 'release-default' },
    'image-pull-wrong-arch-release': { summary: /runs docker\.io\/vllm\/vllm-openai-cpu:v0\.26\.0 instead/, fix: 'release-llm-d-0-9-optimized-baseline' },
    'failed-scheduling-cpu': { summary: /too little cpu/, fix: 'bigger-cluster' },
  };
  for (const [id, want] of Object.entries(reasons)) {
    it(`${id}: a finding of its rule with the fix its reason asks for`, () => {
      const v = GALLERY_VARIANTS[id];
      expect(v, `no gallery variant ${id}`).toBeDefined();
      const r = runRule(RULES.find((x) => x.id === v!.rule)!, v!.make());
      expect(r.outcome, r.note).toBe('finding');
      expect(r.finding!.summary).toMatch(want.summary);
      expect(r.finding!.fixes.map((f) => f.id)).toContain(want.fix);
    });
  }
});
