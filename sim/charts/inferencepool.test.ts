// The inferencepool chart v1.2.0-rc.1 render reads what the real templates read (config/charts/inferencepool/
// templates/ at tag v1.2.0-rc.1) — in particular targetPortNumber only for v1alpha2 pools.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../apiserver/types.js';
import { inferencepool } from './inferencepool.js';

const REL = { name: 'gaie-cpu-inference', namespace: 'llm-d-cpu-inference' };
const MATCH = { modelServers: { matchLabels: { 'llm-d.ai/inferenceServing': 'true' } } };
const pool = (values: Record<string, unknown>) => inferencepool.render(REL, values).find((o) => o.kind === 'InferencePool') as KubeObject & { spec: Record<string, unknown> };
const epp = (values: Record<string, unknown>) => {
  const d = inferencepool.render(REL, values).find((o) => o.kind === 'Deployment') as unknown as { spec: { template: { spec: { containers: Array<{ args: string[]; imagePullPolicy: string; ports: Array<{ containerPort: number }> }> } } } };
  return d.spec.template.spec.containers[0];
};

describe('inferencepool v1.2.0-rc.1', () => {
  it('a v1 pool takes its port from targetPorts and ignores targetPortNumber (the guide sets 8000 there)', () => {
    const p = pool({ inferencePool: { apiVersion: 'inference.networking.k8s.io/v1', targetPortNumber: 8200, ...MATCH } });
    expect(p.apiVersion).toBe('inference.networking.k8s.io/v1');
    expect(p.spec.targetPorts).toEqual([{ number: 8000 }]);
    expect(p.spec).not.toHaveProperty('targetPortNumber');
    expect(pool({ inferencePool: { targetPorts: [{ number: 8200, name: 'ignored' }], ...MATCH } }).spec.targetPorts).toEqual([{ number: 8200 }]);
  });

  it('only the exact apiVersion inference.networking.x-k8s.io/v1alpha2 renders the legacy pool, which reads targetPortNumber', () => {
    const legacy = pool({ inferencePool: { apiVersion: 'inference.networking.x-k8s.io/v1alpha2', targetPortNumber: 8200, targetPorts: [{ number: 9 }], ...MATCH } });
    expect(legacy.apiVersion).toBe('inference.networking.x-k8s.io/v1alpha2');
    expect(legacy.spec).toMatchObject({ targetPortNumber: 8200, selector: { 'llm-d.ai/inferenceServing': 'true' }, extensionRef: { name: 'gaie-cpu-inference-epp', portNumber: 9002, failureMode: 'FailClose' } });
    // Any other value falls to the v1 branch, whose apiVersion is fixed.
    expect(pool({ inferencePool: { apiVersion: 'inference.networking.x-k8s.io/v1', ...MATCH } }).apiVersion).toBe('inference.networking.k8s.io/v1');
  });

  it('EPP args: sorted flags, --pool-group from the apiVersion, --metrics-endpoint-auth=false without the ServiceMonitor', () => {
    const c = epp({ inferencePool: MATCH, inferenceExtension: { flags: { 'kv-cache-usage-percentage-metric': 'vllm:kv_cache_usage_perc' } } });
    expect(c?.args).toEqual(['--pool-name', 'gaie-cpu-inference', '--pool-namespace', 'llm-d-cpu-inference', '--pool-group', 'inference.networking.k8s.io',
      '--zap-encoder', 'json', '--config-file', '/config/default-plugins.yaml', '--kv-cache-usage-percentage-metric', 'vllm:kv_cache_usage_perc', '--v', '1',
      '--tracing=false', '--metrics-endpoint-auth=false']);
    expect(c?.imagePullPolicy).toBe('Always');
    expect(epp({ inferencePool: MATCH, inferenceExtension: { monitoring: { prometheus: { enabled: true } } } })?.args).not.toContain('--metrics-endpoint-auth=false');
  });

  it('extProcPort moves the Service port and the pool ref, not the container port', () => {
    const objs = inferencepool.render(REL, { inferencePool: MATCH, inferenceExtension: { extProcPort: 9100 } });
    expect(epp({ inferencePool: MATCH, inferenceExtension: { extProcPort: 9100 } })?.ports[0]?.containerPort).toBe(9002);
    expect((objs.find((o) => o.kind === 'Service')?.spec as { ports: Array<{ port: number }> }).ports[0]?.port).toBe(9100);
    expect((pool({ inferencePool: MATCH, inferenceExtension: { extProcPort: 9100 } }).spec.endpointPickerRef as { port: { number: number } }).port.number).toBe(9100);
  });

  it('Istio DestinationRule: host from provider.istio, TLS fixed, only connectionPool taken from trafficPolicy', () => {
    const dr = inferencepool.render(REL, { inferencePool: MATCH, provider: { name: 'istio', istio: { destinationRule: { host: 'h.example', trafficPolicy: { connectionPool: { http: { maxRequestsPerConnection: 1 } }, loadBalancer: { simple: 'RANDOM' } } } } } })
      .find((o) => o.kind === 'DestinationRule');
    expect(dr?.apiVersion).toBe('networking.istio.io/v1beta1');
    expect(dr?.spec).toEqual({ host: 'h.example', trafficPolicy: { tls: { mode: 'SIMPLE', insecureSkipVerify: true }, connectionPool: { http: { maxRequestsPerConnection: 1 } } } });
  });

  it('ServiceMonitor selects the chart labels and comes with the metrics-reader token Secret', () => {
    const objs = inferencepool.render(REL, { inferencePool: MATCH, inferenceExtension: { monitoring: { prometheus: { enabled: true } } } });
    const sm = objs.find((o) => o.kind === 'ServiceMonitor');
    expect(sm?.spec).toMatchObject({ selector: { matchLabels: { 'app.kubernetes.io/name': 'gaie-cpu-inference-epp', 'app.kubernetes.io/version': 'v1.2.0-rc.1' } },
      endpoints: [{ port: 'http-metrics', authorization: { credentials: { key: 'token', name: 'inference-gateway-sa-metrics-reader-secret' } } }] });
    expect(objs.find((o) => o.kind === 'Service')?.metadata.labels).toEqual({ 'app.kubernetes.io/name': 'gaie-cpu-inference-epp', 'app.kubernetes.io/version': 'v1.2.0-rc.1' });
    expect(objs.find((o) => o.kind === 'Secret')).toMatchObject({ type: 'kubernetes.io/service-account-token', metadata: { annotations: { 'kubernetes.io/service-account.name': 'gaie-cpu-inference-epp' } } });
  });
});
