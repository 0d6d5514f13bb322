// llm-d-router-standalone v0.10.0 renders what llm-d/llm-d-router's templates at tag v0.10.0 render
// (config/charts/llm-d-router-standalone + routerlib) and fails where they fail.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../apiserver/types.js';
import { ChartRenderError } from './chart.js';
import { findChart } from './index.js';
import { llmdRouterStandalone } from './llm-d-router-standalone.js';

const REL = { name: 'optimized-baseline', namespace: 'llm-d-optimized-baseline' };
// The laptop values of the sim's install (requests set, v: 3, the guide's selector and port 80).
const VALUES = {
  router: {
    epp: { flags: { v: 3 }, resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { memory: '1Gi' } } },
    modelServers: { matchLabels: { 'llm-d.ai/guide': 'optimized-baseline' } },
    extraServicePorts: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8081 }],
    proxy: { resources: { requests: { cpu: '250m', memory: '256Mi' } } },
  },
};
type Spec = Record<string, never>;
const render = (values: Record<string, unknown> = VALUES, release = REL) => llmdRouterStandalone.render(release, values);
const one = (objs: KubeObject[], kind: string, name?: string) => {
  const o = objs.find((x) => x.kind === kind && (name === undefined || x.metadata.name === name));
  if (!o) throw new Error(`no ${kind} ${name ?? ''}`);
  return o as KubeObject & { spec: Spec; data?: Record<string, string> };
};
interface C { name: string; image: string; imagePullPolicy: string; args: string[]; command?: string[]; ports: Array<{ name: string; containerPort: number }>; readinessProbe: unknown; livenessProbe: unknown; env: Array<{ name: string }>; resources?: unknown }
const pod = (objs: KubeObject[]) => (one(objs, 'Deployment').spec as unknown as { template: { metadata: { labels: Record<string, string> }; spec: { containers: C[]; terminationGracePeriodSeconds: number; serviceAccountName: string; volumes: unknown[] } } }).template;
const failure = (values: Record<string, unknown>): string => {
  try { render(values); } catch (e) { if (e instanceof ChartRenderError) return e.message; throw e; }
  throw new Error('rendered without failing');
};

