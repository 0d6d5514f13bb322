// kube-prometheus-stack 88.5.3's render: the pinned images, Grafana's provisioning files, and the start
// failure the grafana container carries when they mark two datasources default (llm-d issue #494).
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { KubeObject } from '../apiserver/types.js';
import { readStartFailure, startFailureKey } from '../cluster/start-failure.js';
import { mergeValues, type Values } from './chart.js';
import { GRAFANA_IMAGE, kubePrometheusStack, TOO_MANY_DEFAULTS, tooManyDefaultDatasources } from './kube-prometheus-stack.js';

const REL = { name: 'llmd', namespace: 'llm-d-monitoring' };

/** The grafana part of the project's monitoring values as of the December-2025 snapshot (the guide's script). */
const GUIDE_GRAFANA_VALUES: Values = {
  grafana: {
    adminPassword: 'admin',
    service: { type: 'ClusterIP' },
    sidecar: { dashboards: { enabled: true, searchNamespace: 'ALL' } },
    additionalDataSources: [],
    datasources: { 'datasources.yaml': { apiVersion: 1, datasources: [{
      name: 'Prometheus', type: 'prometheus', url: 'http://llmd-kube-prometheus-stack-prometheus.llm-d-monitoring.svc.cluster.local:9090', access: 'proxy', isDefault: true,
    }] } },
  },
};
const FIXED: Values = mergeValues(GUIDE_GRAFANA_VALUES, { grafana: { sidecar: { datasources: { defaultDatasourceEnabled: false } } } });

const byKind = (objs: KubeObject[], kind: string, name?: string) => objs.find((o) => o.kind === kind && (!name || o.metadata.name === name));
type PodTemplate = { metadata: { annotations?: Record<string, string> }; spec: { containers: Array<{ name: string; image: string }> } };
const grafanaTemplate = (objs: KubeObject[]) => (byKind(objs, 'Deployment', 'llmd-grafana')?.spec as { template: PodTemplate }).template;
const asPod = (t: PodTemplate): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', ...t.metadata } });

describe('kube-prometheus-stack 88.5.3', () => {
  it('is chart 88.5.3 / appVersion v0.93.1 with the images that chart ships', () => {
    expect([kubePrometheusStack.version, kubePrometheusStack.appVersion]).toEqual(['88.5.3', 'v0.93.1']);
    const objs = kubePrometheusStack.render(REL, {});
    const image = (name: string) => ((byKind(objs, 'Deployment', name)?.spec as { template: PodTemplate }).template.spec.containers.map((c) => c.image));
    expect(image('llmd-kube-prometheus-stack-operator')).toEqual(['quay.io/prometheus-operator/prometheus-operator:v0.93.1']);
    expect(image('llmd-kube-state-metrics')).toEqual(['registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.20.0']);
    expect(image('llmd-grafana')).toEqual(['quay.io/kiwigrid/k8s-sidecar:2.10.1', 'quay.io/kiwigrid/k8s-sidecar:2.10.1', GRAFANA_IMAGE]);
    expect(GRAFANA_IMAGE).toBe('docker.io/grafana/grafana:13.2.0');
    expect((byKind(objs, 'Prometheus')?.spec as { image: string }).image).toBe('quay.io/prometheus/prometheus:v3.14.0-distroless');
  });

  it('provisions its own default Prometheus datasource unless defaultDatasourceEnabled is false', () => {
    const ds = (values: Values) => {
      const cm = byKind(kubePrometheusStack.render(REL, values), 'ConfigMap', 'llmd-kube-prometheus-stack-grafana-datasource');
      expect(cm?.metadata.labels?.grafana_datasource).toBe('1');
      return (parse((cm?.data as Record<string, string>)['datasource.yaml'] ?? '') as { datasources: Array<{ name: string; uid: string; isDefault?: boolean; url: string }> }).datasources;
    };
    expect(ds({})[0]).toMatchObject({ name: 'Prometheus', uid: 'prometheus', isDefault: true, url: 'http://llmd-kube-prometheus-stack-prometheus.llm-d-monitoring:9090/' });
    expect(ds({ grafana: { sidecar: { datasources: { defaultDatasourceEnabled: false } } } }).map((d) => d.name)).toEqual(['Alertmanager']);
  });

  it('the guide\'s values (a second isDefault datasource) make the grafana container refuse to start with Grafana\'s error', () => {
    const failure = readStartFailure(asPod(grafanaTemplate(kubePrometheusStack.render(REL, GUIDE_GRAFANA_VALUES))), 'grafana');
    expect(failure?.exitCode).toBe(1);
    expect(failure?.log.join('\n')).toContain(`error="Datasource provisioning error: ${TOO_MANY_DEFAULTS}"`);
    expect(failure?.log[0]).toMatch(/^logger=provisioning t=\{\{now\}\} level=error msg="Failed to provision data sources"/);
    // Only the grafana container; the sidecars run.
    expect(Object.keys(grafanaTemplate(kubePrometheusStack.render(REL, GUIDE_GRAFANA_VALUES)).metadata.annotations ?? {})).toEqual([startFailureKey('grafana')]);
  });

  it('starts with the fix, with chart defaults, and with the sidecar datasources off', () => {
    for (const values of [FIXED, {}, mergeValues(GUIDE_GRAFANA_VALUES, { grafana: { sidecar: { datasources: { enabled: false } } } })]) {
      expect(grafanaTemplate(kubePrometheusStack.render(REL, values)).metadata.annotations).toBeUndefined();
    }
  });

  it('additionalDataSources count as well (they land in the chart\'s own datasource.yaml)', () => {
    const values = { grafana: { additionalDataSources: [{ name: 'Loki', type: 'loki', isDefault: true }] } };
    expect(readStartFailure(asPod(grafanaTemplate(kubePrometheusStack.render(REL, values))), 'grafana')).toBeDefined();
  });

  it('counts defaults per organization, orgId 0 being 1, isDefault as Grafana parses it', () => {
    expect(tooManyDefaultDatasources([{ isDefault: true }, { isDefault: true, orgId: 2 }])).toBe(false);
    expect(tooManyDefaultDatasources([{ isDefault: true }, { isDefault: true, orgId: 1 }])).toBe(true);
    expect(tooManyDefaultDatasources([{ isDefault: true, orgId: 0 }, { isDefault: 'true' }])).toBe(true);
    expect(tooManyDefaultDatasources([{ isDefault: true }, { isDefault: false }, {}])).toBe(false);
  });

  it('renders no Grafana with grafana.enabled false', () => {
    expect(byKind(kubePrometheusStack.render(REL, { grafana: { enabled: false } }), 'Deployment', 'llmd-grafana')).toBeUndefined();
  });
});
