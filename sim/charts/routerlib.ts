// The llm-d-router charts' library chart `routerlib` at llm-d/llm-d-router tag v0.10.0 (commit 71f4f0999f95,
// config/charts/routerlib/): the values defaults (values.yaml), the validations (templates/_helpers.tpl),
// and the EPP ConfigMap, Deployment, Service, InferencePool, ServiceMonitor and metrics Secret it renders
// (templates/_config.yaml, _deployment.yaml, _service.yaml, _inferencepool.yaml, _servicemonitor.yaml,
// _sa-token-secret.yaml) — for a parent chart that depends on it under the alias `router` (so every value
// is under `router:`). The template and line each decision comes from are beside it.
// Not modelled: the RBAC objects (_rbac.yaml, _leader-election-rbac.yaml, the parent charts' rbac.yaml —
// the sim API server serves no rbac.authorization.k8s.io kinds), GKE (_gke.yaml, provider.gke, GMP), the
// tokenizer sidecar, the latency predictor, InferenceObjectives (llm-d.ai/v1alpha2 CRDs are not mirrored);
// values that would render them are refused with a "sim:" error rather than rendered wrong.
import { at, ChartRenderError, coalesceChartValues, failAt, isObject, meta, serviceAccount, truthy, type ReleaseRef, type Values } from './chart.js';

/** config/charts/routerlib/values.yaml at v0.10.0 — the keys the templates read (latencyPredictor/tokenizer details omitted). */
export const ROUTERLIB_DEFAULTS: Values = {
  extraServicePorts: [],
  clusterDomain: 'cluster.local',
  epp: {
    replicas: 1,
    image: { registry: 'ghcr.io/llm-d', repository: 'llm-d-router-endpoint-picker', tag: 'main', pullPolicy: 'Always' },
    extProcPort: 9002,
    parsers: [],
    metricsDataSource: { scheme: 'http', path: '/metrics', insecureSkipVerify: true },
    env: [],
    pluginsConfigFile: 'default-plugins.yaml',
    pluginsCustomConfig: {},
    extraContainerPorts: [],
    // "EPP container resources: CPU limits unset for burst capacity, memory capped at 16Gi".
    resources: { requests: { cpu: '8', memory: '8Gi' }, limits: { memory: '16Gi' } },
    affinity: {},
    tolerations: [],
    podAnnotations: {},
  },
  proxy: { enabled: false },
  tokenizer: { enabled: false, modelName: '' },
  monitoring: {
    interval: '10s',
    provider: { name: '', gmp: { autopilot: false } },
    prometheus: { enabled: false, auth: { enabled: true, secretName: 'inference-gateway-sa-metrics-reader-secret' }, extraLabels: {} },
  },
  tracing: { enabled: false, otelExporterEndpoint: 'http://localhost:4317', sampling: { sampler: 'parentbased_traceidratio', samplerArg: '0.1' } },
  inferencePool: { create: true, failureMode: 'FailOpen' },
  inferenceObjectives: [],
  modelServers: { type: 'vllm', protocol: 'http', targetPorts: [{ number: 8000 }] },
  latencyPredictor: { enabled: false },
};

/**
 * The image hack/push-chart.sh writes into a published chart built from a semver tag (EXTRA_TAG matches
 * `^v([0-9]+)(\.[0-9]+){1,2}(-rc.[0-9]+)?$`): `.router.epp.image.{registry,repository,tag,pullPolicy}` =
 * ghcr.io/llm-d / llm-d-router-endpoint-picker / <tag> / IfNotPresent, applied to the parent chart's values.yaml.
 */
export const publishedEppImage = (tag: string): Values => ({ registry: 'ghcr.io/llm-d', repository: 'llm-d-router-endpoint-picker', tag, pullPolicy: 'IfNotPresent' });

/**
 * The values the templates see: helm (pkg/chartutil coalesce.go) coalesces the user's values over the parent
 * chart's values.yaml, then the library's values.yaml under `router` — maps merge, anything else is replaced,
 * and a null removes the key, also when it is the parent chart's own value (the standalone chart's bare
 * `modelServers:` removes routerlib's modelServers defaults unless the user sets router.modelServers).
 */
