// The shape every doctor rule has (DESIGN.md §4 "Doctor"), and the small readers rules share.
import type { Finding } from '../../../../shared/api/doctor.js';
import { releaseSelectors } from '../../../../shared/release.js';
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
