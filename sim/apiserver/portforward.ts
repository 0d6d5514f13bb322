// Pod port-forward over WebSocket, in the channel protocol @kubernetes/client-node speaks: each binary
// frame starts with a stream byte (port i: data 2i, error 2i+1); the server's first frame on each stream
// carries the port as two little-endian bytes. Data goes to 127.0.0.1:<local port> taken from the pod's
// SIM_PORTS_ANNOTATION; failures are reported on the error stream, then the socket closes.
import type { IncomingMessage, Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { SIM_PORTS_ANNOTATION, type KubeObject } from './types.js';
import type { InMemoryStore } from './store.js';
import { parseResourcePath } from './routes.js';
import { statusObject } from './http.js';

const PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io', 'v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io'];
const CLOSE_STREAM = 255;

const frame = (stream: number, payload: Buffer): Buffer => Buffer.concat([Buffer.from([stream]), payload]);
const portBytes = (port: number): Buffer => Buffer.from([port & 0xff, (port >> 8) & 0xff]);

function rejectUpgrade(socket: Duplex, code: number, reason: string, message: string): void {
  const body = JSON.stringify(statusObject(code, reason, message));
  socket.end(`HTTP/1.1 ${code} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

/** Why a pod's port cannot be forwarded, or the local port it maps to. */
export function resolveTarget(pod: KubeObject, port: number): { localPort: number } | { error: string } {
  const phase = (pod['status'] as { phase?: unknown } | undefined)?.phase;
  if (phase !== 'Running') {
    return { error: `unable to upgrade connection: pod ${pod.metadata.name} is not running (phase ${String(phase ?? 'Unknown')})` };
  }
  let mapping: Record<string, unknown>;
  try {
    const raw = pod.metadata.annotations?.[SIM_PORTS_ANNOTATION];
    mapping = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  } catch {
    mapping = {};
  }
  const local = mapping[String(port)];
  if (typeof local !== 'number') {
    return { error: `error forwarding port ${port} to pod ${pod.metadata.uid ?? ''}, uid : failed to connect to port ${port}: connection refused` };
  }
  return { localPort: local };
}

function forwardPort(ws: WebSocket, index: number, port: number, pod: KubeObject, sockets: Set<Socket>): void {
  const dataStream = index * 2;
  const errorStream = dataStream + 1;
  ws.send(frame(dataStream, portBytes(port)));
  ws.send(frame(errorStream, portBytes(port)));
  const target = resolveTarget(pod, port);
  if ('error' in target) {
    ws.send(frame(errorStream, Buffer.from(target.error)));
    ws.close(1000);
    return;
  }
  const tcp = connect({ host: '127.0.0.1', port: target.localPort });
  sockets.add(tcp);
  tcp.on('data', (chunk: Buffer) => {
    if (ws.readyState === ws.OPEN) ws.send(frame(dataStream, chunk));
  });
  tcp.on('error', (err) => {
    if (ws.readyState === ws.OPEN) {
      ws.send(frame(errorStream, Buffer.from(`error forwarding port ${port} to pod ${pod.metadata.uid ?? ''}, uid : ${err.message}`)));
    }
  });
  tcp.on('close', () => {
    sockets.delete(tcp);
    if (ws.readyState === ws.OPEN) ws.close(1000);
  });
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    if (!isBinary || data.length < 1) return;
    const stream = data[0];
    if (stream === CLOSE_STREAM && data[1] === dataStream) tcp.end();
    else if (stream === dataStream && data.length > 1) tcp.write(data.subarray(1));
  });
  ws.on('close', () => tcp.destroy());
}

/** Adds the port-forward WebSocket endpoint to an HTTP server; returns a function closing open tunnels. */
export function attachPortForward(server: Server, store: InMemoryStore): () => void {
  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (offered) => PROTOCOLS.find((p) => offered.has(p)) ?? false,
  });
  const sockets = new Set<Socket>();
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    try {
      const url = new URL(req.url ?? '/', 'http://sim');
      const rp = parseResourcePath(url.pathname);
      if (!rp || rp.group !== '' || rp.resource !== 'pods' || rp.subresource !== 'portforward' || !rp.name) {
        rejectUpgrade(socket, 404, 'NotFound', 'the server could not find the requested resource');
        return;
      }
      const pod = store.get({ group: '', version: 'v1', resource: 'pods' }, rp.namespace ?? 'default', rp.name);
      if (!pod) {
        rejectUpgrade(socket, 404, 'NotFound', `pods "${rp.name}" not found`);
        return;
      }
      const ports = url.searchParams.getAll('ports').flatMap((p) => p.split(',')).map((p) => Number(p.trim()));
      if (ports.length === 0 || ports.some((p) => !Number.isInteger(p) || p < 1 || p > 65535)) {
        rejectUpgrade(socket, 400, 'BadRequest', 'query parameter "ports" must name ports between 1 and 65535');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        ws.on('error', () => ws.terminate());
        ports.forEach((port, i) => forwardPort(ws, i, port, pod, sockets));
      });
    } catch {
      socket.destroy();
    }
  });
  return () => {
    for (const s of sockets) s.destroy();
    for (const c of wss.clients) c.terminate();
    wss.close();
  };
}
