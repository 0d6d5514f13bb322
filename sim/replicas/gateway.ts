// The inference gateway — Istio's Envoy for `<gateway>-istio` on port 80, or the llm-d-router-standalone
// chart's Envoy sidecar on 8081 — plus its endpoint picker (the EPP container): picks a Ready model-server
// pod for each request (sim/replicas/picker.ts), forwards it to that pod's target port, streams the answer
// back, and logs the decision in the EPP container's log the way the EPP does at verbosity >= 3, in the
// shape of the EPP's generation (sim/cluster/epp.ts). What Envoy answers when it cannot route is kept:
// 404 without a route, 500 when the route's backend is unresolved; with no Ready endpoint in the pool the
// EPP answers itself, as its generation words it (shared/epp-answers.ts): 503 for a request with a body,
// 500 for one without (GET /v1/models).
//
// The standalone sidecar's Envoy (chart values router.proxy.presets.envoy, envoy.yaml): the router filter
// has `suppress_envoy_headers: true` (no x-envoy-upstream-service-time) and the connection manager
// `server_header_transformation: PASS_THROUGH` (the upstream's `server` header, none added); Envoy's own
// local replies say `server: envoy`.
//
// The request id: Istio's gateway Envoy runs its HTTP connection manager with `use_remote_address: true`
// and (as far as we could tell) no `internal_address_config`, so a request arriving through `kubectl
// port-forward` counts as external; with `preserve_external_request_id: false` (Envoy's default) Envoy
// then replaces the client's `x-request-id` with a fresh UUID before any filter runs — so the EPP's
// ext_proc, its "Request handled" line and the upstream all see the new id, never the client's (Envoy's
// header-sanitizing docs; istio/istio#10875). Newer Envoys treat no address as internal unless configured;
// whether a loopback peer inside the pod ever counts as internal was not verified, which is why `keep`
// exists for a gateway configured to preserve or trust the id. The standalone sidecar's connection manager
// also sets `use_remote_address: true` without internal_address_config; it is treated the same way ⚠
// (Envoy 1.33 may still default to trusting RFC1918 and loopback peers — then the id would be kept).
import { randomUUID } from 'node:crypto';
import { request, type IncomingMessage, type ServerResponse } from 'node:http';
import { noEndpointAnswer } from '../../shared/epp-answers.js';
import { type Candidate, pick, prefixKey } from './picker.js';

/** The EPP generation whose log shape the decision lines take (sim/cluster/epp.ts EppGeneration). */
export type EppLogShape = 'gaie' | 'llm-d-router';

export interface GatewayEndpoint extends Candidate {
  /** Local port of the pod's routing proxy (container port 8000). */
  localPort: number;
  targetPort: number;
}

export interface GatewayDeps {
  /** Ready endpoints of the InferencePool the route points at. */
  endpoints: () => GatewayEndpoint[];
  /** 'ok' | no HTTPRoute attached | the route's backend is not resolved (e.g. the x-k8s group). */
  route: () => 'ok' | 'none' | 'unresolved';
  eppVerbosity: () => number;
  eppLog: (line: string) => void;
  prefixChars: number;
  // Model names in requests are passed through; the EPP logs incoming and target model.
  /** `rewrite` (default, the real Istio behaviour for a port-forwarded request) or `keep` the client's id. */
  requestId?: () => 'rewrite' | 'keep';
  /** The EPP's generation (default `gaie`): decides the shape of its log lines. */
  eppLogShape?: () => EppLogShape;
  /** Which Envoy this is (default `istio`): decides the headers it adds. */
  proxy?: 'istio' | 'standalone-envoy';
}

/** A zap JSON line with the fields in order; zap does not de-duplicate keys given twice (WithValues and Info). */
const zapLine = (fields: Array<[string, unknown]>): string => `{${fields.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`;

/**
 * The EPP's lines for one request at its verbosity. llm-d-router v0.10.0: handlers/server.go:433 logs
 * "EPP received request" at V(2) (DEFAULT) with the request id as a context value; requestcontrol/
 * director.go:493 logs "Request handled" at V(3) (VERBOSE) through a logger carrying x-request-id and
 * director.go:284's WithValues(objectiveKey, incomingModelName, targetModelName, priority), then its own
 * objectiveKey, incomingModelName, targetModel, endpoint. objectiveKey is the x-llm-d-inference-objective
 * (or legacy x-gateway-inference-objective) header, "" without one (handlers/request.go:54); priority the
 * default objective's 0. A request without a body (GET /v1/models) goes to a random endpoint before the
 * director (handlers/request.go:42-47): no "Request handled". The GAIE-era EPP: one "Request handled" line
 * at Level(-3) (llm-d-facts.md §7), for every request.
 */
export function eppDecisionLines(shape: EppLogShape, verbosity: number, r: { requestId: string; model: string; objective: string; endpoint: string; hasBody: boolean }): string[] {
  if (shape === 'gaie') {
    return verbosity >= 3 ? [JSON.stringify({
      level: 'Level(-3)', ts: new Date().toISOString(), caller: 'requestcontrol/director.go:266', msg: 'Request handled',
      'x-request-id': r.requestId, objectiveKey: r.model, incomingModelName: r.model, targetModel: r.model, endpoint: r.endpoint,
    })] : [];
  }
  const ts = Date.now() / 1000;
  const out: string[] = [];
  if (verbosity >= 2) out.push(zapLine([['level', 'info'], ['ts', ts], ['caller', 'handlers/server.go:433'], ['msg', 'EPP received request'], ['x-request-id', r.requestId]]));
  if (verbosity >= 3 && r.hasBody) {
    out.push(zapLine([
      ['level', 'info'], ['ts', ts], ['caller', 'requestcontrol/director.go:493'], ['msg', 'Request handled'], ['x-request-id', r.requestId],
      ['objectiveKey', r.objective], ['incomingModelName', r.model], ['targetModelName', r.model], ['priority', 0],
      ['objectiveKey', r.objective], ['incomingModelName', r.model], ['targetModel', r.model], ['endpoint', r.endpoint],
    ]));
  }
  return out;
}