export function coalesceRouterValues(parentDefaults: Values, user: Values): Values {
  const top = coalesceChartValues(structuredClone(user), parentDefaults, ['router']);
  // coalesceDeps: the subchart's table (created when absent), coalesced with the library's own values.yaml.
  const router = isObject(top.router) ? top.router : {};
  return { ...top, router: coalesceChartValues(router, ROUTERLIB_DEFAULTS) };
}

/** `llm-d-router.name` (_helpers.tpl l.14-17): Release.Name | default "default-pool" | lower | trim | trunc 40, + "-epp". */
export const routerName = (release: ReleaseRef): string => `${(release.name || 'default-pool').toLowerCase().trim().slice(0, 40)}-epp`;

export interface RouterContext {
  release: ReleaseRef;
  /** The parent chart's name (`.Chart.Name`); the location of every error names its templates/epp.yaml. */
  chartName: string;
  appVersion: string;
  /** Coalesced values (coalesceRouterValues). */
  values: Values;
}

const r = <T>(ctx: RouterContext, path: string, fallback: T): T => at(ctx.values, `router.${path}`, fallback);
/** The parent chart's templates/epp.yaml, line `line`, where it includes a routerlib template (`{{ include … }}` → column 3). */
export const eppYaml = (ctx: RouterContext, line: number): string => `${ctx.chartName}/templates/epp.yaml:${line}:3`;

/** Whether the chart creates an InferencePool: `ne .Values.router.inferencePool.create false`. */
export const createsPool = (ctx: RouterContext): boolean => r<unknown>(ctx, 'inferencePool.create', true) !== false;

/** `llm-d-router.labels` (_helpers.tpl l.4-9). */
export const routerLabels = (ctx: RouterContext): Record<string, string> => ({
  'app.kubernetes.io/name': routerName(ctx.release),
  ...(ctx.appVersion ? { 'app.kubernetes.io/version': ctx.appVersion } : {}),
});

/** `llm-d-router.selectorLabels` (_helpers.tpl l.31-39): the gateway label whenever a pool is created, also in the standalone chart. */
export const selectorLabels = (ctx: RouterContext): Record<string, string> =>
  (createsPool(ctx) ? { 'llm-d-router-gateway': routerName(ctx.release) } : { 'llm-d-router-standalone': routerName(ctx.release) });

/** `llm-d-router.modeLabels` (_helpers.tpl l.44-50): keyed on inferencePool.create, not on the chart. */
export const modeLabels = (ctx: RouterContext): Record<string, string> =>
  ({ 'llm-d.ai/igw-mode': createsPool(ctx) ? 'llm-d-router-gateway' : 'llm-d-router-standalone' });

/**
 * `llm-d-router.validations.epp` (_helpers.tpl l.471-477), included from the parent's templates/epp.yaml
 * line 1: deprecations (l.501-518), EPP resources (l.434-443), inferenceObjectives (l.492-496), tokenizer
 * (l.482-487). preferredBackends (GKE) is not modelled.
 */
