// llm-d-router-standalone v0.10.0 (llm-d/llm-d-router tag v0.10.0, config/charts/llm-d-router-standalone/,
// published as oci://ghcr.io/llm-d/charts/llm-d-router-standalone with version = appVersion = v0.10.0 by
// hack/push-chart.sh, which also pins router.epp.image to ghcr.io/llm-d/llm-d-router-endpoint-picker:v0.10.0,
// IfNotPresent): the EPP with an Envoy sidecar in one pod (2/2), its Service, the InferencePool, and the
// Envoy ConfigMap — what llm-d v0.9's optimized-baseline guide installs in Standalone mode
// (llm-d-current-facts.md §3). templates/epp.yaml includes, in this order (the line matters for error
// locations): l.1 validations.epp, l.2 validations.standalone, l.3 config, l.4 deployment, l.5-6 the
// service-mode proxy, l.7 gke, l.8 leader-election RBAC, l.9 sa-token secret, l.10 service, l.11
// ServiceMonitor, l.12 RBAC, l.13 the InferencePool. The library parts are in routerlib.ts.
// Not modelled: proxy.mode=service and proxyType=agentgateway (refused with a "sim:" error).
import { SIM_CHART_VERSIONS as VERSIONS } from '../upstream.js';
import type { KubeObject } from '../apiserver/types.js';
import { at, ChartRenderError, failAt, isObject, mergeValues, type Chart, type Values } from './chart.js';
import {
  coalesceRouterValues, createsPool, eppConfigMap, eppContainer, eppDeployment, eppService, eppServiceAccount, eppYaml, inferencePool, monitoring,
  publishedEppImage, requireModelServers, type RouterContext, validateEpp, validatePoolMatchLabels,
} from './routerlib.js';

const CHART = 'llm-d-router-standalone';

/**
 * The Envoy preset's envoy.yaml (values.yaml router.proxy.presets.envoy.configMap.data), abbreviated to what
 * decides behaviour: admin on 127.0.0.1:19000; readiness `/ready` and `/stats/prometheus` on 19001; the
 * `vllm` listener on 8081 whose HTTP connection manager (use_remote_address: true, server header
 * PASS_THROUGH) runs ext_proc against 127.0.0.1:9002 (failure_mode_allow from router.proxy.failOpen; TLS
 * unless router.epp.flags.secure-serving is false) and routes to the ORIGINAL_DST cluster keyed on the
 * `x-gateway-destination-endpoint` header the EPP sets; the router filter suppresses Envoy's own headers.
 */
const envoyYaml = (failOpen: boolean, tls: boolean): string => `admin:
  address:
    socket_address: {address: 127.0.0.1, port_value: 19000}
static_resources:
  listeners:
  - name: envoy-proxy-ready-0.0.0.0-19001
    address:
      socket_address: {address: 0.0.0.0, port_value: 19001}
    # health_check filter: exact path /ready; /stats/prometheus routed to the admin cluster
  - name: vllm
    address:
      socket_address: {address: 0.0.0.0, port_value: 8081}
    filter_chains:
    - name: vllm
      filters:
      - name: envoy.filters.network.http_connection_manager
        typed_config:
          stat_prefix: http-8081
          use_remote_address: true
          server_header_transformation: PASS_THROUGH
          route_config:
            virtual_hosts:
            - {name: vllm-default, domains: ["*"], routes: [{match: {prefix: /}, route: {cluster: original_destination_cluster, timeout: 86400s, idle_timeout: 86400s}}]}
          http_filters:
          - name: envoy.filters.http.ext_proc
            typed_config:
              failure_mode_allow: ${String(failOpen)}
              grpc_service: {envoy_grpc: {cluster_name: ext_proc, authority: localhost:9002}, timeout: 10s}
              processing_mode: {request_header_mode: SEND, response_header_mode: SEND, request_body_mode: FULL_DUPLEX_STREAMED, response_body_mode: FULL_DUPLEX_STREAMED, request_trailer_mode: SEND, response_trailer_mode: SEND}
              message_timeout: 1000s
          - name: envoy.filters.http.router
            typed_config: {suppress_envoy_headers: true}
  clusters:
  - name: original_destination_cluster
    type: ORIGINAL_DST
    lb_policy: CLUSTER_PROVIDED
    original_dst_lb_config: {use_http_header: true, http_header_name: x-gateway-destination-endpoint}
  - name: ext_proc
    type: STATIC
    lb_policy: LEAST_REQUEST
    load_assignment:
      cluster_name: ext_proc
      endpoints: [{lb_endpoints: [{endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: 9002}}}}]}]
${tls ? '    transport_socket: {name: envoy.transport_sockets.tls}\n' : ''}`;