describe('llm-d-router-standalone v0.10.0', () => {
  it('is the chart an oci://ghcr.io/llm-d/charts reference names, at version = appVersion = v0.10.0', () => {
    expect(findChart('oci://ghcr.io/llm-d/charts/llm-d-router-standalone')).toBe(llmdRouterStandalone);
    expect([llmdRouterStandalone.version, llmdRouterStandalone.appVersion]).toEqual(['v0.10.0', 'v0.10.0']);
  });

  it('names every EPP object <release>-epp (lowercased, trimmed, truncated to 40), the pool <release>, the Envoy ConfigMap envoy', () => {
    const objs = render();
    expect(objs.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'ConfigMap/envoy', 'ConfigMap/optimized-baseline-epp', 'Deployment/optimized-baseline-epp', 'InferencePool/optimized-baseline',
      'Service/optimized-baseline-epp', 'ServiceAccount/optimized-baseline-epp',
    ]);
    const long = render(VALUES, { name: `  ${'A'.repeat(45)}`, namespace: 'n' });
    expect(one(long, 'Deployment').metadata.name).toBe(`${'a'.repeat(40)}-epp`);
  });

  it('labels: chart labels on Deployment/Service, the gateway selector (a pool is created) and the mode label on the pod', () => {
    const objs = render();
    const labels = { 'app.kubernetes.io/name': 'optimized-baseline-epp', 'app.kubernetes.io/version': 'v0.10.0' };
    // _helpers.tpl modeLabels keys on inferencePool.create: with a pool it is the gateway mode, also in this chart.
    expect(one(objs, 'Deployment').metadata.labels).toEqual({ ...labels, 'llm-d.ai/igw-mode': 'llm-d-router-gateway' });
    expect(one(objs, 'Service').metadata.labels).toEqual(labels);
    expect(pod(objs).metadata.labels).toEqual({ 'llm-d-router-gateway': 'optimized-baseline-epp', 'llm-d.ai/igw-mode': 'llm-d-router-gateway' });
    expect(one(objs, 'Deployment').spec).toMatchObject({ replicas: 1, strategy: { type: 'Recreate' }, selector: { matchLabels: { 'llm-d-router-gateway': 'optimized-baseline-epp' } } });
    expect(one(objs, 'Service').spec).toMatchObject({ selector: { 'llm-d-router-gateway': 'optimized-baseline-epp' } });
  });

  it('the pod is envoy-proxy then epp (2/2), grace 130 s, with the published EPP image and its args', () => {
    const t = pod(render());
    expect(t.spec.terminationGracePeriodSeconds).toBe(130);
    expect(t.spec.serviceAccountName).toBe('optimized-baseline-epp');
    const [envoy, epp] = t.spec.containers;
    expect(t.spec.containers.map((c) => c.name)).toEqual(['envoy-proxy', 'epp']);
    expect(envoy).toMatchObject({
      image: 'docker.io/envoyproxy/envoy:distroless-v1.33.2', imagePullPolicy: 'IfNotPresent', command: ['envoy'],
      args: ['--service-node', 'envoy-proxy', '--log-level', 'warn', '--cpuset-threads', '--drain-strategy', 'immediate', '--drain-time-s', '60', '-c', '/etc/envoy/envoy.yaml'],
      ports: [{ containerPort: 8081, name: 'http-8081' }, { containerPort: 19001, name: 'metrics-19001' }],
      readinessProbe: { httpGet: { path: '/ready', port: 19001 } },
      // router.proxy.resources replaces nothing it does not name: the chart's limits stay.
      resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '16Gi' } },
    });
    expect(epp).toMatchObject({
      image: 'ghcr.io/llm-d/llm-d-router-endpoint-picker:v0.10.0', imagePullPolicy: 'IfNotPresent',
      ports: [{ name: 'grpc', containerPort: 9002 }, { name: 'grpc-health', containerPort: 9003 }, { name: 'metrics', containerPort: 9090 }],
      livenessProbe: { grpc: { port: 9003, service: 'inference-extension' }, initialDelaySeconds: 5, periodSeconds: 10 },
      readinessProbe: { grpc: { port: 9003, service: 'inference-extension' }, periodSeconds: 2 },
      resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { memory: '1Gi' } },
    });
    expect(epp?.env.map((e) => e.name)).toEqual(['NAMESPACE', 'POD_NAME']);
    expect(epp?.args).toEqual([
      '--pool-name', 'optimized-baseline', '--pool-namespace', 'llm-d-optimized-baseline', '--pool-group', 'inference.networking.k8s.io',
      '--zap-encoder', 'json', '--config-file', '/config/default-plugins.yaml', '--grpc-health-port', '9003', '--v=3', '--tracing=false',
    ]);
    expect(t.spec.volumes).toEqual([
      { name: 'config', configMap: { name: 'envoy', items: [{ key: 'envoy.yaml', path: 'envoy.yaml' }] } },
      { name: 'plugins-config-volume', configMap: { name: 'optimized-baseline-epp' } },
    ]);
  });

  it('flags render --key=value sorted; auth off adds --metrics-endpoint-auth=false; more replicas elect a leader', () => {
    const args = (router: Record<string, unknown>) => pod(render({ router: { ...VALUES.router, ...router } })).spec.containers[1]?.args ?? [];
    const a = args({ epp: { ...VALUES.router.epp, flags: { v: 2, 'secure-serving': false, 'allow-experimental-plugins': true }, pluginsConfigFile: 'optimized-baseline-plugins.yaml' }, monitoring: { prometheus: { auth: { enabled: false } } } });
    expect(a.slice(6)).toEqual(['--zap-encoder', 'json', '--config-file', '/config/optimized-baseline-plugins.yaml', '--grpc-health-port', '9003',
      '--allow-experimental-plugins=true', '--secure-serving=false', '--v=2', '--tracing=false', '--metrics-endpoint-auth=false']);
    const ha = pod(render({ router: { ...VALUES.router, epp: { ...VALUES.router.epp, replicas: 2 } } })).spec.containers[1];
    expect(ha?.args).toContain('--ha-enable-leader-election');
    expect(ha?.readinessProbe).toMatchObject({ grpc: { service: 'readiness' } });
  });

  it('the Service: grpc-ext-proc 9002 (h2c), http-metrics 9090, then extraServicePorts (chart default http 8081)', () => {
    expect(one(render(), 'Service').spec).toMatchObject({ type: 'ClusterIP', ports: [
      { name: 'grpc-ext-proc', protocol: 'TCP', port: 9002, appProtocol: 'kubernetes.io/h2c' }, { name: 'http-metrics', protocol: 'TCP', port: 9090 },
      { name: 'http', port: 80, protocol: 'TCP', targetPort: 8081 },
    ] });
    const { extraServicePorts: _drop, ...rest } = VALUES.router;
    expect((one(render({ router: rest }), 'Service').spec as unknown as { ports: unknown[] }).ports[2]).toEqual({ name: 'http', port: 8081, protocol: 'TCP', targetPort: 8081 });
  });

  it('the InferencePool: v1, targetPorts, appProtocol http, quoted matchLabels, endpointPickerRef with FailOpen', () => {
    const p = one(render({ router: { ...VALUES.router, modelServers: { matchLabels: { 'llm-d.ai/guide': 'optimized-baseline', 'llm-d.ai/replica': 2 } } } }), 'InferencePool');
    expect(p.apiVersion).toBe('inference.networking.k8s.io/v1');
    expect(p.metadata).toMatchObject({ name: 'optimized-baseline', namespace: 'llm-d-optimized-baseline', labels: { 'app.kubernetes.io/name': 'optimized-baseline-epp' } });
    expect(p.spec).toEqual({
      targetPorts: [{ number: 8000 }], appProtocol: 'http',
      selector: { matchLabels: { 'llm-d.ai/guide': 'optimized-baseline', 'llm-d.ai/replica': '2' } },
      endpointPickerRef: { name: 'optimized-baseline-epp', port: { number: 9002 }, failureMode: 'FailOpen' },
    });
    expect(one(render({ router: { ...VALUES.router, modelServers: { ...VALUES.router.modelServers, protocol: 'grpc' } } }), 'InferencePool').spec).toMatchObject({ appProtocol: 'kubernetes.io/h2c' });
  });

  it('without a pool the EPP selects endpoints itself and the pod is labelled standalone', () => {
    const objs = render({ router: { ...VALUES.router, inferencePool: { create: false } } });
    expect(objs.some((o) => o.kind === 'InferencePool')).toBe(false);
    expect(pod(objs).metadata.labels).toEqual({ 'llm-d-router-standalone': 'optimized-baseline-epp', 'llm-d.ai/igw-mode': 'llm-d-router-standalone' });
    expect(pod(objs).spec.containers[1]?.args.slice(0, 4)).toEqual(['--endpoint-selector', 'llm-d.ai/guide=optimized-baseline', '--endpoint-target-ports', '8000']);
  });

  it('monitoring: a ServiceMonitor on http-metrics, and the metrics-reader Secret only with auth', () => {
    const withAuth = render({ router: { ...VALUES.router, monitoring: { prometheus: { enabled: true } } } });
    expect(one(withAuth, 'ServiceMonitor', 'optimized-baseline-epp-monitor').spec).toMatchObject({
      endpoints: [{ port: 'http-metrics', path: '/metrics', interval: '10s', authorization: { credentials: { key: 'token', name: 'inference-gateway-sa-metrics-reader-secret' } } }],
      selector: { matchLabels: { 'app.kubernetes.io/name': 'optimized-baseline-epp' } },
    });
    expect(one(withAuth, 'Secret', 'inference-gateway-sa-metrics-reader-secret').metadata.annotations).toEqual({ 'kubernetes.io/service-account.name': 'optimized-baseline-epp' });
    const noAuth = render({ router: { ...VALUES.router, monitoring: { prometheus: { enabled: true, auth: { enabled: false } } } } });
    expect(noAuth.some((o) => o.kind === 'Secret')).toBe(false);
    expect(one(noAuth, 'ServiceMonitor').spec).not.toHaveProperty('endpoints.0.authorization');
  });

  it('the plugins ConfigMap carries the chart files and pluginsCustomConfig', () => {
    const cm = one(render({ router: { ...VALUES.router, epp: { ...VALUES.router.epp, pluginsCustomConfig: { 'mine.yaml': 'kind: EndpointPickerConfig\n' } } } }), 'ConfigMap', 'optimized-baseline-epp');
    expect(Object.keys(cm.data ?? {})).toEqual(['default-plugins.yaml', 'payload-agnostic.yaml', 'mine.yaml']);
    expect(cm.data?.['default-plugins.yaml']).toMatch(/^apiVersion: llm-d\.ai\/v1alpha1\nkind: EndpointPickerConfig\n/);
  });
});

