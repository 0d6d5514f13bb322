// Server-side printing: the meta.k8s.io/v1 Table that `kubectl get` asks for (Accept: ...;as=Table),
// with the columns the real API server prints for each kind.
import type { KubeObject } from './types.js';
import { isMap, type JsonMap } from './objects.js';

interface Column { name: string; type: string; format?: string; priority?: number; description?: string }
type Cell = string | number;

const m = (v: unknown): JsonMap => (isMap(v) ? v : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const s = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

/** Kubernetes' duration.HumanDuration, as used by the AGE column. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) return hours % 24 === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  const days = Math.floor(hours / 24);
  if (hours < 24 * 365 * 8) return days % 365 === 0 ? `${Math.floor(days / 365)}y` : `${Math.floor(days / 365)}y${days % 365}d`;
  return `${Math.floor(days / 365)}y`;
}

const age = (obj: KubeObject, now: Date): string => {
  const t = obj.metadata.creationTimestamp;
  return t ? humanDuration(now.getTime() - Date.parse(t)) : '<unknown>';
};

/** READY, STATUS and RESTARTS of a pod computed the way kubectl's printPod does. */
export function podSummary(pod: KubeObject): { ready: string; status: string; restarts: number } {
  const spec = m(pod['spec']);
  const status = m(pod['status']);
  const containers = arr(spec['containers']);
  let reason = s(status['reason']) || s(status['phase']);
  let restarts = 0;
  let readyCount = 0;
  let initializing = false;
  const initStatuses = arr(status['initContainerStatuses']).map(m);
  const initSpecs = arr(spec['initContainers']).map(m);
  const initCount = initSpecs.length;
  // Native sidecars (init containers with restartPolicy Always) count in READY like kubectl ≥ 1.29 does.
  const restartable = new Set(initSpecs.filter((c) => c['restartPolicy'] === 'Always').map((c) => s(c['name'])));
  let sidecarRestarts = 0;
  initStatuses.forEach((c, i) => {
    if (initializing) return;
    restarts += Number(c['restartCount'] ?? 0);
    if (restartable.has(s(c['name']))) sidecarRestarts += Number(c['restartCount'] ?? 0);
    if (restartable.has(s(c['name'])) && c['started'] === true) {
      if (c['ready'] === true) readyCount++;
      return;
    }
    const state = m(c['state']);
    const term = isMap(state['terminated']) ? m(state['terminated']) : undefined;
    const wait = isMap(state['waiting']) ? m(state['waiting']) : undefined;
    if (term && Number(term['exitCode'] ?? 0) === 0) return;
    if (term) reason = term['reason'] ? `Init:${s(term['reason'])}` : term['signal'] ? `Init:Signal:${s(term['signal'])}` : `Init:ExitCode:${s(term['exitCode'])}`;
    else if (wait && wait['reason'] && wait['reason'] !== 'PodInitializing') reason = `Init:${s(wait['reason'])}`;
    else reason = `Init:${i}/${initCount}`;
    initializing = true;
  });
  if (!initializing) {
    restarts = sidecarRestarts;
    let hasRunning = false;
    const statuses = arr(status['containerStatuses']).map(m);
    for (const c of [...statuses].reverse()) {
      restarts += Number(c['restartCount'] ?? 0);
      const state = m(c['state']);
      const wait = isMap(state['waiting']) ? m(state['waiting']) : undefined;
      const term = isMap(state['terminated']) ? m(state['terminated']) : undefined;
      if (wait && wait['reason']) reason = s(wait['reason']);
      else if (term && term['reason']) reason = s(term['reason']);
      else if (term) reason = term['signal'] ? `Signal:${s(term['signal'])}` : `ExitCode:${s(term['exitCode'])}`;
      else if (c['ready'] === true && isMap(state['running'])) {
        hasRunning = true;
        readyCount++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      const readyCond = arr(status['conditions']).map(m).find((c) => c['type'] === 'Ready');
      reason = readyCond?.['status'] === 'True' ? 'Running' : 'NotReady';
    }
  }
  if (pod.metadata.deletionTimestamp) reason = status['reason'] === 'NodeLost' ? 'Unknown' : 'Terminating';
  return { ready: `${readyCount}/${containers.length + restartable.size}`, status: reason, restarts };
}

const NAME: Column = { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.' };
const AGE: Column = { name: 'Age', type: 'string', description: 'CreationTimestamp is a timestamp representing the server time when this object was created.' };

const servicePorts = (spec: JsonMap): string => {
  const ports = arr(spec['ports']).map(m);
  if (ports.length === 0) return '<none>';
  return ports.map((p) => `${s(p['port'])}${p['nodePort'] ? `:${s(p['nodePort'])}` : ''}/${s(p['protocol'] || 'TCP')}`).join(',');
};

const selectorText = (sel: unknown): string => {
  const entries = Object.entries(m(sel));
  return entries.length === 0 ? '<none>' : entries.map(([k, v]) => `${k}=${s(v)}`).join(',');
};

interface Printer { columns: Column[]; cells: (obj: KubeObject, now: Date) => Cell[] }

const PRINTERS: Record<string, Printer> = {
  Pod: {
    columns: [NAME, { name: 'Ready', type: 'string' }, { name: 'Status', type: 'string' }, { name: 'Restarts', type: 'string' }, AGE,
      { name: 'IP', type: 'string', priority: 1 }, { name: 'Node', type: 'string', priority: 1 },
      { name: 'Nominated Node', type: 'string', priority: 1 }, { name: 'Readiness Gates', type: 'string', priority: 1 }],
    cells: (o, now) => {
      const p = podSummary(o);
      const st = m(o['status']);
      return [o.metadata.name, p.ready, p.status, String(p.restarts), age(o, now), s(st['podIP']) || '<none>',
        s(m(o['spec'])['nodeName']) || '<none>', '<none>', '<none>'];
    },
  },
  Namespace: {
    columns: [NAME, { name: 'Status', type: 'string' }, AGE],
    cells: (o, now) => [o.metadata.name, s(m(o['status'])['phase']), age(o, now)],
  },
  Service: {
    columns: [NAME, { name: 'Type', type: 'string' }, { name: 'Cluster-IP', type: 'string' }, { name: 'External-IP', type: 'string' },
      { name: 'Port(s)', type: 'string' }, AGE, { name: 'Selector', type: 'string', priority: 1 }],
    cells: (o, now) => {
      const spec = m(o['spec']);
      const type = s(spec['type'] || 'ClusterIP');
      const ingress = arr(m(m(o['status'])['loadBalancer'])['ingress']).map(m).map((i) => s(i['ip'] || i['hostname']));
      const external = type === 'LoadBalancer' ? (ingress.length > 0 ? ingress.join(',') : '<pending>')
        : arr(spec['externalIPs']).length > 0 ? arr(spec['externalIPs']).map(s).join(',') : '<none>';
      return [o.metadata.name, type, s(spec['clusterIP']) || '<none>', external, servicePorts(spec), age(o, now), selectorText(spec['selector'])];
    },
  },
  Deployment: {
    columns: [NAME, { name: 'Ready', type: 'string' }, { name: 'Up-to-date', type: 'integer' }, { name: 'Available', type: 'integer' }, AGE,
      { name: 'Containers', type: 'string', priority: 1 }, { name: 'Images', type: 'string', priority: 1 }, { name: 'Selector', type: 'string', priority: 1 }],
    cells: (o, now) => {
      const spec = m(o['spec']);
      const st = m(o['status']);
      const containers = arr(m(m(spec['template'])['spec'])['containers']).map(m);
      return [o.metadata.name, `${Number(st['readyReplicas'] ?? 0)}/${Number(spec['replicas'] ?? 0)}`, Number(st['updatedReplicas'] ?? 0),
        Number(st['availableReplicas'] ?? 0), age(o, now), containers.map((c) => s(c['name'])).join(','),
        containers.map((c) => s(c['image'])).join(','), selectorText(m(spec['selector'])['matchLabels'])];
    },
  },
  ReplicaSet: {
    columns: [NAME, { name: 'Desired', type: 'integer' }, { name: 'Current', type: 'integer' }, { name: 'Ready', type: 'integer' }, AGE],
    cells: (o, now) => {
      const st = m(o['status']);
      return [o.metadata.name, Number(m(o['spec'])['replicas'] ?? 0), Number(st['replicas'] ?? 0), Number(st['readyReplicas'] ?? 0), age(o, now)];
    },
  },
  Node: {
    columns: [NAME, { name: 'Status', type: 'string' }, { name: 'Roles', type: 'string' }, AGE, { name: 'Version', type: 'string' }],
    cells: (o, now) => {
      const ready = arr(m(o['status'])['conditions']).map(m).find((c) => c['type'] === 'Ready');
      const roles = Object.keys(o.metadata.labels ?? {}).filter((k) => k.startsWith('node-role.kubernetes.io/')).map((k) => k.split('/')[1]);
      return [o.metadata.name, ready?.['status'] === 'True' ? 'Ready' : 'NotReady', roles.length > 0 ? roles.join(',') : '<none>', age(o, now),
        s(m(m(o['status'])['nodeInfo'])['kubeletVersion'])];
    },
  },
  Event: {
    columns: [{ name: 'Last Seen', type: 'string' }, { name: 'Type', type: 'string' }, { name: 'Reason', type: 'string' },
      { name: 'Object', type: 'string' }, { name: 'Message', type: 'string' }],
    cells: (o, now) => {
      const last = s(o['lastTimestamp'] || o['eventTime'] || o.metadata.creationTimestamp);
      const inv = m(o['involvedObject']);
      return [last ? humanDuration(now.getTime() - Date.parse(last)) : '<unknown>', s(o['type']), s(o['reason']),
        `${s(inv['kind']).toLowerCase()}/${s(inv['name'])}`, s(o['message'])];
    },
  },
  ConfigMap: {
    columns: [NAME, { name: 'Data', type: 'integer' }, AGE],
    cells: (o, now) => [o.metadata.name, Object.keys(m(o['data'])).length + Object.keys(m(o['binaryData'])).length, age(o, now)],
  },
  Secret: {
    columns: [NAME, { name: 'Type', type: 'string' }, { name: 'Data', type: 'integer' }, AGE],
    cells: (o, now) => [o.metadata.name, s(o['type']), Object.keys(m(o['data'])).length, age(o, now)],
  },
  CustomResourceDefinition: {
    columns: [NAME, { name: 'Created At', type: 'date' }],
    cells: (o) => [o.metadata.name, s(o.metadata.creationTimestamp)],
  },
};

const DEFAULT_PRINTER: Printer = { columns: [NAME, AGE], cells: (o, now) => [o.metadata.name, age(o, now)] };

export type IncludeObject = 'None' | 'Object' | 'PartialObjectMetadata';

function rowObject(obj: KubeObject, include: IncludeObject): unknown {
  if (include === 'None') return undefined;
  if (include === 'Object') return obj;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
}

export function toTable(kind: string, objects: KubeObject[], opts: { resourceVersion?: string; include: IncludeObject; now?: Date }): Record<string, unknown> {
  const printer = PRINTERS[kind] ?? DEFAULT_PRINTER;
  const now = opts.now ?? new Date();
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: opts.resourceVersion ? { resourceVersion: opts.resourceVersion } : {},
    columnDefinitions: printer.columns.map((c) => ({ priority: 0, format: '', description: '', ...c })),
    rows: objects.map((o) => {
      const object = rowObject(o, opts.include);
      return { cells: printer.cells(o, now), ...(object === undefined ? {} : { object }) };
    }),
  };
}
