// prometheus-community/kube-prometheus-stack as the monitoring script installs it (release `llmd`,
// namespace llm-d-monitoring, llm-d-facts.md §3). CRDs live in the chart's crds/ folder, so
// `helm show crds` prints them and `--skip-crds` skips them. The Prometheus CR becomes a StatefulSet
// through the operator (sim/cluster/operators.ts).
import { at, type Chart, crd, deployment, helmLabels, meta, service, serviceAccount } from './chart.js';

const MON = 'monitoring.coreos.com';

export const kubePrometheusStack: Chart = {
  name: 'kube-prometheus-stack',
  version: '79.7.1',
  appVersion: 'v0.86.2',
  crds: () => [
    crd(MON, 'ServiceMonitor', 'servicemonitors', ['v1'], 'Namespaced', ['smon']),
    crd(MON, 'PodMonitor', 'podmonitors', ['v1'], 'Namespaced', ['pmon']),
    crd(MON, 'Prometheus', 'prometheuses', ['v1'], 'Namespaced', ['prom']),
    crd(MON, 'PrometheusRule', 'prometheusrules', ['v1'], 'Namespaced', ['promrule']),
    crd(MON, 'Alertmanager', 'alertmanagers', ['v1'], 'Namespaced', ['am']),
    crd(MON, 'AlertmanagerConfig', 'alertmanagerconfigs', ['v1alpha1'], 'Namespaced', ['amcfg']),
    crd(MON, 'Probe', 'probes', ['v1'], 'Namespaced', ['prb']),
    crd(MON, 'ScrapeConfig', 'scrapeconfigs', ['v1alpha1'], 'Namespaced', ['scfg']),
    crd(MON, 'ThanosRuler', 'thanosrulers', ['v1'], 'Namespaced', ['ruler']),
  ],
  render: (release, values) => {
    const ns = release.namespace;
    const full = `${release.name}-kube-prometheus-stack`;
    const base = helmLabels(release, kubePrometheusStack, 'kube-prometheus-stack');
    const promName = `${full}-prometheus`;
    const grafanaName = `${release.name}-grafana`;
    const grafanaSel = { 'app.kubernetes.io/name': 'grafana', 'app.kubernetes.io/instance': release.name };
    const opSel = { app: `${full}-operator`, release: release.name };
    const ksmSel = { 'app.kubernetes.io/name': 'kube-state-metrics', 'app.kubernetes.io/instance': release.name };
    const promSpec = at(values, 'prometheus.prometheusSpec', {});
    return [
      serviceAccount(`${full}-operator`, ns, base),
      deployment(`${full}-operator`, ns, { ...base, app: `${full}-operator`, release: release.name }, opSel, 1, {
        serviceAccountName: `${full}-operator`,
        containers: [{ name: 'kube-prometheus-stack', image: 'quay.io/prometheus-operator/prometheus-operator:v0.86.2', ports: [{ name: 'https', containerPort: 10250 }] }],
      }),
      deployment(`${release.name}-kube-state-metrics`, ns, { ...base, ...ksmSel }, ksmSel, 1, {
        containers: [{ name: 'kube-state-metrics', image: 'registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.17.0', ports: [{ name: 'http', containerPort: 8080 }] }],
      }),
      { apiVersion: 'v1', kind: 'Secret', metadata: meta(grafanaName, ns, { ...base, ...grafanaSel }), type: 'Opaque',
        data: { 'admin-user': Buffer.from('admin').toString('base64'), 'admin-password': Buffer.from(String(at(values, 'grafana.adminPassword', 'prom-operator'))).toString('base64') } },
      deployment(grafanaName, ns, { ...base, ...grafanaSel }, grafanaSel, 1, {
        containers: [{ name: 'grafana', image: 'docker.io/grafana/grafana:12.3.0', ports: [{ name: 'grafana', containerPort: 3000 }],
          readinessProbe: { httpGet: { path: '/api/health', port: 3000 } } }],
      }),
      service(grafanaName, ns, { ...base, ...grafanaSel }, grafanaSel, [{ name: 'http-web', port: 80, targetPort: 3000, protocol: 'TCP' }]),
      { apiVersion: `${MON}/v1`, kind: 'Prometheus', metadata: meta(promName, ns, { ...base, app: 'kube-prometheus-stack-prometheus', release: release.name }),
        spec: { replicas: 1, image: 'quay.io/prometheus/prometheus:v3.7.3', serviceMonitorSelector: {}, podMonitorSelector: {}, ...promSpec } },
      service(promName, ns, { ...base, app: 'kube-prometheus-stack-prometheus', release: release.name },
        { 'app.kubernetes.io/name': 'prometheus', 'operator.prometheus.io/name': promName },
        [{ name: 'http-web', port: 9090, targetPort: 9090, protocol: 'TCP' }]),
    ];
  },
};
