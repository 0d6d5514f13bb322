// llm-d-incubation/llm-d-infra v1.3.4: the inference Gateway (`<release>-inference-gateway`, class istio,
// listener `default` on 80), its parameters ConfigMap and access-log Telemetry (llm-d-facts.md §5).
import { SIM_CHART_VERSIONS as VERSIONS } from '../upstream.js';
import { at, type Chart, helmLabels, meta } from './chart.js';

export const llmdInfra: Chart = {
  name: 'llm-d-infra',
  version: VERSIONS.llmdInfra,
  appVersion: 'v0.3.0',
  render: (release, values) => {
    const ns = release.namespace;
    const gw = `${release.name}-inference-gateway`;
    const className = at(values, 'gateway.gatewayClassName', 'istio');
    const labels = { ...helmLabels(release, llmdInfra, 'llm-d-infra'), 'app.kubernetes.io/gateway': gw, 'app.kubernetes.io/component': 'inference-gateway' };
    const gwLabels = className === 'istio' ? { ...labels, 'istio.io/enable-inference-extproc': 'true' } : labels;
    const out = [
      {
        apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(gw, ns, labels),
        data: {
          deployment: JSON.stringify({ spec: { template: { metadata: { annotations: { 'proxy.istio.io/config': '{"logLevel":"warn"}' } },
            spec: { containers: [{ name: 'istio-proxy', resources: { limits: { cpu: '2', memory: '1Gi' }, requests: { cpu: '100m', memory: '128Mi' } } }] } } } }),
          service: JSON.stringify({ spec: { type: at(values, 'gateway.service.type', 'ClusterIP') } }),
        },
      },
      {
        apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: meta(gw, ns, gwLabels),
        spec: {
          gatewayClassName: className,
          listeners: [{ name: 'default', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } }],
          infrastructure: { parametersRef: { group: '', kind: 'ConfigMap', name: gw } },
        },
      },
    ];
    if (className === 'istio') {
      out.push({
        apiVersion: 'telemetry.istio.io/v1', kind: 'Telemetry', metadata: meta(`${gw}-telemetry`, ns, labels),
        spec: { selector: { matchLabels: { 'gateway.networking.k8s.io/gateway-name': gw } }, accessLogging: [{ providers: [{ name: 'envoy' }] }] },
      } as never);
    }
    return out;
  },
};