export function validateEpp(ctx: RouterContext): void {
  const loc = eppYaml(ctx, 1);
  const v = ctx.values;
  // l.501-518: legacy top-level keys of the GAIE charts stop the install.
  if (truthy(v.inferenceExtension)) throw failAt(loc, "Top-level 'inferenceExtension' is deprecated. Please migrate your values to 'router.epp' and other 'router.*' fields.");
  if (truthy(v.inferencePool)) throw failAt(loc, "Top-level 'inferencePool' is deprecated. Please migrate your values to 'router.modelServers' and 'router.inferencePool'.");
  if (truthy(v.experimentalHttpRoute)) {
    throw failAt(loc, ctx.chartName.startsWith('llm-d-router-gateway')
      ? "Top-level 'experimentalHttpRoute' is deprecated. Please migrate your values to 'httpRoute'."
      : "Top-level 'experimentalHttpRoute' is deprecated and not supported in this chart.");
  }
  if (truthy(v.inferenceObjectives)) throw failAt(loc, "Top-level 'inferenceObjectives' is deprecated. Please migrate your values to 'router.inferenceObjectives'.");
  // l.434-443.
  const resources = r<unknown>(ctx, 'epp.resources', undefined);
  if (!truthy(resources)) throw failAt(loc, '.Values.router.epp.resources is required. EPP is a critical component that must have resource requests set.');
  const requests = isObject(resources) ? resources.requests : undefined;
  if (!truthy(requests)) throw failAt(loc, '.Values.router.epp.resources.requests is required. EPP is a critical component that must have resource requests set.');
  // sprig `required` (helm pkg/engine/funcs.go): fails on nil and on "".
  const required = (x: unknown) => x === undefined || x === null || x === '';
  if (isObject(requests) && required(requests.cpu)) throw failAt(loc, '.Values.router.epp.resources.requests.cpu is required. EPP is a critical component that must have CPU requests set.');
  if (isObject(requests) && required(requests.memory)) throw failAt(loc, '.Values.router.epp.resources.requests.memory is required. EPP is a critical component that must have memory requests set.');
  // l.492-496.
  if (!createsPool(ctx) && truthy(r(ctx, 'inferenceObjectives', []))) {
    throw failAt(loc, '.Values.router.inferenceObjectives can only be configured when .Values.router.inferencePool.create is true.');
  }
  // l.482-487.
  if (r(ctx, 'tokenizer.enabled', false) && !r(ctx, 'tokenizer.modelName', '')) throw failAt(loc, '.Values.router.tokenizer.modelName is required when the tokenizer is enabled.');
  // What the sim does not render: refuse rather than render something the real chart would not.
  const unsupported = [
    r(ctx, 'tokenizer.enabled', false) && 'router.tokenizer.enabled',
    r(ctx, 'latencyPredictor.enabled', false) && 'router.latencyPredictor.enabled',
    truthy(r(ctx, 'inferenceObjectives', [])) && 'router.inferenceObjectives',
    at(v, 'provider.gke.preferredBackends.enabled', false) && 'provider.gke.preferredBackends.enabled',
    /^(gmp)$/i.test(monitoringProvider(ctx)) && 'router.monitoring.provider.name=gmp',
  ].filter((x): x is string => typeof x === 'string');
  if (unsupported.length) throw new ChartRenderError(`sim: the ${ctx.chartName} model does not render ${unsupported.join(', ')}`);
}

/** `llm-d-router.monitoring.provider.name` (_helpers.tpl l.59-72). */
export function monitoringProvider(ctx: RouterContext): string {
  const name = r<unknown>(ctx, 'monitoring.provider.name', '');
  if (typeof name === 'string' && name.trim() !== '') return name;
  return String(at(ctx.values, 'provider.name', '')).toLowerCase() === 'gke' ? 'gmp' : 'prometheusoperator';
}

/**
 * Where `.Values.router.modelServers` is read before any validation can name it: templates/epp.yaml l.3
 * includes `llm-d-epp.config`, whose _config.yaml l.9 evaluates `.Values.router.modelServers.protocol`;
 * with no modelServers map text/template stops with "nil pointer evaluating interface {}.protocol", which
 * helm prints unchanged (not a `fail`, so no "execution error at"). The column is text/template's: the
 * field chain's position is that of its second field (`.router`), 39 on that line. ⚠ derived from the Go
 * parser (text/template/parse operand → newField(chain.Position())), not observed.
 */
export function requireModelServers(ctx: RouterContext): void {
  if (isObject(r<unknown>(ctx, 'modelServers', undefined))) return;
  throw new ChartRenderError(`template: ${eppYaml(ctx, 3)}: executing "${ctx.chartName}/templates/epp.yaml" at <include "llm-d-epp.config" .>: error calling include: `
    + `template: ${ctx.chartName}/charts/router/templates/_config.yaml:9:39: executing "llm-d-epp.config" at <.Values.router.modelServers.protocol>: nil pointer evaluating interface {}.protocol`);
}

/** `llm-d-router.validations.gateway.common` (parent templates/_validations.tpl), included by inferencepool-resource from epp.yaml l.13. */
export function validatePoolMatchLabels(ctx: RouterContext): void {
  if (createsPool(ctx) && !truthy(r(ctx, 'modelServers.matchLabels', undefined))) throw failAt(eppYaml(ctx, 13), '.Values.router.modelServers.matchLabels is required');
}