describe('llm-d-router-standalone v0.10.0 validation failures (routerlib _helpers.tpl l.434-518)', () => {
  const at1 = 'execution error at (llm-d-router-standalone/templates/epp.yaml:1:3): ';
  it.each([
    ['inferenceExtension', "Top-level 'inferenceExtension' is deprecated. Please migrate your values to 'router.epp' and other 'router.*' fields."],
    ['inferencePool', "Top-level 'inferencePool' is deprecated. Please migrate your values to 'router.modelServers' and 'router.inferencePool'."],
    ['experimentalHttpRoute', "Top-level 'experimentalHttpRoute' is deprecated and not supported in this chart."],
    ['inferenceObjectives', "Top-level 'inferenceObjectives' is deprecated. Please migrate your values to 'router.inferenceObjectives'."],
  ])('the legacy top-level %s stops the render', (key, message) => {
    const legacy = key === 'inferenceObjectives' ? [{ name: 'x', priority: 1 }] : { enabled: true };
    expect(failure({ ...VALUES, [key]: legacy })).toBe(at1 + message);
  });

  it('an empty legacy map is false in Go templates and passes', () => {
    expect(() => render({ ...VALUES, inferencePool: {} })).not.toThrow();
  });

  it('the EPP must keep resource requests', () => {
    const epp = (resources: unknown) => ({ router: { ...VALUES.router, epp: { resources } } });
    expect(failure(epp(null))).toBe(`${at1}.Values.router.epp.resources is required. EPP is a critical component that must have resource requests set.`);
    expect(failure(epp({ requests: null }))).toBe(`${at1}.Values.router.epp.resources.requests is required. EPP is a critical component that must have resource requests set.`);
    expect(failure(epp({ requests: { cpu: null } }))).toBe(`${at1}.Values.router.epp.resources.requests.cpu is required. EPP is a critical component that must have CPU requests set.`);
    expect(failure(epp({ requests: { memory: '' } }))).toBe(`${at1}.Values.router.epp.resources.requests.memory is required. EPP is a critical component that must have memory requests set.`);
  });

  it('a pool needs matchLabels; without router.modelServers at all the config template hits a nil map', () => {
    expect(failure({ router: { ...VALUES.router, modelServers: { targetPorts: [{ number: 8000 }] } } }))
      .toBe('execution error at (llm-d-router-standalone/templates/epp.yaml:13:3): .Values.router.modelServers.matchLabels is required');
    const { modelServers: _m, ...noServers } = VALUES.router;
    expect(failure({ router: noServers })).toMatch(/^template: llm-d-router-standalone\/templates\/epp\.yaml:3:3: .*nil pointer evaluating interface \{\}\.protocol$/);
  });

  it('standalone validations: proxy mode and failOpen', () => {
    expect(failure({ router: { ...VALUES.router, proxy: { mode: 'mesh' } } })).toBe('execution error at (llm-d-router-standalone/templates/epp.yaml:2:3): .Values.router.proxy.mode must be one of [sidecar, service], got "mesh"');
    expect(failure({ router: { ...VALUES.router, proxy: { failOpen: 'yes' } } })).toBe('execution error at (llm-d-router-standalone/templates/epp.yaml:2:3): .Values.router.proxy.failOpen must be a boolean, got "yes"');
  });
});
