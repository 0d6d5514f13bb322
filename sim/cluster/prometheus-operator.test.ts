// The simulated Prometheus operator: a Prometheus CR becomes pod prometheus-<name>-0 once the operator
// runs, and the pod's prometheus container carries the CR's spec.resources — as the real operator's
// StatefulSet does — so the scheduler counts what the chart's prometheus.prometheusSpec.resources ask.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { InMemoryStore } from '../apiserver/store.js';
import { CRD_TYPE } from '../apiserver/resources.js';
import type { KubeObject } from '../apiserver/types.js';
import { kubePrometheusStack } from '../charts/kube-prometheus-stack.js';
import { parseScenario } from '../scenario.js';
import { Controller } from './controller.js';
import { T } from './resources.js';
import { podRequests } from './scheduler.js';

const REL = { name: 'llmd', namespace: 'llm-d-monitoring' };

function operatorWorld(values: Record<string, unknown>): { store: InMemoryStore; controller: Controller } {
  const store = new InMemoryStore();
  for (const crd of kubePrometheusStack.crds?.() ?? []) store.create(CRD_TYPE, crd);
  store.create(T.namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: REL.namespace } });
  for (const o of kubePrometheusStack.render(REL, values)) {
    if (o.kind !== 'Prometheus' && o.kind !== 'Deployment') continue;
    const type = o.kind === 'Prometheus' ? T.prometheuses : T.deployments;
    const created = store.create(type, o);
    // The operator's Deployment counts as running: this test is about what the operator makes.
    if (o.kind === 'Deployment') store.updateStatus(type, created.metadata.namespace, created.metadata.name, { readyReplicas: 1 });
  }
  const controller = new Controller({ store, state: '', profile: 'llm-d-cpu', scenario: parseScenario('timeScale: 1') });
  return { store, controller };
}

const prometheusPod = (store: InMemoryStore): KubeObject | undefined => store.get(T.pods, REL.namespace, 'prometheus-llmd-kube-prometheus-stack-prometheus-0');

describe('the simulated Prometheus operator', () => {
  it('puts the Prometheus CR’s spec.resources on the prometheus container, so its requests schedule', () => {
    // The project's monitoring values ask 500m / 1Gi (resources/releases/*/templates/monitoring-values.yaml).
    const values = parse('prometheus:\n  prometheusSpec:\n    resources:\n      requests: { cpu: 500m, memory: 1Gi }\n      limits: { cpu: 2000m, memory: 2Gi }\n') as Record<string, unknown>;
    const { store, controller } = operatorWorld(values);
    controller.reconcile();
    const pod = prometheusPod(store);
    expect(pod).toBeDefined();
    const containers = (pod!.spec as { containers: Array<{ name: string; resources?: unknown }> }).containers;
    expect(containers.find((c) => c.name === 'prometheus')?.resources).toEqual({ requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2000m', memory: '2Gi' } });
    expect(podRequests(pod!)).toEqual({ cpuMilli: 500, memoryBytes: 2 ** 30 });
  });

  it('leaves the container without resources when the CR sets none (the chart’s default)', () => {
    const { store, controller } = operatorWorld({});
    controller.reconcile();
    const containers = (prometheusPod(store)!.spec as { containers: Array<{ name: string; resources?: unknown }> }).containers;
    expect(containers.find((c) => c.name === 'prometheus')?.resources).toBeUndefined();
  });
});
