// GAIE inferencepool chart (v1.2.0-rc.1): the EPP Deployment/Service/ConfigMap, the InferencePool (v1 by
// default, v1alpha2 when `inferencePool.apiVersion` says so), the Istio DestinationRule and the EPP
// ServiceMonitor (llm-d-facts.md §5, §7). Flags become `--<name> <value>` args; the chart default `v: 1`
// means no per-request routing lines are logged.
import { INFERENCE_POOL_GROUP, INFERENCE_POOL_GROUP_LEGACY, VERSIONS } from '../../shared/stack.js';
import { at, type Chart, deployment, helmLabels, isObject, meta, service, serviceAccount, type Values } from './chart.js';

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

export const inferencepool: Chart = {
  name: 'inferencepool',
  version: VERSIONS.inferencepool,
  appVersion: VERSIONS.inferencepool,
  render: (release, values) => {
    const ns = release.namespace;
    const epp = `${release.name.slice(0, 40)}-epp`;
    const labels = helmLabels(release, inferencepool, 'inferencepool');
    const sel = { inferencepool: epp };
    const img = at<Values>(values, 'inferenceExtension.image', {});
    const image = `${at(img, 'hub', 'registry.k8s.io/gateway-api-inference-extension')}/${at(img, 'name', 'epp')}:${at(img, 'tag', VERSIONS.inferencepool)}`;
    const flags: Values = { v: 1, ...at<Values>(values, 'inferenceExtension.flags', {}) };
    const pluginsFile = at(values, 'inferenceExtension.pluginsConfigFile', 'default-plugins.yaml');
    const apiVersion = at(values, 'inferencePool.apiVersion', `${INFERENCE_POOL_GROUP}/v1`);
    const legacy = apiVersion.startsWith(INFERENCE_POOL_GROUP_LEGACY);
    const matchLabels = at<Record<string, string>>(values, 'inferencePool.modelServers.matchLabels', {});
    const targetPorts = at<Values[]>(values, 'inferencePool.targetPorts', [{ number: 8000 }]);
    const grpcPort = at(values, 'inferenceExtension.extProcPort', 9002);
    const args = [
      '--pool-name', release.name, '--pool-namespace', ns, '--pool-group', legacy ? INFERENCE_POOL_GROUP_LEGACY : INFERENCE_POOL_GROUP,
      '--zap-encoder', 'json', '--config-file', `/config/${pluginsFile}`,
      ...Object.entries(flags).flatMap(([k, v]) => [`--${k}`, String(v)]), '--tracing=false',
    ];
    const out = [
      serviceAccount(epp, ns, labels),
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(epp, ns, labels), data: { 'default-plugins.yaml': DEFAULT_PLUGINS } },
      deployment(epp, ns, labels, sel, Number(at(values, 'inferenceExtension.replicas', 1)), {
        serviceAccountName: epp,
        containers: [{
          name: 'epp', image, imagePullPolicy: at(img, 'pullPolicy', 'Always'), args,
          ports: [{ name: 'grpc', containerPort: grpcPort }, { name: 'grpc-health', containerPort: 9003 }, { name: 'metrics', containerPort: 9090 }],
          livenessProbe: { grpc: { port: 9003, service: 'inference-extension' }, initialDelaySeconds: 5, periodSeconds: 10 },
          readinessProbe: { grpc: { port: 9003, service: 'inference-extension' }, periodSeconds: 2 },
          volumeMounts: [{ name: 'plugins-config-volume', mountPath: '/config' }],
        }],
        volumes: [{ name: 'plugins-config-volume', configMap: { name: epp } }],
      }),
      service(epp, ns, labels, sel, [
        { name: 'grpc-ext-proc', protocol: 'TCP', port: grpcPort }, { name: 'http-metrics', protocol: 'TCP', port: 9090 },
      ]),
      legacy
        ? { apiVersion, kind: 'InferencePool', metadata: meta(release.name, ns, labels),
          spec: { targetPortNumber: at(values, 'inferencePool.targetPortNumber', 8000), selector: matchLabels,
            extensionRef: { name: epp, portNumber: grpcPort, failureMode: 'FailClose' } } }
        : { apiVersion, kind: 'InferencePool', metadata: meta(release.name, ns, labels),
          spec: { targetPorts, selector: { matchLabels }, endpointPickerRef: { name: epp, port: { number: grpcPort } } } },
    ];
    const provider = at<string>(values, 'provider.name', 'none');
    if (provider === 'istio') {
      const dr = at<Values>(values, 'provider.istio.destinationRule', {});
      out.push({ apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: meta(epp, ns, labels),
        spec: { host: at(dr, 'host', `${epp}.${ns}.svc.cluster.local`), trafficPolicy: isObject(dr.trafficPolicy) ? dr.trafficPolicy : { tls: { mode: 'SIMPLE', insecureSkipVerify: true } } } } as never);
    }
    if (at(values, 'inferenceExtension.monitoring.prometheus.enabled', false)) {
      out.push({ apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: meta(`${epp}-monitor`, ns, labels),
        spec: { selector: { matchLabels: sel }, endpoints: [{ port: 'http-metrics', path: '/metrics', interval: at(values, 'inferenceExtension.monitoring.interval', '10s'),
          authorization: { credentials: { name: 'inference-gateway-sa-metrics-reader-secret', key: 'token' } } }] } } as never);
    }
    return out;
  },
};
