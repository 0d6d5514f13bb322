// The stack namespace's Prometheus Operator monitors for the doctor: each ServiceMonitor's and PodMonitor's
// selector and the port *names* it scrapes, the Services (labels, named ports) and each pod's named
// container ports. Prometheus Operator matches a monitor's endpoint by port name only, so a name that
// exists on no selected Service or pod means that target is never scraped — silently: no error anywhere.
import { CoreV1Api, CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { isNotFound } from '../kube/errors.js';
import type { MonitorSnapshot, ServiceSnapshot, Snapshot } from './snapshot.js';

interface MonitorObject {
  metadata?: { name?: string; namespace?: string };
  spec?: {
    selector?: { matchLabels?: Record<string, string> };
    endpoints?: Array<{ port?: unknown }>;
    podMetricsEndpoints?: Array<{ port?: unknown }>;
  };
}

const MONITORING_GROUP = 'monitoring.coreos.com';

function monitorOf(kind: MonitorSnapshot['kind'], o: MonitorObject, namespace: string): MonitorSnapshot {
  const endpoints = kind === 'ServiceMonitor' ? o.spec?.endpoints : o.spec?.podMetricsEndpoints;
  return {
    kind, namespace: o.metadata?.namespace ?? namespace, name: o.metadata?.name ?? '',
    selector: { ...(o.spec?.selector?.matchLabels ?? {}) },
    ports: (endpoints ?? []).flatMap((e) => (typeof e.port === 'string' && e.port ? [e.port] : [])),
  };
}

export async function collectMonitors(kc: KubeConfig, namespace: string, gaps: string[]): Promise<Snapshot['monitors']> {
  const custom = kc.makeApiClient(CustomObjectsApi);
  const items: MonitorSnapshot[] = [];
  try {
    for (const [kind, plural] of [['ServiceMonitor', 'servicemonitors'], ['PodMonitor', 'podmonitors']] as const) {
      const list = (await custom.listNamespacedCustomObject({ group: MONITORING_GROUP, version: 'v1', namespace, plural })) as { items?: MonitorObject[] };
      items.push(...(list.items ?? []).map((o) => monitorOf(kind, o, namespace)));
    }
  } catch (e) {
    // No Prometheus Operator CRDs (monitoring off): nothing is meant to be scraped.
    if (isNotFound(e)) return { crd: false, items: [], services: [], podPorts: {} };
    gaps.push(`the monitors in ${namespace}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
    return undefined;
  }
  const core = kc.makeApiClient(CoreV1Api);
  try {
    const services: ServiceSnapshot[] = (await core.listNamespacedService({ namespace })).items.map((s) => ({
      namespace: s.metadata?.namespace ?? namespace, name: s.metadata?.name ?? '', labels: { ...(s.metadata?.labels ?? {}) },
      ports: (s.spec?.ports ?? []).map((p) => ({ ...(p.name ? { name: p.name } : {}), port: p.port })),
    }));
    const podPorts: Record<string, string[]> = {};
    for (const p of (await core.listNamespacedPod({ namespace })).items) {
      if (p.metadata?.deletionTimestamp) continue;
      const containers = [...(p.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always'), ...(p.spec?.containers ?? [])];
      podPorts[`${p.metadata?.namespace ?? namespace}/${p.metadata?.name ?? ''}`] = containers.flatMap((c) => (c.ports ?? []).flatMap((x) => (x.name ? [x.name] : [])));
    }
    return { crd: true, items, services, podPorts };
  } catch (e) {
    gaps.push(`the Services of ${namespace}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
    return undefined;
  }
}
