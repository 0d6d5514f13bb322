// prometheus-community/kube-prometheus-stack 88.5.3 as the monitoring step installs it (release `llmd`,
// namespace llm-d-monitoring, llm-d-facts.md §3, llm-d-current-facts.md §8). CRDs live in the chart's
// crds/ folder, so `helm show crds` prints them and `--skip-crds` skips them. The Prometheus CR becomes a
// StatefulSet through the operator (sim/cluster/controller.ts).
//
// Grafana's datasources are modelled because they are where the real install breaks: the chart provisions
// its own default Prometheus datasource (templates/grafana/configmaps-datasources.yaml) unless
// grafana.sidecar.datasources.defaultDatasourceEnabled is false, and Grafana refuses to start when the
// files under /etc/grafana/provisioning/datasources mark more than one datasource per organization as
// default (llm-d issue #494, fixed in the guide's script by llm-d PR #557). The render marks the grafana
// container with a start failure (sim/cluster/start-failure.ts) and the kubelet crash-loops it.
//
// Sources (prometheus-community/helm-charts @ cf408a290aec489277a94450bb3511432477a53a, the commit of
// shared/reference/upstream/kube-prometheus-stack/88.5.3/): Chart.yaml version 88.5.3, appVersion v0.93.1,
// dependency grafana 12.11.1; values.yaml l.1377-1378 (grafana.enabled), l.1557-1563 (sidecar.datasources
// enabled / defaultDatasourceEnabled / isDefaultDatasource / name / uid), l.3524-3527 (operator image, tag
// "" = appVersion), l.4345-4347 (prometheus v3.14.0-distroless); charts/kube-state-metrics/Chart.yaml 8.4.0
// appVersion 2.20.0 (image tag "" = v+appVersion); templates/_helpers.tpl l.14-25 (fullname, trunc 26).
// Grafana subchart (grafana-community/helm-charts tag grafana-12.11.1, commit 864f7794): Chart.yaml
// appVersion 13.2.0 — Grafana 13.2.0, not 12.x; values.yaml l.108-114 (image docker.io/grafana/grafana, tag
// "" = appVersion), l.1040-1046 (sidecar quay.io/kiwigrid/k8s-sidecar:2.10.1), l.90-93 (readinessProbe
// /api/health on port grafana); templates/_pod.tpl l.736, l.869, l.1245 (containers grafana-sc-dashboard,
// grafana-sc-datasources, grafana; sidecar.datasources.initDatasources defaults false so the datasource
// sidecar is a regular container), l.1308-1317 (grafana.datasources files mounted under
// /etc/grafana/provisioning/datasources, where the datasource sidecar also writes).
import { stringify } from 'yaml';
import { startFailureAnnotation, NOW_TOKEN } from '../cluster/start-failure.js';
import { at, type Chart, crd, deployment, helmLabels, isObject, meta, service, serviceAccount, type Values } from './chart.js';

const MON = 'monitoring.coreos.com';

const OPERATOR_IMAGE = 'quay.io/prometheus-operator/prometheus-operator:v0.93.1';
// values.yaml prometheusOperator.prometheusConfigReloader.image (tag "" = appVersion v0.93.1), handed to the
// operator as --prometheus-config-reloader (templates/prometheus-operator/deployment.yaml): the operator puts
// it beside Prometheus in the pod it makes (sim/cluster/controller.ts).
export const CONFIG_RELOADER_FLAG = '--prometheus-config-reloader=';
const CONFIG_RELOADER_IMAGE = 'quay.io/prometheus-operator/prometheus-config-reloader:v0.93.1';
const PROMETHEUS_IMAGE = 'quay.io/prometheus/prometheus:v3.14.0-distroless';
const KSM_IMAGE = 'registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.20.0';
export const GRAFANA_IMAGE = 'docker.io/grafana/grafana:13.2.0';
const SIDECAR_IMAGE = 'quay.io/kiwigrid/k8s-sidecar:2.10.1';

/**
 * Grafana's words when two datasources of one organization are default. The error text is
 * ErrInvalidConfigToManyDefault (grafana pkg/services/provisioning/datasources/datasources.go); the
 * provisioning service (pkg/services/provisioning/provisioning.go, logger `log.New("provisioning")`) wraps
 * it as "Datasource provisioning error: %w" and logs msg="Failed to provision data sources"; the server
 * then exits with `Error: ✗ <error>`. The same two lines appear in users' kubectl logs of kube-prometheus-stack
 * Grafana pods (e.g. 2025-09: `logger=provisioning t=… level=error msg="Failed to provision data sources"
 * error="Datasource provisioning error: datasource.yaml config is invalid. …"`). ⚠ Newer Grafana main logs
 * the unwrapped error before wrapping it; the exact form 13.2.0 prints was not checked.
 */