const PREFIX_TTL_MS = 10 * 60_000;

export class Gateway {
  private readonly inflight = new Map<string, number>();
  private readonly prefixIndex = new Map<string, { pod: string; at: number }>();
  private rotate = 0;
  readonly sockets = new Set<import('node:net').Socket>();

  constructor(private readonly deps: GatewayDeps) {}

  handle = (req: IncomingMessage, res: ServerResponse): void => {
    this.forward(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(503, { 'content-type': 'text/plain' }).end('upstream connect error or disconnect/reset before headers. reset reason: connection failure');
      else res.destroy();
    });
  };

  private async forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const standalone = this.deps.proxy === 'standalone-envoy';
    const server = standalone ? 'envoy' : 'istio-envoy';
    const route = this.deps.route();
    if (route === 'none') { res.writeHead(404, { server }).end(); return; }
    if (route === 'unresolved') { res.writeHead(500, { server }).end(); return; }

    let model = '';
    let prompt = '';
    try {
      const parsed = JSON.parse(body.toString('utf8')) as { model?: unknown; prompt?: unknown; messages?: Array<{ content?: unknown }> };
      model = typeof parsed.model === 'string' ? parsed.model : '';
      prompt = typeof parsed.prompt === 'string' ? parsed.prompt : Array.isArray(parsed.messages) ? parsed.messages.map((m) => (typeof m.content === 'string' ? m.content : '')).join('\n') : '';
    } catch { /* not JSON (GET /v1/models): no model, no prefix */ }

    const endpoints = this.deps.endpoints().map((e) => ({ ...e, queue: e.queue + (this.inflight.get(e.name) ?? 0) }));
    const key = prompt ? prefixKey(prompt, this.deps.prefixChars) : undefined;
    const owner = key ? this.prefixIndex.get(key) : undefined;
    const chosen = pick(endpoints, owner && Date.now() - owner.at < PREFIX_TTL_MS ? owner.pod : undefined, this.rotate++);
    if (!chosen) {
      // The EPP's ImmediateResponse, which Envoy sends as its own local reply.
      const a = noEndpointAnswer(this.deps.eppLogShape?.() ?? 'gaie', body.length > 0);
      res.writeHead(a.status, { 'content-type': 'text/plain', server }).end(a.body);
      return;
    }
    if (key) this.prefixIndex.set(key, { pod: chosen.name, at: Date.now() });

    // Envoy decides the id before the EPP sees the request; with `keep` it still generates one when the
    // client sent none.
    const clientId = req.headers['x-request-id'];
    const keep = (this.deps.requestId?.() ?? 'rewrite') === 'keep';
    const requestId = keep && typeof clientId === 'string' && clientId ? clientId : randomUUID();
    const header = (name: string) => { const v = req.headers[name]; return typeof v === 'string' ? v : undefined; };
    for (const line of eppDecisionLines(this.deps.eppLogShape?.() ?? 'gaie', this.deps.eppVerbosity(), {
      requestId, model, endpoint: `${chosen.ip}:${chosen.targetPort}`, hasBody: body.length > 0,
      objective: header('x-llm-d-inference-objective') ?? header('x-gateway-inference-objective') ?? '',
    })) this.deps.eppLog(line);
    this.inflight.set(chosen.name, (this.inflight.get(chosen.name) ?? 0) + 1);
    const release = () => this.inflight.set(chosen.name, Math.max(0, (this.inflight.get(chosen.name) ?? 1) - 1));
    const started = Date.now();
    await new Promise<void>((resolve) => {
      const upstream = request({
        host: '127.0.0.1', port: chosen.localPort, method: req.method, path: req.url,
        headers: { ...req.headers, host: `${chosen.ip}:${chosen.targetPort}`, 'x-request-id': requestId, 'x-gateway-destination-endpoint': `${chosen.ip}:${chosen.targetPort}`, 'content-length': String(body.length) },
      }, (up) => {
        const headers = standalone ? up.headers : { ...up.headers, server: 'istio-envoy', 'x-envoy-upstream-service-time': String(Date.now() - started) };
        res.writeHead(up.statusCode ?? 502, headers);
        up.pipe(res);
        up.on('end', () => { release(); resolve(); });
        up.on('error', () => { release(); res.destroy(); resolve(); });
      });
      upstream.on('error', () => {
        release();
        if (!res.headersSent) res.writeHead(503, { 'content-type': 'text/plain', server }).end('upstream connect error or disconnect/reset before headers. reset reason: connection failure');
        resolve();
      });
      res.on('close', () => upstream.destroy());
      upstream.end(body);
    });
  }

  /** Drops every open client connection (the port-forward drop fault). */
  dropConnections(): void {
    for (const s of this.sockets) s.destroy();
  }
}
