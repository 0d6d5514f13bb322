// An HTTP GET to a pod's port over the API server's port-forward channel (for the replicas' /metrics),
// without opening a local listening port. (Following a container's log is kube/pod-logs.ts.)
import http from 'node:http';
import { Duplex, PassThrough } from 'node:stream';
import { PortForward, type KubeConfig } from '@kubernetes/client-node';

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
