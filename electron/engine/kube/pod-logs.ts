// Follows one container's log through the API server's log endpoint (`follow=true`), line by line. Not
// client-node's Log helper: in 2.0.1 it pipes the response without an error listener, so stopping it
// raises an uncaught AbortError. Here the request is ours and stopping it is a handled destroy.
import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { LineSplitter } from '../process/runner.js';

export interface LogFollowOptions {
  namespace: string;
  pod: string;
  container: string;
  tailLines?: number;
  follow?: boolean;
  onLine(line: string): void;
  onEnd(error?: string): void;
}

export interface LogStream { stop(): void }

export async function followPodLog(kc: KubeConfig, o: LogFollowOptions): Promise<LogStream> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('No current cluster in the kubeconfig.');
  const q = new URLSearchParams({ container: o.container, follow: String(o.follow ?? true), ...(o.tailLines !== undefined ? { tailLines: String(o.tailLines) } : {}) });
  const url = new URL(`${cluster.server.replace(/\/+$/, '')}/api/v1/namespaces/${encodeURIComponent(o.namespace)}/pods/${encodeURIComponent(o.pod)}/log?${q.toString()}`);
  const opts: https.RequestOptions = { method: 'GET', headers: {} };
  await kc.applyToHTTPSOptions(opts);
  let ended = false;
  const end = (error?: string) => {
    if (ended) return;
    ended = true;
    o.onEnd(error);
  };
  const splitter = new LineSplitter((l) => o.onLine(l));
  const req = (url.protocol === 'https:' ? https : http).request(url, opts, (res) => {
    if ((res.statusCode ?? 500) >= 400) {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { body += c; });
      res.on('end', () => {
        let msg = body.trim();
        try { msg = (JSON.parse(body) as { message?: string }).message ?? msg; } catch { /* plain text */ }
        end(`The API server answered ${res.statusCode}: ${msg}`);
      });
      return;
    }
    res.setEncoding('utf8');
    res.on('data', (c: string) => splitter.push(c));
    res.on('end', () => { splitter.end(); end(); });
    res.on('error', (e) => end(e.message));
  });
  req.on('error', (e) => end(ended ? undefined : e.message));
  req.end();
  return {
    stop() {
      if (ended) return;
      ended = true;
      req.destroy();
      o.onEnd();
    },
  };
}
