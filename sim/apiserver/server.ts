// The simulated Kubernetes API server: plain HTTP on 127.0.0.1, real API paths and JSON, served from an
// in-process InMemoryStore shared with the rest of the simulated cluster.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { InMemoryStore } from './store.js';
import { coreVersions, group, groupList, resourceList } from './discovery.js';
import { sendError, sendJson, statusObject } from './http.js';
import { openApiDocument, openApiIndex, parseOpenApiPath } from './openapi.js';
import { parseResourcePath } from './routes.js';
import { handleResource } from './resource-handler.js';
import { handleLogs } from './logs.js';
import { attachPortForward } from './portforward.js';

/** The Kubernetes version the sim reports (kubectl 1.32 warns about skew above 1.33). */
export const SIM_KUBERNETES_VERSION = 'v1.33.1';

export interface ApiServerOptions {
  store: InMemoryStore;
  /** Root of the simulated machine's state; pod logs are read from podLogFile(stateDir, profile, ...). */
  stateDir: string;
  /** The minikube profile (cluster) this server belongs to. */
  profile: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Interval of BOOKMARK events on watches that allow them. Default 5000 ms. */
  bookmarkIntervalMs?: number;
  /** How often a followed log file is checked for new lines. Default 100 ms. */
  logPollMs?: number;
  now?: () => Date;
}

export interface ApiServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

function versionInfo(): Record<string, unknown> {
  const [major = '1', minor = '33'] = SIM_KUBERNETES_VERSION.slice(1).split('.');
  return {
    major, minor, gitVersion: SIM_KUBERNETES_VERSION, gitCommit: '0000000000000000000000000000000000000000', gitTreeState: 'clean',
    buildDate: '2025-05-15T00:00:00Z', goVersion: 'go1.24.2', compiler: 'gc', platform: 'linux/amd64',
  };
}

export async function startApiServer(opts: ApiServerOptions): Promise<ApiServer> {
  const { store } = opts;
  const now = opts.now ?? (() => new Date());
  const ctx = { store, bookmarkIntervalMs: opts.bookmarkIntervalMs ?? 5000, now };
  const logCtx = { store, stateDir: opts.stateDir, profile: opts.profile, pollMs: opts.logPollMs ?? 100, now };
  let address = '';

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://sim');
    const p = url.pathname.replace(/\/+$/, '') || '/';
    const get = req.method === 'GET';
    if (get && p === '/version') return sendJson(res, 200, versionInfo());
    if (get && (p === '/healthz' || p === '/readyz' || p === '/livez')) {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('ok');
      return;
    }
    if (get && p === '/api') return sendJson(res, 200, coreVersions(address));
    if (get && p === '/apis') return sendJson(res, 200, groupList(store.registry));
    if (get && p === '/openapi/v3') return sendJson(res, 200, openApiIndex(store.registry, SIM_KUBERNETES_VERSION));
    const oa = get ? parseOpenApiPath(p) : undefined;
    if (oa) {
      const doc = openApiDocument(store.registry, oa[0], oa[1], SIM_KUBERNETES_VERSION);
      return doc ? sendJson(res, 200, doc) : sendJson(res, 404, statusObject(404, 'NotFound', 'the server could not find the requested resource'));
    }
    const gv = /^\/(?:api\/([^/]+)|apis\/([^/]+)\/([^/]+))$/.exec(p);
    if (get && gv) {
      const list = gv[1] ? resourceList(store.registry, '', gv[1]) : resourceList(store.registry, gv[2] ?? '', gv[3] ?? '');
      return list ? sendJson(res, 200, list) : sendJson(res, 404, statusObject(404, 'NotFound', 'the server could not find the requested resource'));
    }
    const g = /^\/apis\/([^/]+)$/.exec(p);
    if (get && g) {
      const doc = group(store.registry, g[1] ?? '');
      return doc ? sendJson(res, 200, doc) : sendJson(res, 404, statusObject(404, 'NotFound', 'the server could not find the requested resource'));
    }
    const rp = parseResourcePath(p);
    if (rp && rp.group === '' && rp.resource === 'pods' && rp.subresource === 'log' && rp.name && get) {
      return handleLogs(req, res, url.searchParams, rp.namespace ?? 'default', rp.name, logCtx);
    }
    if (rp && rp.group === '' && rp.resource === 'pods' && rp.subresource === 'portforward') {
      return sendJson(res, 400, statusObject(400, 'BadRequest', 'Upgrade request required'));
    }
    if (rp) return handleResource(req, res, url.searchParams, rp, ctx);
    sendJson(res, 404, statusObject(404, 'NotFound', 'the server could not find the requested resource'));
  };

  const server = createServer((req, res) => {
    route(req, res).catch((err: unknown) => sendError(res, err));
  });
  server.on('clientError', (_err, socket) => socket.destroy());
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const closePortForward = attachPortForward(server, store);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = opts.host ?? '127.0.0.1';
  address = `${host}:${port}`;
  return {
    url: `http://${address}`,
    port,
    close: async () => {
      closePortForward();
      // Watches and followed logs never end on their own; drop open connections so close() returns.
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
