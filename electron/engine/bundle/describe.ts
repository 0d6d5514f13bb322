// A `kubectl describe pod`-like text for the bundle: what a person reads first when a pod will not start
// (phase, conditions, each container's state and last exit, resources, and the events about the pod),
// without needing kubectl or the cluster, which may be gone by the time someone reads the bundle.
import type { CoreV1Event, V1Container, V1ContainerState, V1ContainerStatus, V1Pod } from '@kubernetes/client-node';

type When = Date | string | undefined | null;

const iso = (d: When): string | undefined => (d == null ? undefined : typeof d === 'string' ? d : d.toISOString());

/** The time an event last happened, in ms, by the first field a server filled (series, new, old API). */
export function eventTime(e: CoreV1Event): number {
  const t = iso(e.lastTimestamp) ?? iso(e.series?.lastObservedTime) ?? iso(e.eventTime) ?? iso(e.firstTimestamp) ?? iso(e.metadata?.creationTimestamp);
  const ms = t ? Date.parse(t) : NaN;
  return Number.isNaN(ms) ? 0 : ms;
}

/** An event's resourceVersion as a number, when it is one (etcd revisions are, though the API calls them opaque). */
const revision = (e: CoreV1Event): number => {
  const n = Number(e.metadata?.resourceVersion);
  return Number.isFinite(n) ? n : 0;
};

/**
 * Oldest first, like `kubectl get events --sort-by=.lastTimestamp`, so the story reads top to bottom.
 * Timestamps have one-second resolution, so Created/Started of one second tie: the revision orders those.
 */
export function sortEvents(events: CoreV1Event[]): CoreV1Event[] {
  return [...events].sort((a, b) => eventTime(a) - eventTime(b) || revision(a) - revision(b));
}

/** The events whose object is this pod (by uid when both have one: a re-created pod keeps its name). */
export function eventsAbout(pod: V1Pod, events: CoreV1Event[]): CoreV1Event[] {
  const name = pod.metadata?.name;
  const uid = pod.metadata?.uid;
  return events.filter((e) => {
    const o = e.involvedObject;
    if (o?.kind !== 'Pod' || o.name !== name) return false;
    return !uid || !o.uid || o.uid === uid;
  });
}

/** Top-level values start at column 16 (as kubectl's); container fields, nested deeper, at column 22. */
const TOP = 16;
const NESTED = 22;

const field = (label: string, value: string | number | undefined, indent = 0, column = indent ? NESTED : TOP): string[] =>
  value === undefined || value === '' ? [] : [`${' '.repeat(indent)}${`${label}:`.padEnd(Math.max(column - indent, label.length + 2))}${value}`];

function stateLines(label: string, s: V1ContainerState | undefined, indent: number): string[] {
  if (s?.running) return [...field(label, 'Running', indent), ...field('Started', iso(s.running.startedAt), indent + 2)];
  if (s?.waiting) return [...field(label, 'Waiting', indent), ...field('Reason', s.waiting.reason, indent + 2), ...field('Message', s.waiting.message, indent + 2)];
  if (s?.terminated) {
    const t = s.terminated;
    return [
      ...field(label, 'Terminated', indent),
      ...field('Reason', t.reason, indent + 2),
      ...field('Message', t.message, indent + 2),
      ...field('Exit Code', t.exitCode, indent + 2),
      ...field('Signal', t.signal, indent + 2),
      ...field('Started', iso(t.startedAt), indent + 2),
      ...field('Finished', iso(t.finishedAt), indent + 2),
    ];
  }
  return label === 'State' ? field(label, '(no status yet)', indent) : [];
}

/** Requests / limits as `cpu: 2, memory: 8Gi` (quantities are strings on the wire). */
const quantities = (q: Record<string, string> | undefined): string | undefined => {
  const entries = Object.entries(q ?? {});
  return entries.length ? entries.map(([k, v]) => `${k}: ${v}`).join(', ') : undefined;
};

function containerLines(c: V1Container, st: V1ContainerStatus | undefined): string[] {
  return [
    `  ${c.name}:`,
    ...field('Image', c.image, 4),
    ...field('Image ID', st?.imageID, 4),
    ...field('Command', c.command?.join(' '), 4),
    ...field('Args', c.args?.join(' '), 4),
    ...stateLines('State', st?.state, 4),
    ...stateLines('Last State', st?.lastState, 4),
    ...field('Ready', st ? String(st.ready) : undefined, 4),
    ...field('Restart Count', st?.restartCount ?? 0, 4),
    ...field('Requests', quantities(c.resources?.requests), 4),
    ...field('Limits', quantities(c.resources?.limits), 4),
  ];
}

function eventLines(events: CoreV1Event[]): string[] {
  if (events.length === 0) return [`${'Events:'.padEnd(TOP)}<none>`];
  const rows = events.map((e) => [
    new Date(eventTime(e)).toISOString(),
    e.type ?? 'Normal',
    e.reason ?? '',
    String(e.count ?? e.series?.count ?? 1),
    e.source?.component ?? e.reportingComponent ?? '',
    (e.message ?? '').replace(/\s*\n\s*/g, ' '),
  ]);
  const head = ['Last Seen', 'Type', 'Reason', 'Count', 'From', 'Message'];
  const widths = head.slice(0, -1).map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => `  ${r.map((c, i) => (i < widths.length ? c.padEnd(widths[i] ?? 0) : c)).join('  ')}`.trimEnd();
  return ['Events:', line(head), ...rows.map(line)];
}

export function describePod(pod: V1Pod, events: CoreV1Event[]): string {
  const m = pod.metadata;
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  const status = (name: string) => statuses.find((s) => s.name === name);
  const labels = Object.entries(m?.labels ?? {}).map(([k, v]) => `${k}=${v}`);
  const conditions = pod.status?.conditions ?? [];
  const init = pod.spec?.initContainers ?? [];
  return [
    ...field('Name', m?.name),
    ...field('Namespace', m?.namespace),
    ...field('Node', pod.spec?.nodeName ?? '<none>'),
    ...field('Created', iso(m?.creationTimestamp)),
    ...field('Start Time', iso(pod.status?.startTime)),
    ...(labels.length ? [`${'Labels:'.padEnd(TOP)}${labels[0]}`, ...labels.slice(1).map((l) => `${''.padEnd(TOP)}${l}`)] : [`${'Labels:'.padEnd(TOP)}<none>`]),
    ...field('Phase', pod.status?.phase ?? 'Unknown'),
    ...field('Reason', pod.status?.reason),
    ...field('Message', pod.status?.message),
    ...field('IP', pod.status?.podIP),
    ...field('Deleting since', iso(m?.deletionTimestamp)),
    'Conditions:',
    ...(conditions.length
      ? conditions.map((c) => `  ${c.type.padEnd(28)}${c.status.padEnd(8)}${[c.reason, c.message].filter(Boolean).join(': ')}`.trimEnd())
      : ['  <none>']),
    ...(init.length ? ['Init Containers:', ...init.flatMap((c) => containerLines(c, status(c.name)))] : []),
    'Containers:',
    ...(pod.spec?.containers ?? []).flatMap((c) => containerLines(c, status(c.name))),
    ...eventLines(sortEvents(eventsAbout(pod, events))),
    '',
  ].join('\n');
}
