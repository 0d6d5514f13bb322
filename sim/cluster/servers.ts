// What listens inside a running container: for each container that serves something the kubelet starts
// an HTTP server on 127.0.0.1:0 and records containerPort → local port in the pod's SIM_PORTS_ANNOTATION,
// so the API server's port-forward reaches it. Decode pods get a vLLM replica (behind the routing proxy
// when they have one), the gateway pod the inference gateway, the standalone EPP pod's Envoy sidecar the
// same gateway for its sibling EPP's pool, the EPP its metrics, Prometheus and Grafana small stubs.
import { createServer, request, type RequestListener, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { KubeObject } from '../apiserver/types.js';
import { Gateway, type GatewayDeps } from '../replicas/gateway.js';
import { gauge } from '../replicas/metrics.js';
import { Replica, type ReplicaOptions } from '../replicas/replica.js';

export interface Container {
  name: string;
  image: string;
  args?: string[];
  command?: string[];
  ports?: Array<{ containerPort: number; name?: string }>;
  restartPolicy?: string;
  startupProbe?: { initialDelaySeconds?: number; periodSeconds?: number; failureThreshold?: number };
  env?: Array<{ name: string; value?: string; valueFrom?: { secretKeyRef?: KeyRef; configMapKeyRef?: KeyRef } }>;
  resources?: { limits?: Record<string, string | number>; requests?: Record<string, string | number> };
}

export interface KeyRef { name: string; key: string; optional?: boolean }

export interface Running {
  ports: Record<string, number>;
  replica?: Replica;
  gateway?: Gateway;
  close: () => Promise<void>;
}

export async function listen(handler: RequestListener, sockets?: Set<Socket>): Promise<{ server: Server; port: number }> {
  const server = createServer(handler);
  server.on('connection', (s) => { sockets?.add(s); s.on('close', () => sockets?.delete(s)); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as AddressInfo).port };
}

const closeAll = (servers: Server[]) => async () => {
  await Promise.all(servers.map((s) => new Promise<void>((r) => { s.closeAllConnections(); s.close(() => r()); })));
};

/** Reads `--flag value` or `--flag=value` from a container's command line. */
export function argValue(c: Pick<Container, 'command' | 'args'>, flag: string): string | undefined {
  const args = [...(c.command ?? []), ...(c.args ?? [])];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === flag) return args[i + 1];
    if (a.startsWith(`${flag}=`)) return a.slice(flag.length + 1);
  }
  return undefined;
}

export const isVllm = (c: Container): boolean => c.name === 'vllm' || /vllm|llm-d-cpu|inference-sim/.test(c.image);

/**
 * The llm-d-router-standalone chart's Envoy sidecar (container `envoy-proxy`, docker.io/envoyproxy/envoy):
 * the pod's own gateway, its ext_proc the EPP beside it on 127.0.0.1:9002 (chart values.yaml presets.envoy).
 */
export const isStandaloneProxy = (c: Container): boolean => c.name === 'envoy-proxy' || /^(docker\.io\/)?envoyproxy\/envoy[:@]/.test(c.image);

export interface ServerContext {
  pod: KubeObject;
  replicaOptions: (c: Container) => ReplicaOptions;
  gatewayDeps: () => GatewayDeps;
  /** Local port of another container's port in the same pod (the routing proxy finds vLLM). */
  siblingPort: (containerPort: number) => number | undefined;
  eppMetrics: () => string;
}

const text = (body: string, type = 'text/plain; charset=utf-8'): RequestListener => (_req, res) => { res.writeHead(200, { 'content-type': type }).end(body); };

