// Fields the real API server fills in on create (defaulting), for the kinds the simulated cluster uses.
import type { KubeObject } from './types.js';
import { isMap, type JsonMap } from './objects.js';

const asMap = (v: unknown): JsonMap => (isMap(v) ? v : {});

/** Allocates service cluster IPs from 10.96.0.0/12 the way minikube's API server would. */
export class ClusterIpAllocator {
  private next = 10;
  allocate(): string {
    const n = this.next++;
    return `10.96.${Math.floor(n / 250) % 250}.${(n % 250) + 1}`;
  }
}

export function applyCreateDefaults(kind: string, obj: KubeObject, ips: ClusterIpAllocator): void {
  const spec = asMap(obj['spec']);
  switch (kind) {
    case 'Namespace':
      obj.metadata.labels = { ...(obj.metadata.labels ?? {}), 'kubernetes.io/metadata.name': obj.metadata.name };
      obj['spec'] = { finalizers: ['kubernetes'], ...spec };
      obj['status'] = { phase: 'Active' };
      break;
    case 'Pod':
      obj['spec'] = { restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', schedulerName: 'default-scheduler',
        serviceAccountName: 'default', terminationGracePeriodSeconds: 30, ...spec };
      obj['status'] = { phase: 'Pending', qosClass: 'BestEffort', ...asMap(obj['status']) };
      break;
    case 'Service': {
      const type = typeof spec['type'] === 'string' ? spec['type'] : 'ClusterIP';
      const clusterIP = typeof spec['clusterIP'] === 'string' && spec['clusterIP'] !== '' ? spec['clusterIP'] : ips.allocate();
      const ports = Array.isArray(spec['ports']) ? spec['ports'].map((p) => {
        const port = asMap(p);
        return { protocol: 'TCP', targetPort: port['port'] ?? null, ...port };
      }) : spec['ports'];
      obj['spec'] = { sessionAffinity: 'None', ...spec, type, clusterIP, clusterIPs: [clusterIP],
        ...(ports === undefined ? {} : { ports }) };
      obj['status'] = { loadBalancer: {} };
      break;
    }
    case 'Deployment':
      obj['spec'] = { replicas: 1, revisionHistoryLimit: 10, progressDeadlineSeconds: 600,
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } }, ...spec };
      obj['status'] = { ...asMap(obj['status']) };
      break;
    case 'ReplicaSet':
      obj['spec'] = { replicas: 1, ...spec };
      break;
    case 'Secret': {
      // The API server folds write-only stringData into base64 data.
      const stringData = asMap(obj['stringData']);
      if (Object.keys(stringData).length > 0) {
        const data = asMap(obj['data']);
        for (const [k, v] of Object.entries(stringData)) data[k] = Buffer.from(String(v)).toString('base64');
        obj['data'] = data;
      }
      delete obj['stringData'];
      if (typeof obj['type'] !== 'string') obj['type'] = 'Opaque';
      break;
    }
    case 'CustomResourceDefinition':
      crdStatus(obj);
      break;
    default:
      break;
  }
}

/** A CRD the sim accepts is immediately Established with its names accepted. */
export function crdStatus(obj: KubeObject): void {
  const spec = asMap(obj['spec']);
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const versions = Array.isArray(spec['versions']) ? spec['versions'].map(asMap) : [];
  obj['status'] = {
    acceptedNames: asMap(spec['names']),
    storedVersions: versions.filter((v) => v['storage'] === true).map((v) => v['name']),
    conditions: [
      { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found', lastTransitionTime: now },
      { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted', lastTransitionTime: now },
    ],
  };
}
