// The one-click "recreate the cluster bigger" fix the OOMKilled, FailedScheduling and too-small-profile rules
// share. minikube cannot resize a cluster (a --cpus/--memory change on an existing profile is ignored with a
// warning), so the fix changes the size settings and the install it starts deletes the profile first
// (steps/minikube-start.ts, plan.recreateCluster) — its `does` says plainly what is lost and what survives.
import type { DoctorFix } from '../../../../shared/api/doctor.js';
import { replicaResources, type Settings } from '../../../../shared/api/settings.js';
import { clusterRequests, cpusFor, settingsFitOnHost } from '../../../../shared/fit.js';
import { stackRequests } from '../../../../shared/release.js';
import type { Snapshot } from '../snapshot.js';

export interface ClusterSize { cpus: number; memoryMiB: number }

const gib = (mib: number): string => `${Math.round((mib / 1024) * 10) / 10} GiB`;

/**
 * What is lost and what survives, truthfully for these settings: the host's caches (steps/cache-use.ts) live
 * outside the node — the model weights in <data dir>/cache/models, bound into every new node; the images the
 * pre-pull kept in <data dir>/cache/images, loaded into a new cluster before any pod starts.
 */
export function recreateDoes(settings: Settings, size: ClusterSize): string {
  const kept = [
    ...(settings.modelCache ? ['the model weights'] : []),
    ...(settings.imageCache ? ['the images'] : []),
  ];
  const survives = kept.length
    ? `${kept.join(' and ')} cached on this computer survive and go into the new cluster`
    : 'nothing is cached on this computer (the model and image caches are off), so everything is downloaded again';
  const lost = settings.modelCache ? '' : ' and the model weights downloaded into it';
  return `Deletes the cluster "${settings.profile}" and everything in it first (every pod, volume and deployed chart${lost}), `
    + `then runs the install again to create it with ${size.cpus} CPUs and ${gib(size.memoryMiB)} of memory; ${survives}.`;
}

/** The fix itself: the size settings that differ, and the cluster deleted and created again at them. */
export function recreateFix(id: string, settings: Settings, size: ClusterSize): DoctorFix {
  const change = {
    ...(size.cpus !== settings.cpus ? { cpus: size.cpus } : {}),
    ...(size.memoryMiB !== settings.memoryMiB ? { memoryMiB: size.memoryMiB } : {}),
  };
  return {
    kind: 'settings', id, recreatesCluster: true,
    label: `Recreate the cluster with ${size.cpus} CPUs / ${gib(size.memoryMiB)}`,
    does: recreateDoes(settings, size),
    settings: change,
  };
}

/**
 * The smallest cluster at least as big as the settings' that the fit accepts for `replicas` (shared/fit.ts):
 * the CPUs and memory every pod requests (control plane, the release's pods, each replica) and the memory
 * the replicas' limits take, in whole GiB as a person would set it.
 */
export function smallestClusterFor(s: Snapshot, replicas: number): ClusterSize {
  const need = clusterNeeds(s, replicas);
  const { settings } = s.plan;
  return { cpus: Math.max(settings.cpus, need.cpus), memoryMiB: Math.max(settings.memoryMiB, Math.ceil(need.memoryMiB / 1024) * 1024) };
}

/** Whether the cluster's CPUs and memory hold what `replicas` replicas and the rest of the stack request. */
export function fitsCluster(s: Snapshot, replicas: number): boolean {
  const need = clusterNeeds(s, replicas);
  return need.cpus <= s.plan.settings.cpus && need.memoryMiB <= s.plan.settings.memoryMiB;
}

/** The CPUs every pod requests, and the memory they request or the replicas' limits take, whichever is more. */
function clusterNeeds(s: Snapshot, replicas: number): ClusterSize {
  const replica = replicaResources(s.plan.settings);
  const req = clusterRequests(stackRequests(s.plan.release), replica, replicas);
  return { cpus: cpusFor(req), memoryMiB: Math.max(req.memoryMiB, replicas * (replica?.memoryLimitGi ?? 0) * 1024) };
}

/**
 * Whether this machine can give a cluster of that size, when the snapshot knows the host (a rehearsal's
 * simulated cluster does not use the host's memory or CPUs): never offer a cluster bigger than the machine.
 */
export function hostAllows(s: Snapshot, size: ClusterSize): boolean {
  if (s.rehearsal || !s.host) return true;
  const next: Settings = { ...s.plan.settings, ...size };
  const fit = settingsFitOnHost(next, s.host.facts, stackRequests(s.plan.release));
  return fit.fit.checks.every((c) => (c.resource !== 'memory' && c.resource !== 'cpu') || c.level !== 'does-not-fit');
}
