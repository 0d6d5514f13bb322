// GAIE inferencepool chart v1.2.0-rc.1 (kubernetes-sigs/gateway-api-inference-extension tag v1.2.0-rc.1,
// commit 318cd7ce, config/charts/inferencepool/): the EPP Deployment/Service/ConfigMap, the InferencePool,
// the Istio DestinationRule and the EPP ServiceMonitor + its token Secret — rendered from the same values
// keys the templates read, so keys the real chart ignores are ignored here too. File:line of each template
// is beside what it decides; the values defaults are values.yaml (shared/reference/upstream/
// gateway-api-inference-extension/v1.2.0-rc.1/charts/inferencepool/values.yaml).
// Not modelled: the RBAC objects (rbac.yaml, leader-election-rbac.yaml — the sim API server serves no
// rbac.authorization.k8s.io kinds), gke.yaml, the EPP sidecar, and the chart's `fail` validations.
import { INFERENCE_POOL_GROUP_LEGACY } from '../../shared/stack.js';
import { SIM_CHART_VERSIONS as VERSIONS } from '../upstream.js';
import { at, type Chart, deployment, isObject, meta, service, serviceAccount, type Values } from './chart.js';

const DEFAULT_PLUGINS = `apiVersion: inference.networking.x-k8s.io/v1alpha1
kind: EndpointPickerConfig
plugins:
- type: queue-scorer
- type: kv-cache-utilization-scorer
- type: prefix-cache-scorer
schedulingProfiles:
- name: default
  plugins:
  - pluginRef: queue-scorer
    weight: 2
  - pluginRef: kv-cache-utilization-scorer
    weight: 2
  - pluginRef: prefix-cache-scorer
    weight: 3
`;

/** The only apiVersion that selects the legacy pool (templates/inferencepool.yaml l.1: an exact `eq`). */
const V1ALPHA2 = `${INFERENCE_POOL_GROUP_LEGACY}/v1alpha2`;

