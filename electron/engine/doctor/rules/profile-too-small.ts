// The last install stopped at "Start the cluster" because the existing minikube profile is smaller than
// the settings (minikube cannot resize a cluster; electron/engine/steps/minikube-start.ts tooSmall writes
// the words parsed here). Two ways out: delete the profile and install again at the settings' size (one
// click: that install deletes it first, recreate-cluster.ts), or lower the settings to what the profile has.
import { Settings } from '../../../../shared/api/settings.js';
import type { DoctorFix, Finding } from '../../../../shared/api/doctor.js';
import { recreateFix } from './recreate-cluster.js';
import type { Rule } from './rule.js';

export interface ProfileShortfall {
  profile: string;
  cpus?: { have: number; want: number };
  memoryMiB?: { have: number; want: number };
}

/** Reads tooSmall's sentence: `The existing minikube profile "p" has 4 CPUs (settings want 8) and 8192 MiB (settings want 24576).` */
export function parseShortfall(message: string): ProfileShortfall | undefined {
  const m = /The existing minikube profile "([^"]+)" has (.+?)\.(?:\s|$)/.exec(message);
  if (!m) return undefined;
  const cpus = /(\d+) CPUs \(settings want (\d+)\)/.exec(m[2]!);
  const mem = /(\d+) MiB \(settings want (\d+)\)/.exec(m[2]!);
  if (!cpus && !mem) return undefined;
  return {
    profile: m[1]!,
    ...(cpus ? { cpus: { have: Number(cpus[1]), want: Number(cpus[2]) } } : {}),
    ...(mem ? { memoryMiB: { have: Number(mem[1]), want: Number(mem[2]) } } : {}),
  };
}

export const profileTooSmall: Rule = {
  id: 'profile-too-small',
  title: 'The minikube profile is large enough',
  applies: (s) => (s.journal ? true : 'nothing has run yet'),
  check(s): Finding | undefined {
    const j = s.journal!;
    const step = j.kind === 'up' ? j.steps.find((st) => st.id === 'minikube-start' && st.state === 'failed') : undefined;
    const short = step?.error ? parseShortfall(step.error.message) : undefined;
    if (!step?.error || !short) return undefined;
    const { settings } = s.plan;
    const parts = [
      ...(short.cpus ? [`${short.cpus.have} CPUs where the settings want ${short.cpus.want}`] : []),
      ...(short.memoryMiB ? [`${short.memoryMiB.have} MiB of memory where the settings want ${short.memoryMiB.want}`] : []),
    ];
    // One click: the install deletes the profile and creates it at the size the settings already ask for.
    const fixes: DoctorFix[] = [recreateFix('recreate', settings, { cpus: settings.cpus, memoryMiB: settings.memoryMiB })];
    const lower = { ...(short.cpus ? { cpus: short.cpus.have } : {}), ...(short.memoryMiB ? { memoryMiB: short.memoryMiB.have } : {}) };
    // Offered only when the profile's size is itself a valid setting (minikube's minimum of 2 CPUs, 4096 MiB).
    if (Settings.safeParse({ ...settings, ...lower }).success) {
      const changes = [
        ...(short.cpus ? [`CPUs from ${settings.cpus} to ${short.cpus.have}`] : []),
        ...(short.memoryMiB ? [`memory from ${settings.memoryMiB} MiB to ${short.memoryMiB.have} MiB`] : []),
      ];
      fixes.push({
        kind: 'settings', id: 'fit-profile', label: `Use the size "${short.profile}" has`,
        does: `Sets ${changes.join(' and ')} (what profile "${short.profile}" has) and runs the install again on the existing cluster; the model servers get that much room and no more.`,
        settings: lower,
      });
    }
    return {
      severity: 'error',
      summary: `The minikube profile "${short.profile}" already exists with ${parts.join(' and ')}, and minikube cannot resize a cluster: the install stopped at step minikube-start.`,
      evidence: [
        { source: `journal/${j.runId}`, ...(step.endedAt ? { at: step.endedAt } : {}), lines: [`${step.error.code}: ${step.error.message}`, ...(step.error.hint ? [`What to do: ${step.error.hint}`] : [])] },
        { source: `minikube-profile/${short.profile}`, lines: parts },
      ],
      fixes,
    };
  },
};
