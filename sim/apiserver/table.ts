// Server-side printing: the meta.k8s.io/v1 Table that `kubectl get` asks for (Accept: ...;as=Table),
// with the columns the real API server prints for each kind.
import type { KubeObject } from './types.js';
import { isMap, type JsonMap } from './objects.js';
import { humanDuration, podStatus, type PodLike } from '../../shared/kube/pod-status.js';

export { humanDuration };

interface Column { name: string; type: string; format?: string; priority?: number; description?: string }
type Cell = string | number;

const m = (v: unknown): JsonMap => (isMap(v) ? v : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const s = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

const age = (obj: KubeObject, now: Date): string => {
  const t = obj.metadata.creationTimestamp;
  return t ? humanDuration(now.getTime() - Date.parse(t)) : '<unknown>';
};

/** READY, STATUS and RESTARTS of a pod computed the way kubectl's printPod does (shared with the engine and UI). */
export function podSummary(pod: KubeObject): { ready: string; status: string; restarts: number } {
  const p = podStatus(pod as PodLike);
  return { ready: p.readyText, status: p.status, restarts: p.restarts };
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
  // kubernetes pkg/printers/internalversion/printers.go printValidatingAdmissionPolicy(Binding).
  ValidatingAdmissionPolicy: {
    columns: [NAME, { name: 'Validations', type: 'integer' }, { name: 'ParamKind', type: 'string' }, AGE],
    cells: (o, now) => {
      const pk = m(m(o['spec'])['paramKind']);
      return [o.metadata.name, arr(m(o['spec'])['validations']).length, pk['kind'] ? `${s(pk['apiVersion'])}/${s(pk['kind'])}` : '<unset>', age(o, now)];
    },
  },
  ValidatingAdmissionPolicyBinding: {
    columns: [NAME, { name: 'PolicyName', type: 'string' }, { name: 'ParamRef', type: 'string' }, AGE],
    cells: (o, now) => {
      const pr = m(o['spec'])['paramRef'];
      const ref = m(pr);
      const param = !isMap(pr ?? null) ? '<unset>' : ref['name'] ? (ref['namespace'] ? `${s(ref['namespace'])}/${s(ref['name'])}` : `*/${s(ref['name'])}`) : ref['selector'] ? selectorText(m(ref['selector'])['matchLabels']) : '<unset>';
      return [o.metadata.name, s(m(o['spec'])['policyName']), param, age(o, now)];
    },
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
