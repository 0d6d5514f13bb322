// The browser host (docs/architecture.md §2): serves the built renderer and the engine's API over a WebSocket,
// on 127.0.0.1 only, behind a random token and exact Host/Origin checks (security.ts).
import { readFile, stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocket, WebSocketServer } from 'ws';
import type { Engine } from '../engine/api.js';
import { answerFrame } from './answer-frame.js';
import type { ServerEvent, ServerReply } from './messages.js';
import { checkUpgrade, hostAllowed, LOOPBACK, newToken, webCsp } from './security.js';
import { MIME_TYPES, realFileWithin, staticFileFor } from '../engine/renderer-files.js';
import { clientStreams } from './client-streams.js';
import { isDownloadPath, supportDownload } from './downloads.js';
import { supportDir } from '../engine/bundle/bundle.js';
import { boundedSender, DEFAULT_MAX_QUEUED_BYTES, DEFAULT_SLOW_CLOSE_GRACE_MS } from './slow-consumer.js';

export interface WebHostOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  engine: Engine;
  /** Fixed token for tests; a random one otherwise. */
  token?: string;
  log?: (line: string) => void;
  /** Bytes one client may have waiting before it is closed as a slow consumer (slow-consumer.ts). */
  maxQueuedBytes?: number;
  /** How long a closed slow client gets to take its close frame before the socket is dropped. */
  slowCloseGraceMs?: number;
}

export interface WebHost {
  port: number;
  token: string;
  url: string;
  close(): Promise<void>;
}


export { staticFileFor };

/** The one line people (and the e2e tests) read: the URL with its token. */
export const urlLine = (url: string): string => `llm-d Installer web UI: ${url}`;

export async function startWebHost(opts: WebHostOptions): Promise<WebHost> {
  const token = opts.token ?? newToken();
  const root = path.resolve(opts.rendererDir);
  const log = opts.log ?? (() => {});
  let port = 0;

  const baseHeaders = (): Record<string, string> => ({
    'Content-Security-Policy': webCsp(port),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'X-Frame-Options': 'DENY',
    'Cache-Control': 'no-store',
  });

  const server = http.createServer((req, res) => {
    void (async () => {
      // Page requests need the exact Host too: a rebinding page on evil.example must get nothing.
      if (!hostAllowed(req.headers.host, port)) {
        res.writeHead(403, { 'Content-Type': 'text/plain' }).end('Forbidden: unexpected Host header.\n');
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' }).end('Method not allowed.\n');
        return;
      }
      const reqUrl = new URL(req.url ?? '/', `http://${LOOPBACK}`);
      const { pathname } = reqUrl;
      if (isDownloadPath(pathname)) {
        const verdict = await supportDownload(reqUrl, token, supportDir(opts.engine.context.paths));
        if (!verdict.ok) {
          log(`web host: refused a download (${verdict.reason})`);
          res.writeHead(verdict.status, { ...baseHeaders(), 'Content-Type': 'text/plain' }).end(verdict.status === 403 ? 'Forbidden.\n' : 'Not found.\n');
          return;
        }
        const bundle = await readFile(verdict.file);
        res.writeHead(200, {
          ...baseHeaders(),
          'Content-Type': 'application/gzip',
          'Content-Length': bundle.length,
          'Content-Disposition': `attachment; filename="${verdict.name}"`,
        });
        res.end(req.method === 'HEAD' ? undefined : bundle);
        return;
      }
      const named = staticFileFor(root, pathname);
      // Serve the real path, and only when it stays inside the real root (no symlink out of the folder).
      const file = named ? await realFileWithin(root, named) : undefined;
      const info = file ? await stat(file).catch(() => undefined) : undefined;
      if (!file || !info?.isFile()) {
        res.writeHead(404, { ...baseHeaders(), 'Content-Type': 'text/plain' }).end('Not found.\n');
        return;
      }
      const body = await readFile(file);
      res.writeHead(200, { ...baseHeaders(), 'Content-Type': MIME_TYPES[path.extname(file)] ?? 'application/octet-stream', 'Content-Length': body.length });
      res.end(req.method === 'HEAD' ? undefined : body);
    })().catch((e: unknown) => {
      log(`web host: ${e instanceof Error ? e.message : String(e)}`);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end();
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  const clients = new Set<WebSocket>();

  server.on('upgrade', (req, socket, head) => {
    const verdict = checkUpgrade(req, port, token);
    if (!verdict.ok) {
      log(`web host: refused a WebSocket (${verdict.reason})`);
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\nForbidden\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws));
  });

  const sendBounded = boundedSender({
    maxQueuedBytes: opts.maxQueuedBytes ?? DEFAULT_MAX_QUEUED_BYTES,
    closeGraceMs: opts.slowCloseGraceMs ?? DEFAULT_SLOW_CLOSE_GRACE_MS,
    log,
  });
  const send = (ws: WebSocket, message: ServerReply | ServerEvent): void => {
    if (ws.readyState === WebSocket.OPEN) sendBounded(ws, JSON.stringify(message));
  };

  wss.on('connection', (ws) => {
    clients.add(ws);
    const streams = clientStreams(opts.engine.dispatcher);
    const gone = () => {
      clients.delete(ws);
      void streams.release();
    };
    ws.on('close', gone);
    ws.on('error', gone);
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        send(ws, { id: null, result: { ok: false, error: { code: 'BAD_REQUEST', message: 'Binary frames are not accepted.' } } });
        return;
      }
      void answerFrame(data.toString(), opts.engine.dispatcher, streams).then((reply) => {
        // A stream whose start answered after the client left has nobody to read it.
        if (ws.readyState !== WebSocket.OPEN) void streams.release();
        send(ws, reply);
      });
    });
  });

  const unsubscribe = opts.engine.events.subscribe((topic, payload) => {
    for (const ws of clients) send(ws, { topic, payload });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, LOOPBACK, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://${LOOPBACK}:${port}/?token=${token}`;

  return {
    port,
    token,
    url,
    async close() {
      unsubscribe();
      for (const ws of clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