export const TOO_MANY_DEFAULTS = 'datasource.yaml config is invalid. Only one datasource per organization can be marked as default';
const grafanaRefusal = (): string[] => [
  `logger=provisioning t=${NOW_TOKEN} level=error msg="Failed to provision data sources" error="Datasource provisioning error: ${TOO_MANY_DEFAULTS}"`,
  `Error: ✗ Datasource provisioning error: ${TOO_MANY_DEFAULTS}`,
];

interface Datasource extends Values { name?: string; isDefault?: unknown; orgId?: number }

const datasourceList = (v: unknown): Datasource[] => (Array.isArray(v) ? v.filter(isObject) as Datasource[] : []);

/** The datasource.yaml of templates/grafana/configmaps-datasources.yaml (l.25-97), as Grafana reads it. */
function chartDatasources(full: string, ns: string, values: Values): Datasource[] {
  const ds = at<Values>(values, 'grafana.sidecar.datasources', {});
  const out: Datasource[] = [];
  if (at(ds, 'defaultDatasourceEnabled', true)) {
    const routePrefix = String(at(values, 'prometheus.prometheusSpec.routePrefix', '/')).replace(/^\//, '');
    out.push({
      name: String(at(ds, 'name', 'Prometheus')), type: 'prometheus', uid: String(at(ds, 'uid', 'prometheus')),
      url: String(at(ds, 'url', `http://${full}-prometheus.${ns}:${at(values, 'prometheus.service.port', 9090)}/${routePrefix}`)),
      access: 'proxy', isDefault: at(ds, 'isDefaultDatasource', true) === true,
      jsonData: { httpMethod: at(ds, 'httpMethod', 'POST'), timeInterval: at(ds, 'defaultDatasourceScrapeInterval', at(values, 'prometheus.prometheusSpec.scrapeInterval', '30s')) },
    });
  }
  if (at(ds, 'alertmanager.enabled', true)) {
    out.push({ name: String(at(ds, 'alertmanager.name', 'Alertmanager')), type: 'alertmanager', uid: String(at(ds, 'alertmanager.uid', 'alertmanager')),
      url: `http://${full}-alertmanager.${ns}:9093/`, access: 'proxy', jsonData: { handleGrafanaManagedAlerts: false, implementation: 'prometheus' } });
  }
  return [...out, ...datasourceList(at(values, 'grafana.additionalDataSources', []))];
}

/**
 * Grafana's check (pkg/services/provisioning/datasources/config_reader.go validateDefaultUniqueness): over
 * every provisioning file, a second `isDefault` datasource in the same orgId (0 counts as 1) returns
 * ErrInvalidConfigToManyDefault.
 */
export function tooManyDefaultDatasources(datasources: Datasource[]): boolean {
  const perOrg = new Map<number, number>();
  for (const d of datasources) {
    // isDefault is a values.BoolValue: a YAML bool or a string strconv.ParseBool accepts.
    if (d.isDefault !== true && !(typeof d.isDefault === 'string' && /^(1|t|true)$/i.test(d.isDefault))) continue;
    const org = typeof d.orgId === 'number' && d.orgId !== 0 ? d.orgId : 1;
    perOrg.set(org, (perOrg.get(org) ?? 0) + 1);
  }
  return [...perOrg.values()].some((n) => n > 1);
}

const trunc26 = (s: string) => s.slice(0, 26).replace(/-+$/, '');

export const kubePrometheusStack: Chart = {
  name: 'kube-prometheus-stack',
  version: '88.5.3',
  appVersion: 'v0.93.1',
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
    const full = release.name.includes('kube-prometheus-stack') ? trunc26(release.name) : trunc26(`${release.name}-kube-prometheus-stack`);
    const base = helmLabels(release, kubePrometheusStack, 'kube-prometheus-stack');
    const promName = `${full}-prometheus`;
    const opSel = { app: `${full}-operator`, release: release.name };
    const ksmSel = { 'app.kubernetes.io/name': 'kube-state-metrics', 'app.kubernetes.io/instance': release.name };
    const promSpec = at(values, 'prometheus.prometheusSpec', {});
    const out = [
      serviceAccount(`${full}-operator`, ns, base),
      deployment(`${full}-operator`, ns, { ...base, app: `${full}-operator`, release: release.name }, opSel, 1, {
        serviceAccountName: `${full}-operator`,
        containers: [{ name: 'kube-prometheus-stack', image: OPERATOR_IMAGE, args: [`${CONFIG_RELOADER_FLAG}${CONFIG_RELOADER_IMAGE}`], ports: [{ name: 'https', containerPort: 10250 }] }],
      }),
      deployment(`${release.name}-kube-state-metrics`, ns, { ...base, ...ksmSel }, ksmSel, 1, {
        containers: [{ name: 'kube-state-metrics', image: KSM_IMAGE, ports: [{ name: 'http', containerPort: 8080 }] }],
      }),
      { apiVersion: `${MON}/v1`, kind: 'Prometheus', metadata: meta(promName, ns, { ...base, app: 'kube-prometheus-stack-prometheus', release: release.name }),
        spec: { replicas: 1, image: PROMETHEUS_IMAGE, serviceMonitorSelector: {}, podMonitorSelector: {}, ...promSpec } },
      service(promName, ns, { ...base, app: 'kube-prometheus-stack-prometheus', release: release.name },
        { 'app.kubernetes.io/name': 'prometheus', 'operator.prometheus.io/name': promName },
        [{ name: 'http-web', port: 9090, targetPort: 9090, protocol: 'TCP' }]),
    ];
    if (!at(values, 'grafana.enabled', true)) return out;

    const grafanaName = `${release.name}-grafana`;
    const grafanaSel = { 'app.kubernetes.io/name': 'grafana', 'app.kubernetes.io/instance': release.name };
    const grafanaLabels = { ...base, ...grafanaSel };
    // Every file Grafana provisions datasources from: the chart's ConfigMap (collected by the datasource
    // sidecar) when the sidecar is on, and each grafana.datasources entry (the subchart's ConfigMap).
    const sidecarDatasources = at(values, 'grafana.sidecar.datasources.enabled', true) || at(values, 'grafana.forceDeployDatasources', false);
    const fromChart = sidecarDatasources ? chartDatasources(full, ns, values) : [];
    const files = at<Values>(values, 'grafana.datasources', {});
    const fromValues = Object.values(files).flatMap((doc) => (isObject(doc) ? datasourceList(doc.datasources) : []));
    const refuses = tooManyDefaultDatasources([...fromChart, ...fromValues]);
    const sidecar = (name: string, label: string, folder: string, resource: string) => ({
      name, image: SIDECAR_IMAGE, imagePullPolicy: 'IfNotPresent',
      env: [{ name: 'METHOD', value: 'WATCH' }, { name: 'LABEL', value: label }, { name: 'LABEL_VALUE', value: '1' }, { name: 'FOLDER', value: folder }, { name: 'RESOURCE', value: resource }],
    });
    out.push(
      serviceAccount(grafanaName, ns, grafanaLabels),
      { apiVersion: 'v1', kind: 'Secret', metadata: meta(grafanaName, ns, grafanaLabels), type: 'Opaque',
        data: { 'admin-user': Buffer.from('admin').toString('base64'), 'admin-password': Buffer.from(String(at(values, 'grafana.adminPassword', 'prom-operator'))).toString('base64') } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(grafanaName, ns, grafanaLabels),
        data: Object.fromEntries(Object.entries(files).map(([file, doc]) => [file, stringify(doc)])) },
      deployment(grafanaName, ns, grafanaLabels, grafanaSel, 1, {
        serviceAccountName: grafanaName,
        containers: [
          ...(at(values, 'grafana.sidecar.dashboards.enabled', true) ? [sidecar('grafana-sc-dashboard', 'grafana_dashboard', '/tmp/dashboards', 'both')] : []),
          ...(at(values, 'grafana.sidecar.datasources.enabled', true) ? [sidecar('grafana-sc-datasources', 'grafana_datasource', '/etc/grafana/provisioning/datasources', 'both')] : []),
          { name: 'grafana', image: GRAFANA_IMAGE, imagePullPolicy: 'IfNotPresent', ports: [{ name: 'grafana', containerPort: 3000, protocol: 'TCP' }],
            readinessProbe: { httpGet: { path: '/api/health', port: 3000 } } },
        ],
      }),
      service(grafanaName, ns, grafanaLabels, grafanaSel, [{ name: 'http-web', port: 80, targetPort: 3000, protocol: 'TCP' }]),
    );
    if (refuses) {
      const dep = out.find((o) => o.kind === 'Deployment' && o.metadata.name === grafanaName);
      const tmpl = (dep?.spec as { template: { metadata: { annotations?: Record<string, string> } } } | undefined)?.template;
      if (tmpl) tmpl.metadata.annotations = { ...(tmpl.metadata.annotations ?? {}), ...startFailureAnnotation('grafana', { exitCode: 1, afterSeconds: 2, log: grafanaRefusal() }) };
    }
    if (sidecarDatasources) {
      out.push({ apiVersion: 'v1', kind: 'ConfigMap',
        metadata: meta(`${full}-grafana-datasource`, ns, { grafana_datasource: '1', app: 'kube-prometheus-stack-grafana', ...base }),
        data: { 'datasource.yaml': stringify({ apiVersion: 1, datasources: fromChart }) } });
    }
    return out;
  },
};