const DEFAULT_PLUGINS = (ctx: RouterContext): string => {
  // _config.yaml l.8-88 (latency predictor off).
  const protocol = String(r(ctx, 'modelServers.protocol', 'http') || 'http').toLowerCase();
  const type = String(r(ctx, 'modelServers.type', 'vllm') || 'vllm');
  const configured = r<string[]>(ctx, 'epp.parsers', []);
  const parsers = type.toLowerCase() === 'vllm' && protocol === 'grpc' ? ['vllmgrpc-parser'] : configured.length ? configured : type.toLowerCase() === 'triton' ? ['passthrough-parser'] : [];
  const ds = r<Values>(ctx, 'epp.metricsDataSource', {});
  return [
    'apiVersion: llm-d.ai/v1alpha1', 'kind: EndpointPickerConfig', 'plugins:',
    '- type: queue-scorer', '- type: kv-cache-utilization-scorer', '- type: prefix-cache-scorer',
    '- type: metrics-data-source', '  parameters:',
    `    scheme: ${JSON.stringify(String(ds.scheme ?? 'http'))}`, `    path: ${JSON.stringify(String(ds.path ?? '/metrics'))}`,
    `    insecureSkipVerify: ${String(ds.insecureSkipVerify ?? true)}`,
    '- type: core-metrics-extractor', ...(type !== 'vllm' ? ['  parameters:', `    defaultEngine: ${JSON.stringify(type)}`] : []),
    ...parsers.map((p) => `- type: ${p}`),
    'schedulingProfiles:', '- name: default', '  plugins:',
    '  - pluginRef: queue-scorer', '    weight: 2', '  - pluginRef: kv-cache-utilization-scorer', '    weight: 2', '  - pluginRef: prefix-cache-scorer', '    weight: 3',
    ...(parsers.length ? ['requestHandler:', '  parsers:', ...parsers.map((p) => `  - pluginRef: ${p}`)] : []),
  ].join('\n') + '\n';
};

// _config.yaml l.89-112.
const PAYLOAD_AGNOSTIC = `# Request-format agnostic routing. Use this when the request format is
# unknown or unsupported, so the EPP cannot rely on scorers that read the
# request body (e.g. the prefix-cache scorer). The passthrough parser does
# not parse the body, and routing falls back to backend-state scorers:
#   - active-request-scorer  : prefers the least busy endpoint
#   - session-affinity-scorer: keeps a session pinned to the same endpoint
# Select it by setting router.epp.pluginsConfigFile: payload-agnostic.yaml
apiVersion: llm-d.ai/v1alpha1
kind: EndpointPickerConfig
plugins:
- type: passthrough-parser
- type: active-request-scorer
- type: session-affinity-scorer
requestHandler:
  parsers:
  - pluginRef: passthrough-parser
schedulingProfiles:
- name: default
  plugins:
  - pluginRef: active-request-scorer
    weight: 1
  - pluginRef: session-affinity-scorer
    weight: 1
`;

/** The EPP plugins ConfigMap `R-epp` (_config.yaml l.1-116): the two shipped files plus router.epp.pluginsCustomConfig. */
export const eppConfigMap = (ctx: RouterContext) => ({
  apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(routerName(ctx.release), ctx.release.namespace),
  data: { 'default-plugins.yaml': DEFAULT_PLUGINS(ctx), 'payload-agnostic.yaml': PAYLOAD_AGNOSTIC, ...r<Record<string, string>>(ctx, 'epp.pluginsCustomConfig', {}) },
});

/** `printf "--%s=%v"` of a YAML scalar. */
const goValue = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v));