/** values.yaml `router.proxy.presets.envoy`, less its configMap data (rendered by envoyYaml). */
const ENVOY_PRESET: Values = {
  configMap: { name: 'envoy' },
  name: 'envoy-proxy',
  image: 'docker.io/envoyproxy/envoy:distroless-v1.33.2',
  command: 'envoy',
  args: ['--service-node', 'envoy-proxy', '--log-level', 'warn', '--cpuset-threads', '--drain-strategy', 'immediate', '--drain-time-s', '60', '-c', '/etc/envoy/envoy.yaml'],
  env: [
    { name: 'NS_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
    { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
  ],
  ports: [{ containerPort: 8081, name: 'http-8081' }, { containerPort: 19001, name: 'metrics-19001' }],
  readinessProbe: { failureThreshold: 1, httpGet: { path: '/ready', port: 19001, scheme: 'HTTP' }, periodSeconds: 5, successThreshold: 1, timeoutSeconds: 1 },
  volumeMounts: [{ name: 'config', mountPath: '/etc/envoy', readOnly: true }],
  volumes: [{ name: 'config', configMap: { name: 'envoy', items: [{ key: 'envoy.yaml', path: 'envoy.yaml' }] } }],
};

/** config/charts/llm-d-router-standalone/values.yaml at v0.10.0, with push-chart.sh's published EPP image. */
export const STANDALONE_DEFAULTS: Values = {
  router: {
    // A bare `modelServers:` (its matchLabels only a comment): null, which drops routerlib's modelServers defaults.
    modelServers: null,
    extraServicePorts: [{ name: 'http', port: 8081, protocol: 'TCP', targetPort: 8081 }],
    proxy: {
      enabled: true, proxyType: 'envoy', mode: 'sidecar', replicas: 2, failOpen: true,
      resources: { requests: { cpu: '4', memory: '8Gi' }, limits: { memory: '16Gi' } },
      presets: { envoy: ENVOY_PRESET, agentgateway: { name: 'agentgateway-proxy', image: 'cr.agentgateway.dev/agentgateway:v0.10.0' } },
    },
    epp: { image: publishedEppImage(VERSIONS.llmdRouter) },
  },
};

/**
 * `llm-d-router.validations.standalone` (templates/_validations.tpl), from epp.yaml l.2: proxy.mode,
 * the endpoint selector without a pool, failOpen's type, proxyType.
 */
function validateStandalone(ctx: RouterContext): void {
  const loc = eppYaml(ctx, 2);
  const proxy = at<Values>(ctx.values, 'router.proxy', {});
  const mode = String(proxy.mode || 'sidecar').toLowerCase();
  if (mode !== 'sidecar' && mode !== 'service') throw failAt(loc, `.Values.router.proxy.mode must be one of [sidecar, service], got ${JSON.stringify(mode)}`);
  const matchLabels = at<unknown>(ctx.values, 'router.modelServers.matchLabels', undefined);
  if (!createsPool(ctx) && (!isObject(ctx.values.router) || !isObject((ctx.values.router as Values).modelServers) || !matchLabels || (isObject(matchLabels) && !Object.keys(matchLabels).length))) {
    throw failAt(loc, '.Values.router.modelServers.matchLabels is required when .Values.router.inferencePool.create=false: standalone mode renders the EPP --endpoint-selector from matchLabels and cannot start with an empty selector');
  }
  if (proxy.failOpen !== undefined && proxy.failOpen !== null && typeof proxy.failOpen !== 'boolean') {
    throw failAt(loc, `.Values.router.proxy.failOpen must be a boolean, got ${JSON.stringify(String(proxy.failOpen))}`);
  }
  if (mode === 'service') throw new ChartRenderError(`sim: the ${CHART} model does not render router.proxy.mode=service`);
  const type = String(proxy.proxyType || 'envoy').toLowerCase();
  if (proxy.enabled && type !== 'envoy' && type !== 'agentgateway') throw failAt(loc, `.Values.router.proxy.proxyType must be one of [envoy, agentgateway], got ${JSON.stringify(type)}`);
  if (proxy.enabled && type === 'agentgateway') throw new ChartRenderError(`sim: the ${CHART} model does not render router.proxy.proxyType=agentgateway`);
}

/**
 * `llm-d-router.proxy` (routerlib _helpers.tpl l.335-362) for the standalone chart: the selected preset
 * with router.proxy over it (sprig mergeOverwrite), the preset's args unless the user gave some, without
 * the presets/proxyType/agentgateway keys.
 */
function resolvedProxy(ctx: RouterContext): Values {
  const proxy = at<Values>(ctx.values, 'router.proxy', {});
  const type = String(proxy.proxyType || 'envoy').toLowerCase();
  const preset = isObject(proxy.presets) && isObject(proxy.presets[type]) ? proxy.presets[type] : {};
  const userArgs = Array.isArray(proxy.args) ? proxy.args : [];
  const resolved = mergeValues(preset, proxy);
  if (userArgs.length === 0) resolved.args = Array.isArray(preset.args) ? preset.args : [];
  delete resolved.agentgateway;
  delete resolved.presets;
  delete resolved.proxyType;
  return resolved;
}

/** The sidecar container (routerlib _deployment.yaml l.20-73): every field from the resolved proxy, quoted. */
function proxyContainer(p: Values): Values {
  const opt = (k: string) => (p[k] !== undefined && p[k] !== null && (!Array.isArray(p[k]) || (p[k] as unknown[]).length) ? { [k]: p[k] } : {});
  return {
    name: p.name, image: p.image, imagePullPolicy: String(p.imagePullPolicy || 'IfNotPresent'),
    // l.24-27: `command` is one string, rendered as a one-element list.
    ...(p.command ? { command: [String(p.command)] } : {}),
    ...(Array.isArray(p.args) && p.args.length ? { args: p.args.map(String) } : {}),
    ...opt('env'), ...opt('ports'), ...opt('livenessProbe'), ...opt('readinessProbe'), ...opt('startupProbe'), ...opt('securityContext'), ...opt('resources'), ...opt('volumeMounts'),
  };
}

export const llmdRouterStandalone: Chart = {
  name: CHART,
  version: VERSIONS.llmdRouter,
  appVersion: VERSIONS.llmdRouter,
  render: (release, userValues) => {
    const ctx: RouterContext = { release, chartName: CHART, appVersion: VERSIONS.llmdRouter, values: coalesceRouterValues(STANDALONE_DEFAULTS, userValues) };
    validateEpp(ctx);
    validateStandalone(ctx);
    requireModelServers(ctx);
    validatePoolMatchLabels(ctx);
    const proxy = resolvedProxy(ctx);
    const sidecar = Boolean(proxy.enabled);
    const secure = String(at(ctx.values, 'router.epp.flags.secure-serving', true)) !== 'false';
    const out: Values[] = [
      eppServiceAccount(ctx),
      eppConfigMap(ctx),
      // _config.yaml l.118-127: the proxy's ConfigMap (name from the preset: `envoy`, not release-derived).
      ...(sidecar && isObject(proxy.configMap)
        ? [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: String(proxy.configMap.name), namespace: release.namespace },
          data: { 'envoy.yaml': envoyYaml(typeof proxy.failOpen === 'boolean' ? proxy.failOpen : false, secure) } }]
        : []),
      eppDeployment(ctx, [...(sidecar ? [proxyContainer(proxy)] : []), eppContainer(ctx)], sidecar && Array.isArray(proxy.volumes) ? proxy.volumes as Values[] : []),
      eppService(ctx),
      ...monitoring(ctx),
      ...(createsPool(ctx) ? [inferencePool(ctx)] : []),
    ];
    return out as unknown as KubeObject[];
  },
};