export async function startContainerServers(c: Container, ctx: ServerContext): Promise<Running | undefined> {
  if (isStandaloneProxy(c)) {
    // envoy.yaml: the `vllm` listener on 8081 (the container port http-8081) and the readiness listener on
    // 19001 (`/ready` by the health_check filter, `/stats/prometheus` from the admin).
    const gateway = new Gateway(ctx.gatewayDeps());
    const main = await listen(gateway.handle, gateway.sockets);
    const ready = await listen((req, res) => {
      if (req.url === '/ready') { res.writeHead(200, { server: 'envoy' }).end(); return; }
      if (req.url?.startsWith('/stats/prometheus')) { res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(''); return; }
      res.writeHead(404, { server: 'envoy' }).end();
    });
    const listener = c.ports?.find((p) => p.name === 'http-8081')?.containerPort ?? 8081;
    return { ports: { [listener]: main.port, 19001: ready.port }, gateway, close: closeAll([main.server, ready.server]) };
  }
  if (isVllm(c)) {
    // The image decides whether the replica names its pod in response headers (only llm-d-inference-sim does).
    const replica = new Replica({ ...ctx.replicaOptions(c), image: c.image });
    const { server, port } = await listen(replica.handle);
    return { ports: { [argValue(c, '--port') ?? '8000']: port }, replica, close: closeAll([server]) };
  }
  if (c.name === 'routing-proxy') {
    const vllmPort = Number(argValue(c, '--vllm-port') ?? 8200);
    const own = Number(argValue(c, '--port') ?? c.ports?.[0]?.containerPort ?? 8000);
    // The sidecar answers /health itself and proxies everything else to vLLM (llm-d-facts.md §1).
    const { server, port } = await listen((req, res) => {
      if (req.url === '/health') { res.writeHead(200).end(); return; }
      const target = ctx.siblingPort(vllmPort);
      if (!target) { res.writeHead(502, { 'content-type': 'text/plain' }).end(`dial tcp 127.0.0.1:${vllmPort}: connect: connection refused`); return; }
      const up = request({ host: '127.0.0.1', port: target, method: req.method, path: req.url, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      up.on('error', () => { if (!res.headersSent) res.writeHead(502).end(); else res.destroy(); });
      res.on('close', () => up.destroy());
      req.pipe(up);
    });
    return { ports: { [own]: port }, close: closeAll([server]) };
  }
  if (c.name === 'istio-proxy') {
    const gateway = new Gateway(ctx.gatewayDeps());
    const main = await listen(gateway.handle, gateway.sockets);
    const health = await listen(text(''));
    return { ports: { 80: main.port, 15021: health.port }, gateway, close: closeAll([main.server, health.server]) };
  }
  if (c.name === 'epp') {
    const metrics = await listen((_req, res) => { res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(ctx.eppMetrics()); });
    return { ports: { 9090: metrics.port }, close: closeAll([metrics.server]) };
  }
  if (c.name === 'prometheus') {
    const { server, port } = await listen((req, res) => {
      if (req.url?.startsWith('/-/')) { res.writeHead(200).end('Prometheus Server is Ready.\n'); return; }
      if (req.url?.startsWith('/api/v1/')) { res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [] } })); return; }
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Prometheus Time Series Collection and Processing Server</title><p>Simulated Prometheus (llm-d Installer rehearsal).</p>');
    });
    return { ports: { 9090: port }, close: closeAll([server]) };
  }
  if (c.name === 'grafana') {
    const { server, port } = await listen((req, res) => {
      if (req.url === '/api/health') { res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ database: 'ok', version: '12.3.0' })); return; }
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Grafana</title><p>Simulated Grafana (llm-d Installer rehearsal). Dashboards: llm-d vLLM Overview, llm-d Performance Dashboard.</p>');
    });
    return { ports: { 3000: port }, close: closeAll([server]) };
  }
  if (c.name === 'discovery') {
    const { server, port } = await listen(text('ok'));
    return { ports: { 8080: port }, close: closeAll([server]) };
  }
  return undefined;
}

/**
 * The EPP's pool gauges. GAIE-era EPPs: `inference_pool_*`. llm-d-router v0.10.0 (pkg/epp/metrics/
 * llm_d_router_metrics.go, subsystem `llm_d_epp`, help "[ALPHA] …" from HelpMsgWithStability): the
 * `llm_d_epp_*` gauges, plus the legacy ones with "[Deprecated: Use llm_d_epp_…]" help, which
 * metrics.go RecordInferencePool* still sets alongside (both labelled `name` = the pool).
 */
export function eppMetricsText(pool: string, readyPods: number, avgQueue: number, avgKv: number, generation: 'gaie' | 'llm-d-router' = 'gaie'): string {
  const l = { name: pool };
  if (generation === 'gaie') {
    return [
      gauge('inference_pool_ready_pods', 'The number of ready pods in the inference server pool.', 'gauge', [[l, readyPods]]),
      gauge('inference_pool_average_queue_size', 'The average number of requests pending in the model server queue.', 'gauge', [[l, avgQueue]]),
      gauge('inference_pool_average_kv_cache_utilization', 'The average kv cache utilization for an inference server pool.', 'gauge', [[l, avgKv]]),
    ].join('\n') + '\n';
  }
  return [
    gauge('inference_pool_average_kv_cache_utilization', '[ALPHA] [Deprecated: Use llm_d_epp_average_kv_cache_utilization] The average kv cache utilization for an inference server pool.', 'gauge', [[l, avgKv]]),
    gauge('inference_pool_average_queue_size', '[ALPHA] [Deprecated: Use llm_d_epp_average_queue_size] The average number of requests pending in the model server queue.', 'gauge', [[l, avgQueue]]),
    gauge('inference_pool_ready_pods', '[ALPHA] [Deprecated: Use llm_d_epp_ready_endpoints] The number of ready pods in the inference server pool.', 'gauge', [[l, readyPods]]),
    gauge('llm_d_epp_average_kv_cache_utilization', '[ALPHA] The average kv cache utilization for an inference server pool.', 'gauge', [[l, avgKv]]),
    gauge('llm_d_epp_average_queue_size', '[ALPHA] The average number of requests pending in the model server queue.', 'gauge', [[l, avgQueue]]),
    gauge('llm_d_epp_ready_endpoints', '[ALPHA] The number of ready endpoints in the inference server pool.', 'gauge', [[l, readyPods]]),
  ].join('\n') + '\n';
}