/** The `epp` container (_deployment.yaml l.74-208). */
export function eppContainer(ctx: RouterContext, extraFlags: Values = {}): Values {
  const { release } = ctx;
  const img = r<Values>(ctx, 'epp.image', {});
  const replicas = Number(r(ctx, 'epp.replicas', 1)) || 1;
  const healthPort = Number(r(ctx, 'epp.grpcHealthPort', 9003)) || 9003;
  const flags: Values = { ...r<Values>(ctx, 'epp.flags', {}), ...extraFlags };
  const matchLabels = r<Record<string, unknown>>(ctx, 'modelServers.matchLabels', {});
  const args = [
    // l.83-104: pool mode, else the standalone endpoint selector.
    ...(createsPool(ctx)
      ? ['--pool-name', release.name, '--pool-namespace', release.namespace, '--pool-group', 'inference.networking.k8s.io']
      : ['--endpoint-selector', Object.keys(matchLabels).sort().map((k) => `${k}=${goValue(matchLabels[k])}`).join(','),
        // _helpers.tpl l.306-312 standaloneEndpointTargetPorts.
        '--endpoint-target-ports', r<Values[]>(ctx, 'modelServers.targetPorts', []).map((p) => goValue(p.number)).join(',')]),
    '--zap-encoder', 'json', '--config-file', `/config/${String(r(ctx, 'epp.pluginsConfigFile', 'default-plugins.yaml'))}`,
    // l.110-112.
    ...(replicas > 1 ? ['--ha-enable-leader-election'] : []),
    '--grpc-health-port', String(healthPort),
    // l.118-120: `range` over a map visits the keys sorted; each rendered as one --key=value argument.
    ...Object.keys(flags).sort().map((k) => `--${k}=${goValue(flags[k])}`),
    // l.121-128: auth off is what disables the metrics auth (the GAIE chart keyed it on the ServiceMonitor).
    r(ctx, 'tracing.enabled', false) ? '--tracing=true' : '--tracing=false',
    ...(r(ctx, 'monitoring.prometheus.auth.enabled', true) ? [] : ['--metrics-endpoint-auth=false']),
  ];
  const probeService = (kind: string) => (replicas > 1 ? kind : 'inference-extension');
  const resources = r<unknown>(ctx, 'epp.resources', undefined);
  return {
    name: 'epp',
    image: `${String(img.registry)}/${String(img.repository)}:${String(img.tag)}`,
    imagePullPolicy: String(img.pullPolicy || 'IfNotPresent'),
    args,
    ...(truthy(resources) ? { resources } : {}),
    ports: [{ name: 'grpc', containerPort: 9002 }, { name: 'grpc-health', containerPort: healthPort }, { name: 'metrics', containerPort: 9090 },
      ...r<Values[]>(ctx, 'epp.extraContainerPorts', [])],
    livenessProbe: { grpc: { port: healthPort, service: probeService('liveness') }, initialDelaySeconds: 5, periodSeconds: 10 },
    readinessProbe: { grpc: { port: healthPort, service: probeService('readiness') }, periodSeconds: 2 },
    env: [
      { name: 'NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      ...(r(ctx, 'tracing.enabled', false)
        ? [{ name: 'OTEL_SERVICE_NAME', value: 'llm-d-router/epp' }, { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: String(r(ctx, 'tracing.otelExporterEndpoint', '')) },
          { name: 'OTEL_TRACES_EXPORTER', value: 'otlp' }, { name: 'OTEL_TRACES_SAMPLER', value: String(r(ctx, 'tracing.sampling.sampler', '')) },
          { name: 'OTEL_TRACES_SAMPLER_ARG', value: String(r(ctx, 'tracing.sampling.samplerArg', '')) }]
        : []),
      ...r<Values[]>(ctx, 'epp.env', []),
    ],
    volumeMounts: [{ name: 'plugins-config-volume', mountPath: '/config' }, ...r<Values[]>(ctx, 'epp.volumeMounts', [])],
  };
}

/**
 * The EPP Deployment `R-epp` (_deployment.yaml l.328-360): labels + mode labels, one active replica with
 * the Recreate strategy, pod labels selector + mode, the given containers (a sidecar proxy comes first, l.20).
 */
export function eppDeployment(ctx: RouterContext, containers: Values[], volumes: Values[]): Values {
  const name = routerName(ctx.release);
  const podAnnotations = r<Record<string, string>>(ctx, 'epp.podAnnotations', {});
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: meta(name, ctx.release.namespace, { ...routerLabels(ctx), ...modeLabels(ctx) }),
    spec: {
      replicas: Number(r(ctx, 'epp.replicas', 1)) || 1,
      strategy: { type: 'Recreate' },
      selector: { matchLabels: selectorLabels(ctx) },
      template: {
        metadata: { labels: { ...selectorLabels(ctx), ...modeLabels(ctx) }, ...(truthy(podAnnotations) ? { annotations: podAnnotations } : {}) },
        spec: {
          serviceAccountName: name,
          // l.13-14: "Conservatively, this timeout should mirror the longest grace period of the pods within the pool".
          terminationGracePeriodSeconds: 130,
          containers,
          // l.256-283: epp.volumes, proxy volumes, then the plugins ConfigMap.
          volumes: [...r<Values[]>(ctx, 'epp.volumes', []), ...volumes, { name: 'plugins-config-volume', configMap: { name } }],
          ...(truthy(r(ctx, 'epp.affinity', {})) ? { affinity: r<Values>(ctx, 'epp.affinity', {}) } : {}),
          ...(truthy(r(ctx, 'epp.tolerations', [])) ? { tolerations: r<Values[]>(ctx, 'epp.tolerations', []) } : {}),
        },
      },
    },
  };
}

