// istio/base (the Istio CRDs) and istio/istiod (the control plane, release `istiod` in istio-system).
// The Gateway API deployment controller of istiod (per-Gateway Deployment + Service `<gateway>-istio`)
// is behaviour, not chart output: sim/cluster/istio.ts does it once istiod runs.
import { SIM_CHART_VERSIONS as VERSIONS } from '../upstream.js';
import { at, type Chart, crd, deployment, helmLabels, meta, service, serviceAccount } from './chart.js';

const ISTIO_CRDS = [
  ['networking.istio.io', 'DestinationRule', 'destinationrules', ['v1alpha3', 'v1beta1', 'v1']],
  ['networking.istio.io', 'VirtualService', 'virtualservices', ['v1alpha3', 'v1beta1', 'v1']],
  ['networking.istio.io', 'Gateway', 'gateways', ['v1alpha3', 'v1beta1', 'v1']],
  ['networking.istio.io', 'ServiceEntry', 'serviceentries', ['v1alpha3', 'v1beta1', 'v1']],
  ['networking.istio.io', 'Sidecar', 'sidecars', ['v1alpha3', 'v1beta1', 'v1']],
  ['networking.istio.io', 'EnvoyFilter', 'envoyfilters', ['v1alpha3']],
  ['security.istio.io', 'PeerAuthentication', 'peerauthentications', ['v1beta1', 'v1']],
  ['security.istio.io', 'AuthorizationPolicy', 'authorizationpolicies', ['v1beta1', 'v1']],
  ['telemetry.istio.io', 'Telemetry', 'telemetries', ['v1alpha1', 'v1']],
] as const;

export const istioBase: Chart = {
  name: 'base',
  version: VERSIONS.istio,
  appVersion: VERSIONS.istio,
  // istio/base ships its CRDs as templates (not crds/), so `--skip-crds` does not skip them.
  render: (release) => [
    ...ISTIO_CRDS.map(([g, k, p, v]) => crd(g, k, p, [...v])),
    serviceAccount('istio-reader-service-account', release.namespace, { app: 'istio-reader', release: release.name }),
  ],
};

export const istiod: Chart = {
  name: 'istiod',
  version: VERSIONS.istio,
  appVersion: VERSIONS.istio,
  render: (release, values) => {
    const ns = release.namespace;
    const hub = at(values, 'hub', 'docker.io/istio');
    const tag = at(values, 'tag', VERSIONS.istio);
    const labels = { app: 'istiod', istio: 'pilot', 'istio.io/rev': 'default', release: release.name, ...helmLabels(release, istiod, 'istiod') };
    const env = Object.entries(at<Record<string, string>>(values, 'pilot.env', {})).map(([name, value]) => ({ name, value: String(value) }));
    return [
      serviceAccount('istiod', ns, labels),
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('istio', ns, labels), data: { mesh: JSON.stringify(at(values, 'meshConfig', {})) } },
      deployment('istiod', ns, labels, { app: 'istiod', istio: 'pilot' }, 1, {
        serviceAccountName: 'istiod',
        containers: [{
          name: 'discovery', image: `${hub}/pilot:${tag}`, args: ['discovery', '--monitoringAddr=:15014', '--log_output_level=default:info', '--domain', 'cluster.local', '--keepaliveMaxServerConnectionAge', '30m'],
          ports: [{ containerPort: 8080, protocol: 'TCP' }, { containerPort: 15010, protocol: 'TCP' }, { containerPort: 15017, protocol: 'TCP' }],
          env, readinessProbe: { httpGet: { path: '/ready', port: 8080 }, initialDelaySeconds: 1, periodSeconds: 3 },
          resources: { requests: { cpu: '500m', memory: '2048Mi' } },
        }],
      }, { app: 'istiod', istio: 'pilot', 'istio.io/rev': 'default', 'sidecar.istio.io/inject': 'false' }),
      service('istiod', ns, labels, { app: 'istiod', istio: 'pilot' }, [
        { name: 'grpc-xds', port: 15010, protocol: 'TCP' }, { name: 'https-dns', port: 15012, protocol: 'TCP' },
        { name: 'https-webhook', port: 443, targetPort: 15017, protocol: 'TCP' }, { name: 'http-monitoring', port: 15014, protocol: 'TCP' },
      ]),
    ];
  },
};
