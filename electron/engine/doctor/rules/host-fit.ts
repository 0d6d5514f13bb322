// The host check's verdict for the settings the doctor looks at: a machine too small for them (memory, CPUs,
// disk) is named here too, so a failed install that ran out of room says so next to its other findings, and
// the sizes the fit proposes (shared/fit.ts `suggested`) are one click away. In a rehearsal the simulated
// cluster does not use this machine, so its size says nothing — unless recorded facts stand for the machine
// being rehearsed: then the finding is what the install there would meet, as a warning (the rehearsal's own
// host step only warns too, steps/host-check.ts).
import type { DoctorFix, Finding } from '../../../../shared/api/doctor.js';
import type { FitSuggestion } from '../../../../shared/api/host.js';
import { Settings } from '../../../../shared/api/settings.js';
import type { Snapshot } from '../snapshot.js';
import type { Rule } from './rule.js';

const WORDS: Record<keyof FitSuggestion, (v: number, was: number) => string> = {
  replicas: (v, was) => `replicas from ${was} to ${v}`,
  cpus: (v, was) => `cluster CPUs from ${was} to ${v}`,
  memoryMiB: (v, was) => `cluster memory from ${was} MiB to ${v} MiB`,
  diskGB: (v, was) => `disk from ${was} GB to ${v} GB`,
};

/** The fit's proposed sizes as one settings fix, when they differ from the settings and make valid ones. */
function suggestedFix(s: Snapshot): DoctorFix | undefined {
  const suggested = s.host!.fit.suggested ?? {};
  const settings = s.plan.settings;
  const changes = (Object.keys(WORDS) as Array<keyof FitSuggestion>).flatMap((k) => {
    const v = suggested[k];
    return v !== undefined && v !== settings[k] ? [[k, v] as const] : [];
  });
  if (changes.length === 0 || !Settings.safeParse({ ...settings, ...Object.fromEntries(changes) }).success) return undefined;
  const resizes = changes.some(([k]) => k === 'cpus' || k === 'memoryMiB' || k === 'diskGB');
  return {
    kind: 'settings', id: 'use-suggested', label: 'Use the sizes that fit this machine',
    does: `Sets ${changes.map(([k, v]) => WORDS[k](v, settings[k])).join(', ')} and runs the install again${resizes ? ' (a cluster that already exists keeps the size it was made with: minikube cannot resize one)' : ''}.`,
    settings: Object.fromEntries(changes),
  };
}

export const hostFit: Rule = {
  id: 'host-fit',
  title: 'This machine fits the settings',
  applies(s) {
    if (!s.host) return 'the host check has not run';
    if (s.rehearsal && !s.hostRecorded) return `a rehearsal (${s.rehearsal}): the simulated cluster does not use this machine's memory or CPUs`;
    return true;
  },
  check(s): Finding | undefined {
    const fit = s.host!.fit;
    const bad = fit.checks.filter((c) => c.level !== 'fits');
    if (bad.length === 0) return undefined;
    const fix = suggestedFix(s);
    return {
      severity: fit.level === 'does-not-fit' && !s.rehearsal ? 'error' : 'warning',
      summary: s.rehearsal && fit.level === 'does-not-fit'
        ? `${fit.summary} This rehearsal's simulated cluster runs anyway; on a machine of the recorded size the install would stop at "Check this computer".`
        : fit.summary,
      evidence: [{ source: s.hostRecorded ? 'host (recorded facts)' : 'host', at: s.host!.detectedAt, lines: bad.map((c) => `${c.resource}: needs ${c.need}, has ${c.have}${c.advice ? ` — ${c.advice}` : ''}`) }],
      fixes: fix ? [fix] : [],
    };
  },
};
