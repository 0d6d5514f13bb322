// V1Pod → the summary the UI shows, through the shared kubectl-equivalent status function.
import type { CoreV1Event, V1Pod } from '@kubernetes/client-node';
import type { ClusterEvent, PodSummary } from '../../../shared/api/cluster.js';
import { podStatus } from '../../../shared/kube/pod-status.js';

const iso = (d: Date | string | undefined | null): string | undefined => (d == null ? undefined : typeof d === 'string' ? d : d.toISOString());

export function summarizePod(pod: V1Pod): PodSummary {
  const s = podStatus(pod);
  const unschedulable = pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable');
  const created = iso(pod.metadata?.creationTimestamp);
  return {
    namespace: pod.metadata?.namespace ?? '',
    name: pod.metadata?.name ?? '',
    ...(pod.metadata?.uid ? { uid: pod.metadata.uid } : {}),
    ready: s.ready,
    total: s.total,
    readyText: s.readyText,
    status: s.status,
    restarts: s.restarts,
    ...(s.lastRestartAt ? { lastRestartAt: s.lastRestartAt } : {}),
    ...(s.lastTerminationReason ? { lastTerminationReason: s.lastTerminationReason } : {}),
    podReady: s.podReady,
    ...(s.message ? { message: s.message } : {}),
    ...(unschedulable ? { unschedulable: unschedulable.message ?? 'Unschedulable' } : {}),
    ...(created ? { createdAt: created } : {}),
    ...(pod.status?.podIP ? { podIP: pod.status.podIP } : {}),
    labels: { ...(pod.metadata?.labels ?? {}) },
    containers: [
      ...(pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always').map((c) => c.name),
      ...(pod.spec?.containers ?? []).map((c) => c.name),
    ],
  };
}

export function summarizeEvent(e: CoreV1Event): ClusterEvent {
  const last = iso(e.lastTimestamp) ?? iso(e.eventTime) ?? iso(e.firstTimestamp) ?? iso(e.metadata?.creationTimestamp);
  return {
    namespace: e.metadata?.namespace ?? e.involvedObject?.namespace ?? '',
    object: `${(e.involvedObject?.kind ?? '').toLowerCase()}/${e.involvedObject?.name ?? ''}`,
    type: e.type ?? 'Normal',
    reason: e.reason ?? '',
    message: e.message ?? '',
    count: e.count ?? 1,
    ...(last ? { lastSeen: last } : {}),
  };
}

/** Parses a label selector of the equality form the guide uses ("a=b,c=d") into a matcher. */
export function labelMatcher(selector: string): (labels: Record<string, string>) => boolean {
  const terms = selector.split(',').map((t) => t.trim()).filter(Boolean).map((t) => {
    const [k, v] = t.split(/==?/);
    if (k === undefined || v === undefined) throw new Error(`Unsupported label selector term "${t}" (use key=value)`);
    return [k.trim(), v.trim()] as const;
  });
  return (labels) => terms.every(([k, v]) => labels[k] === v);
}