/** The EPP Service `R-epp` (_service.yaml l.44-67): ext-proc (h2c), metrics, then router.extraServicePorts. */
export const eppService = (ctx: RouterContext) => ({
  apiVersion: 'v1', kind: 'Service', metadata: meta(routerName(ctx.release), ctx.release.namespace, routerLabels(ctx)),
  spec: {
    selector: selectorLabels(ctx),
    ports: [
      { name: 'grpc-ext-proc', protocol: 'TCP', port: Number(r(ctx, 'epp.extProcPort', 9002)) || 9002, appProtocol: 'kubernetes.io/h2c' },
      { name: 'http-metrics', protocol: 'TCP', port: Number(r(ctx, 'metricsPort', 9090)) || 9090 },
      ...r<Values[]>(ctx, 'extraServicePorts', []),
    ],
    type: 'ClusterIP',
  },
});

/** ServiceAccount `R-epp` (_rbac.yaml, after the Role/RoleBinding the sim does not serve). */
export const eppServiceAccount = (ctx: RouterContext) => serviceAccount(routerName(ctx.release), ctx.release.namespace, routerLabels(ctx));

/** The InferencePool `R` (_inferencepool.yaml l.1-38), rendered when inferencePool.create is not false. */
export function inferencePool(ctx: RouterContext): Values {
  const protocol = r<unknown>(ctx, 'modelServers.protocol', undefined);
  const matchLabels = r<Record<string, unknown>>(ctx, 'modelServers.matchLabels', {});
  return {
    apiVersion: 'inference.networking.k8s.io/v1', kind: 'InferencePool', metadata: meta(ctx.release.name, ctx.release.namespace, routerLabels(ctx)),
    spec: {
      targetPorts: r<Values[]>(ctx, 'modelServers.targetPorts', []).map((p) => ({ number: p.number })),
      // l.14-20: only the two known protocols set appProtocol.
      ...(protocol === 'grpc' ? { appProtocol: 'kubernetes.io/h2c' } : protocol === 'http' ? { appProtocol: 'http' } : {}),
      // l.21-27: `{{ quote $value }}` — every value a string.
      selector: { matchLabels: Object.fromEntries(Object.keys(matchLabels).sort().map((k) => [k, goValue(matchLabels[k])])) },
      endpointPickerRef: {
        name: routerName(ctx.release),
        port: { number: Number(r(ctx, 'epp.extProcPort', 9002)) || 9002 },
        failureMode: String(r(ctx, 'inferencePool.failureMode', 'FailOpen') || 'FailOpen'),
      },
    },
  };
}

/** ServiceMonitor `R-epp-monitor` and the metrics-reader token Secret (_servicemonitor.yaml, _sa-token-secret.yaml), Prometheus Operator only. */
export function monitoring(ctx: RouterContext): Values[] {
  if (!r(ctx, 'monitoring.prometheus.enabled', false) || monitoringProvider(ctx).toLowerCase() !== 'prometheusoperator') return [];
  const name = routerName(ctx.release);
  const ns = ctx.release.namespace;
  const auth = Boolean(r(ctx, 'monitoring.prometheus.auth.enabled', true));
  const secretName = String(r(ctx, 'monitoring.prometheus.auth.secretName', 'inference-gateway-sa-metrics-reader-secret'));
  const out: Values[] = [{
    apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor',
    metadata: meta(`${name}-monitor`, ns, { ...routerLabels(ctx), ...r<Record<string, string>>(ctx, 'monitoring.prometheus.extraLabels', {}) }),
    spec: {
      endpoints: [{ interval: r(ctx, 'monitoring.interval', '10s'), port: 'http-metrics', path: '/metrics',
        ...(auth ? { authorization: { credentials: { key: 'token', name: secretName } } } : {}) }],
      jobLabel: name, namespaceSelector: { matchNames: [ns] }, selector: { matchLabels: routerLabels(ctx) },
    },
  }];
  if (auth) {
    out.push({ apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/service-account-token',
      metadata: meta(secretName, ns, routerLabels(ctx), { 'kubernetes.io/service-account.name': name }) });
  }
  return out;
}
