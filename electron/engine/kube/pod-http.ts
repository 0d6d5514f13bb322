// Streaming reads from the API server that client-node does awkwardly: following a container's log
// (client-node 2.0.1's Log.log() raises an uncaught AbortError when aborted — it pipes the response
// without an error listener), and an HTTP GET to a pod's port over the port-forward channel (for the
// replicas' /metrics) without opening a local listening port.
import http from 'node:http';
import https from 'node:https';
import { Duplex, PassThrough } from 'node:stream';
import { PortForward, type KubeConfig } from '@kubernetes/client-node';
import { kubeError } from './errors.js';

export interface LogFollowOptions {
  namespace: string;
  pod: string;
  container: string;
  follow?: boolean;
  tailLines?: number;
  timestamps?: boolean;
}

export interface LogFollower {
  stop(): void;
  /** Resolves when the stream ends (pod gone, follow off, stop() called). */
  done: Promise<void>;
}

/** Streams a container's log line by line. Errors end the stream with `onError`, never throw. */
export async function followPodLog(kc: KubeConfig, o: LogFollowOptions, onLine: (line: string) => void, onError?: (message: string) => void): Promise<LogFollower> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw kubeError(new Error('no current cluster'), 'Reading logs');
  const q = new URLSearchParams({ container: o.container });
  if (o.follow) q.set('follow', 'true');
  if (o.tailLines !== undefined) q.set('tailLines', String(o.tailLines));
  if (o.timestamps) q.set('timestamps', 'true');
  const url = new URL(`${cluster.server.replace(/\/+$/, '')}/api/v1/namespaces/${encodeURIComponent(o.namespace)}/pods/${encodeURIComponent(o.pod)}/log?${q}`);
  const opts: https.RequestOptions = { method: 'GET', headers: {} };
  await kc.applyToHTTPSOptions(opts);
  const mod = url.protocol === 'https:' ? https : http;
  let stopped = false;
  let finish: () => void = () => undefined;
  const done = new Promise<void>((r) => (finish = r));
  const req = mod.request(url, { ...opts, method: 'GET' }, (res) => {
    if ((res.statusCode ?? 500) >= 400) {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => {
        let message = body.trim();
        try { message = (JSON.parse(body) as { message?: string }).message ?? message; } catch { /* plain text */ }
        onError?.(message || `HTTP ${res.statusCode}`);
        finish();
      });
      return;
    }
    let partial = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      partial += chunk;
      const lines = partial.split('\n');
      partial = lines.pop() ?? '';
      for (const l of lines) onLine(l.replace(/\r$/, ''));
    });
    res.on('end', () => {
      if (partial) onLine(partial);
      finish();
    });
    res.on('error', () => finish());
  });
  req.on('error', (e) => {
    if (!stopped) onError?.(e.message);
    finish();
  });
  req.end();
  return {
    stop() {
      stopped = true;
      req.destroy();
      finish();
    },
    done,
  };
}

/** GET http://<pod>:<port><path> through the API server's port-forward; returns status and body. */
export async function podHttpGet(kc: KubeConfig, namespace: string, pod: string, port: number, path: string, timeoutMs = 5000): Promise<{ status: number; body: string }> {
  const toPod = new PassThrough();
  const fromPod = new PassThrough();
  const errors = new PassThrough();
  let errText = '';
  errors.on('data', (d: Buffer) => (errText += d.toString()));
  const pf = new PortForward(kc, true);
  const wsOrFn = await pf.portForward(namespace, pod, [port], fromPod, errors, toPod);
  const ws = typeof wsOrFn === 'function' ? wsOrFn() : wsOrFn;
  const socket = Duplex.from({ readable: fromPod, writable: toPod });
  try {
    return await new Promise((resolve, reject) => {
      const req = http.request({ method: 'GET', path, host: 'localhost', createConnection: () => socket as never, timeout: timeoutMs }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(errText.trim() || `no answer from ${pod}:${port} within ${timeoutMs} ms`)));
      req.on('error', (e) => reject(new Error(errText.trim() || e.message)));
      ws?.on('close', () => { if (errText) req.destroy(new Error(errText.trim())); });
      req.end();
    });
  } finally {
    ws?.close();
    socket.destroy();
  }
}
