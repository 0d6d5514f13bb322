// The shape every doctor rule has (docs/architecture.md §4 "Doctor"), and the small readers rules share.
import type { DoctorFix, Finding } from '../../../../shared/api/doctor.js';
import { defaultSettings } from '../../../../shared/api/settings.js';
import { releaseSelectors, type ChosenImage } from '../../../../shared/release.js';
import { labelMatcher } from '../../kube/pod-summary.js';
import { logKey, type ContainerSnapshot, type PodSnapshot, type Snapshot } from '../snapshot.js';

export interface Rule {
  id: string;
  title: string;
  /** true, or why the rule has nothing to look at in this snapshot (shown as "not applicable"). */
  applies(s: Snapshot): true | string;
  /** A finding, or undefined when what the rule checks is fine. Pure: reads only the snapshot. */
  check(s: Snapshot): Finding | undefined;
}

export const needsCluster = (s: Snapshot): true | string => (s.cluster.reachable ? true : `no cluster to look at (${s.cluster.why})`);

export const isDecodePod = (s: Snapshot, p: PodSnapshot): boolean => labelMatcher(releaseSelectors(s.plan.release).decode)(p.labels);

export const podSource = (p: PodSnapshot): string => `pod/${p.namespace}/${p.name}`;

/** The last `n` log lines of a container (the previous run's after a restart, when asked). */
export function lastLines(s: Snapshot, p: PodSnapshot, c: ContainerSnapshot, n = 8, previous = false): string[] {
  return (s.logs[logKey(p, c.name, previous)] ?? []).slice(-n);
}

/** Seconds between an ISO time and the snapshot. */
export const secondsSince = (s: Snapshot, at: string | undefined): number | undefined =>
  at === undefined ? undefined : Math.max(0, Math.round((s.at.getTime() - Date.parse(at)) / 1000));

export const minutes = (seconds: number): string => (seconds < 90 ? `${seconds} s` : `${Math.round(seconds / 60)} min`);

/** The last install (not a teardown) finished this step: ran it, or found it already done. */
export function stepFinished(s: Snapshot, id: string): boolean {
  const j = s.journal;
  const step = j?.kind === 'up' ? j.steps.find((st) => st.id === id) : undefined;
  return step !== undefined && (step.state === 'done' || (step.state === 'skipped' && step.outcome === 'already-done'));
}

/**
 * `npm run cli -- <command>` with the settings the doctor looked at, as CLI flags where they differ from
 * the defaults: the CLI reads the saved settings, and a report made with `--release …` must not send the
 * person to a command that installs (or forwards to) another stack.
 */
export function cliCommand(s: Snapshot, ...command: string[]): string[] {
  return cliCommandFor(s.plan.settings, ...command);
}

/** `npm run cli -- <command>` with these settings as flags where they differ from the defaults (cliCommand). */
export function cliCommandFor(st: Snapshot['plan']['settings'], ...command: string[]): string[] {
  const d = defaultSettings();
  return ['npm', 'run', 'cli', '--', ...command,
    ...(st.release !== d.release ? ['--release', st.release] : []),
    ...(st.driver !== d.driver ? ['--driver', st.driver] : []),
    ...(st.model !== d.model ? ['--model', st.model] : []),
    ...(st.replicas !== d.replicas ? ['--replicas', String(st.replicas)] : []),
    ...(st.gpu ? ['--gpu'] : []),
  ];
}

/** The fix that drops a person's image override (Configure → Advanced) and installs the release's own again. */
export function releaseImageFix(s: Snapshot, image: ChosenImage, label: string, why = ''): DoctorFix {
  return {
    kind: 'settings', id: 'release-default', label,
    does: `Drops your override ${image.ref} and runs the install again with the release’s ${image.defaultRef}${why}.`,
    settings: { images: Object.fromEntries(Object.entries(s.plan.settings.images).filter(([role]) => role !== image.role)) },
  };
}