export const inferencepool: Chart = {
  name: 'inferencepool',
  version: VERSIONS.inferencepool,
  // hack/push-chart.sh l.43: `helm package --version "${chart_version}" --app-version "${chart_version}"`.
  appVersion: VERSIONS.inferencepool,
  render: (release, values) => {
    const ns = release.namespace;
    // _helpers.tpl l.14-17: Release.Name | default "default-pool" | lower | trim | trunc 40, + "-epp".
    const epp = `${(release.name || 'default-pool').toLowerCase().trim().slice(0, 40)}-epp`;
    // _helpers.tpl l.4-9: the chart's only labels.
    const labels = { 'app.kubernetes.io/name': epp, 'app.kubernetes.io/version': inferencepool.appVersion };
    // _helpers.tpl l.31-33.
    const sel = { inferencepool: epp };
    const img = at<Values>(values, 'inferenceExtension.image', {});
    // epp-deployment.yaml l.70-71; values.yaml l.3-7 (pullPolicy Always; the template's own default IfNotPresent
    // applies only when the key is emptied).
    const image = `${at(img, 'hub', 'registry.k8s.io/gateway-api-inference-extension')}/${at(img, 'name', 'epp')}:${at(img, 'tag', VERSIONS.inferencepool)}`;
    const pullPolicy = String(at(img, 'pullPolicy', 'Always') || 'IfNotPresent');
    const replicas = Number(at(values, 'inferenceExtension.replicas', 1)) || 1;
    // values.yaml l.39-41 (flags: {v: 1}) merged with the user's map as helm merges maps.
    const flags: Values = { v: 1, ...at<Values>(values, 'inferenceExtension.flags', {}) };
    const pluginsFile = at(values, 'inferenceExtension.pluginsConfigFile', 'default-plugins.yaml');
    const apiVersion = String(at(values, 'inferencePool.apiVersion', 'inference.networking.k8s.io/v1'));
    const legacy = apiVersion === V1ALPHA2;
    const matchLabels = at<Record<string, string>>(values, 'inferencePool.modelServers.matchLabels', {});
    const extProcPort = at(values, 'inferenceExtension.extProcPort', 9002);
    const prometheus = Boolean(at(values, 'inferenceExtension.monitoring.prometheus.enabled', false));
    const provider = String(at(values, 'provider.name', 'none'));
    const modelServerType = String(at(values, 'inferencePool.modelServerType', 'vllm') || 'vllm');
    // epp-deployment.yaml l.72-111.
    const args = [
      '--pool-name', release.name, '--pool-namespace', ns,
      // l.80-83: emitted unless apiVersion is the bare group; the value is the part before "/".
      ...(apiVersion !== 'inference.networking.k8s.io' ? ['--pool-group', apiVersion.split('/')[0] ?? ''] : []),
      '--zap-encoder', 'json', '--config-file', `/config/${pluginsFile}`,
      // l.88-95.
      ...(modelServerType === 'triton-tensorrt-llm'
        ? ['--total-queued-requests-metric', 'nv_trt_llm_request_metrics{request_type=waiting}', '--kv-cache-usage-percentage-metric',
          'nv_trt_llm_kv_cache_block_metrics{kv_cache_block_type=fraction}', '--lora-info-metric', '']
        : []),
      // l.96-98.
      ...(replicas > 1 ? ['--ha-enable-leader-election'] : []),
      // l.100-103: `range` over a map visits the keys in sorted order.
      ...Object.keys(flags).sort().flatMap((k) => [`--${k}`, String(flags[k])]),
      // l.104-108.
      at(values, 'inferenceExtension.tracing.enabled', false) ? '--tracing=true' : '--tracing=false',
      // l.109-111.
      ...(prometheus ? [] : ['--metrics-endpoint-auth=false']),
    ];
    const probeService = (kind: 'liveness' | 'readiness') => (replicas > 1 ? kind : 'inference-extension');
    const env = [
      { name: 'NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      ...at<Values[]>(values, 'inferenceExtension.env', []),
    ];
    const out = [
      serviceAccount(epp, ns, labels),
      // epp-config.yaml l.1-25: pluginsCustomConfig entries sit beside the default file.
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(epp, ns),
        data: { 'default-plugins.yaml': DEFAULT_PLUGINS, ...at<Record<string, string>>(values, 'inferenceExtension.pluginsCustomConfig', {}) } },
      deployment(epp, ns, labels, sel, replicas, {
        serviceAccountName: epp,
        terminationGracePeriodSeconds: 130,
        containers: [{
          name: 'epp', image, imagePullPolicy: pullPolicy, args,
          // l.112-121: the container ports are fixed; extProcPort only moves the Service port and the pool's ref.
          ports: [{ name: 'grpc', containerPort: 9002 }, { name: 'grpc-health', containerPort: 9003 }, { name: 'metrics', containerPort: 9090 },
            ...at<Values[]>(values, 'inferenceExtension.extraContainerPorts', [])],
          livenessProbe: { grpc: { port: 9003, service: probeService('liveness') }, initialDelaySeconds: 5, periodSeconds: 10 },
          readinessProbe: { grpc: { port: 9003, service: probeService('readiness') }, periodSeconds: 2 },
          env,
          volumeMounts: [{ name: 'plugins-config-volume', mountPath: '/config' }],
        }],
        volumes: [{ name: 'plugins-config-volume', configMap: { name: epp } }],
        ...(isObject(at(values, 'inferenceExtension.affinity', {})) && Object.keys(at<Values>(values, 'inferenceExtension.affinity', {})).length ? { affinity: at<Values>(values, 'inferenceExtension.affinity', {}) } : {}),
        ...(at<Values[]>(values, 'inferenceExtension.tolerations', []).length ? { tolerations: at<Values[]>(values, 'inferenceExtension.tolerations', []) } : {}),
      }),
      // epp-service.yaml l.11-21.
      service(epp, ns, labels, sel, [
        { name: 'grpc-ext-proc', protocol: 'TCP', port: extProcPort },
        { name: 'http-metrics', protocol: 'TCP', port: at(values, 'inferenceExtension.metricsPort', 9090) },
        ...at<Values[]>(values, 'inferenceExtension.extraServicePorts', []),
      ]),
      legacy
        // inferencepool.yaml l.1-20: v1alpha2 reads targetPortNumber (default 8000), a flat selector, extensionRef.
        ? { apiVersion: V1ALPHA2, kind: 'InferencePool', metadata: meta(release.name, ns, labels),
          spec: {
            targetPortNumber: at(values, 'inferencePool.targetPortNumber', 8000) || 8000,
            selector: Object.fromEntries(Object.entries(matchLabels).map(([k, v]) => [k, String(v)])),
            extensionRef: { name: epp, portNumber: extProcPort, failureMode: at(values, 'inferenceExtension.failureMode', 'FailClose') || 'FailClose' },
          } }
        // inferencepool.yaml l.21-45: any other apiVersion renders v1 (apiVersion fixed), targetPorts from
        // inferencePool.targetPorts (each entry's `number` only); targetPortNumber is not read.
        : { apiVersion: 'inference.networking.k8s.io/v1', kind: 'InferencePool', metadata: meta(release.name, ns, labels),
          spec: {
            targetPorts: at<Values[]>(values, 'inferencePool.targetPorts', [{ number: 8000 }]).map((p) => ({ number: p.number })),
            selector: { matchLabels: Object.fromEntries(Object.entries(matchLabels).map(([k, v]) => [k, String(v)])) },
            endpointPickerRef: { name: epp, port: { number: extProcPort } },
          } },
    ];
    if (provider === 'istio') {
      // istio.yaml l.1-21: provider.istio, else the legacy top-level istio, else {}; the TLS policy is fixed and
      // only trafficPolicy.connectionPool is taken from the values.
      const provIstio = at<Values>(values, 'provider.istio', {});
      const istio = Object.keys(provIstio).length ? provIstio : at<Values>(values, 'istio', {});
      const dr = isObject(istio.destinationRule) ? istio.destinationRule : {};
      const pool = isObject(dr.trafficPolicy) ? dr.trafficPolicy.connectionPool : undefined;
      out.push({ apiVersion: 'networking.istio.io/v1beta1', kind: 'DestinationRule', metadata: meta(epp, undefined),
        spec: {
          host: (typeof dr.host === 'string' && dr.host) || `${epp}.${ns}.svc.cluster.local`,
          trafficPolicy: { tls: { mode: 'SIMPLE', insecureSkipVerify: true }, ...(isObject(pool) ? { connectionPool: pool } : {}) },
        } } as never);
    }
    if (prometheus && provider.toLowerCase() !== 'gke') {
      const auth = Boolean(at(values, 'inferenceExtension.monitoring.prometheus.auth.enabled', true));
      const secretName = String(at(values, 'inferenceExtension.monitoring.prometheus.auth.secretName', 'inference-gateway-sa-metrics-reader-secret'));
      // epp-servicemonitor.yaml l.1-30: selects the chart labels (which the Service carries).
      out.push({ apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor',
        metadata: meta(`${epp}-monitor`, ns, { ...labels, ...at<Record<string, string>>(values, 'inferenceExtension.monitoring.prometheus.extraLabels', {}) }),
        spec: {
          endpoints: [{ interval: at(values, 'inferenceExtension.monitoring.interval', '10s'), port: 'http-metrics', path: '/metrics',
            ...(auth ? { authorization: { credentials: { key: 'token', name: secretName } } } : {}) }],
          jobLabel: epp, namespaceSelector: { matchNames: [ns] }, selector: { matchLabels: labels },
        } } as never);
      // epp-sa-token-secret.yaml l.1-11.
      if (auth) {
        out.push({ apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/service-account-token',
          metadata: meta(secretName, ns, labels, { 'kubernetes.io/service-account.name': epp }) } as never);
      }
    }
    return out;
  },
};
