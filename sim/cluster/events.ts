// Kubernetes Events as the kubelet, scheduler and controllers record them (core/v1 Event), so
// `kubectl describe` and the app's event list show the same reasons a real cluster shows.
import { randomBytes } from 'node:crypto';
import type { KubeObject, ObjectStore } from '../apiserver/types.js';
import { T } from './resources.js';

export interface EventInput {
  reason: string;
  message: string;
  type?: 'Normal' | 'Warning';
  component: string;
  fieldPath?: string;
}

export function recordEvent(store: ObjectStore, host: string, obj: KubeObject, e: EventInput): void {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const ns = obj.metadata.namespace ?? 'default';
  try {
    store.create(T.events, {
      apiVersion: 'v1', kind: 'Event',
      metadata: { name: `${obj.metadata.name}.${randomBytes(8).toString('hex')}`, namespace: ns },
      involvedObject: {
        apiVersion: obj.apiVersion, kind: obj.kind, namespace: ns, name: obj.metadata.name, uid: obj.metadata.uid,
        resourceVersion: obj.metadata.resourceVersion, ...(e.fieldPath ? { fieldPath: e.fieldPath } : {}),
      },
      reason: e.reason, message: e.message, type: e.type ?? 'Normal', count: 1,
      source: { component: e.component, ...(e.component === 'kubelet' ? { host } : {}) },
      firstTimestamp: now, lastTimestamp: now, eventTime: null, reportingComponent: e.component, reportingInstance: e.component === 'kubelet' ? host : '',
    });
  } catch {
    // The namespace is going away; a lost event is what a real cluster does then too.
  }
}
