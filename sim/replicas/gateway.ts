// The inference gateway (Istio's Envoy for `<gateway>-istio` on port 80) plus its endpoint picker (the
// EPP pod): picks a Ready decode pod for each request (sim/replicas/picker.ts), forwards it to that pod's
// routing proxy, streams the answer back, and logs the decision in the EPP container's log the way the
// EPP does at verbosity >= 3 (llm-d-facts.md §7). What Envoy answers when it cannot route is kept:
// 404 without a route, 500 when the route's backend is unresolved, 503 "no healthy upstream".
//
// The request id: Istio's gateway Envoy runs its HTTP connection manager with `use_remote_address: true`
// and (as far as we could tell) no `internal_address_config`, so a request arriving through `kubectl
// port-forward` counts as external; with `preserve_external_request_id: false` (Envoy's default) Envoy
// then replaces the client's `x-request-id` with a fresh UUID before any filter runs — so the EPP's
// ext_proc, its "Request handled" line and the upstream all see the new id, never the client's (Envoy's
// header-sanitizing docs; istio/istio#10875). Newer Envoys treat no address as internal unless configured;
// whether a loopback peer inside the pod ever counts as internal was not verified, which is why `keep`
// exists for a gateway configured to preserve or trust the id.
import { randomUUID } from 'node:crypto';
import { request, type IncomingMessage, type ServerResponse } from 'node:http';
import { type Candidate, pick, prefixKey } from './picker.js';

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
    const route = this.deps.route();
    if (route === 'none') { res.writeHead(404, { server: 'istio-envoy' }).end(); return; }
    if (route === 'unresolved') { res.writeHead(500, { server: 'istio-envoy' }).end(); return; }

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
    if (!chosen) { res.writeHead(503, { 'content-type': 'text/plain', server: 'istio-envoy' }).end('no healthy upstream'); return; }
    if (key) this.prefixIndex.set(key, { pod: chosen.name, at: Date.now() });

    // Envoy decides the id before the EPP sees the request; with `keep` it still generates one when the
    // client sent none.
    const clientId = req.headers['x-request-id'];
    const keep = (this.deps.requestId?.() ?? 'rewrite') === 'keep';
    const requestId = keep && typeof clientId === 'string' && clientId ? clientId : randomUUID();
    if (this.deps.eppVerbosity() >= 3) {
      this.deps.eppLog(JSON.stringify({
        level: 'Level(-3)', ts: new Date().toISOString(), caller: 'requestcontrol/director.go:266', msg: 'Request handled',
        'x-request-id': requestId, objectiveKey: model, incomingModelName: model, targetModel: model, endpoint: `${chosen.ip}:${chosen.targetPort}`,
      }));
    }
    this.inflight.set(chosen.name, (this.inflight.get(chosen.name) ?? 0) + 1);
    const release = () => this.inflight.set(chosen.name, Math.max(0, (this.inflight.get(chosen.name) ?? 1) - 1));
    const started = Date.now();
    await new Promise<void>((resolve) => {
      const upstream = request({
        host: '127.0.0.1', port: chosen.localPort, method: req.method, path: req.url,
        headers: { ...req.headers, host: `${chosen.ip}:${chosen.targetPort}`, 'x-request-id': requestId, 'x-gateway-destination-endpoint': `${chosen.ip}:${chosen.targetPort}`, 'content-length': String(body.length) },
      }, (up) => {
        const headers = { ...up.headers, server: 'istio-envoy', 'x-envoy-upstream-service-time': String(Date.now() - started) };
        res.writeHead(up.statusCode ?? 502, headers);
        up.pipe(res);
        up.on('end', () => { release(); resolve(); });
        up.on('error', () => { release(); res.destroy(); resolve(); });
      });
      upstream.on('error', () => {
        release();
        if (!res.headersSent) res.writeHead(503, { 'content-type': 'text/plain', server: 'istio-envoy' }).end('upstream connect error or disconnect/reset before headers. reset reason: connection failure');
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
