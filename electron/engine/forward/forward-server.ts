// A local TCP listener that forwards each connection to a Ready pod behind a Service, resolving the pod
// per connection (docs/architecture.md §4 step 10) — unlike `kubectl port-forward svc/…` and client-node's
// portForwardService, which pick one pod once and break when it restarts.
import net from 'node:net';
import { PassThrough } from 'node:stream';
import { CoreV1Api, PortForward, type KubeConfig, type V1Pod, type V1Service } from '@kubernetes/client-node';
import { ApiException } from '../../../shared/result.js';

export interface ForwardTarget {
  namespace: string;
  service: string;
  /** The Service port to reach (e.g. 80 for the gateway). */
  servicePort: number;
}

export interface ForwardServerOptions extends ForwardTarget {
  kc: KubeConfig;
  localPort: number;
  host?: string;
  log?: (line: string) => void;
}

const isReady = (p: V1Pod): boolean => !p.metadata?.deletionTimestamp && (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

/** Resolves the Service port to a container port number on one Ready pod (named target ports included). */
export function containerPortFor(svc: V1Service, pod: V1Pod, servicePort: number): number {
  const sp = (svc.spec?.ports ?? []).find((p) => p.port === servicePort);
  if (!sp) throw new ApiException('NOT_FOUND', `Service ${svc.metadata?.name} has no port ${servicePort}.`);
  const target = sp.targetPort ?? sp.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(String(target))) return Number(target);
  const containers = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  for (const c of containers) {
    const hit = (c.ports ?? []).find((p) => p.name === target);
    if (hit) return hit.containerPort;
  }
  throw new ApiException('NOT_FOUND', `Pod ${pod.metadata?.name} has no container port named ${String(target)}.`);
}

export async function resolveBackend(kc: KubeConfig, t: ForwardTarget): Promise<{ pod: string; port: number }> {
  const core = kc.makeApiClient(CoreV1Api);
  const svc = await core.readNamespacedService({ name: t.service, namespace: t.namespace });
  const selector = Object.entries(svc.spec?.selector ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
  if (!selector) throw new ApiException('NOT_FOUND', `Service ${t.service} has no selector.`);
  const pods = await core.listNamespacedPod({ namespace: t.namespace, labelSelector: selector });
  const ready = pods.items.filter(isReady);
  if (ready.length === 0) throw new ApiException('NOT_FOUND', `No Ready pod behind service ${t.service} yet.`);
  // Spread connections over the ready pods, like a Service would.
  const pod = ready[Math.floor(Math.random() * ready.length)]!;
  return { pod: pod.metadata!.name!, port: containerPortFor(svc, pod, t.servicePort) };
}

/** Loopback names a local client may put in Host (with or without the port): anything else is a rebinding page. */
export function forwardHostAllowed(host: string | undefined, port: number): boolean {
  if (!host) return false;
  const names = ['127.0.0.1', 'localhost', '[::1]'];
  return names.some((n) => host.toLowerCase() === n || host.toLowerCase() === `${n}:${port}`);
}

/** Upper bound on the request head we read before deciding; a longer head is refused. */
const MAX_HEAD_BYTES = 16 * 1024;

/**
 * Reads the first request head of a connection and resolves with the bytes read so far when its Host is
 * one of ours; otherwise answers 421 and resolves undefined. DNS rebinding gives a foreign page a Host of
 * its own name, so this keeps the user's browser on evil.example from reaching the model.
 */
function admitByHost(socket: net.Socket, port: number): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    let head = Buffer.alloc(0);
    const refuse = (status: string, why: string) => {
      socket.off('data', onData);
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(why)}\r\n\r\n${why}`);
      resolve(undefined);
    };
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) {
        if (head.length > MAX_HEAD_BYTES) refuse('431 Request Header Fields Too Large', 'Request head too large.\n');
        return;
      }
      const lines = head.subarray(0, end).toString('latin1').split('\r\n').slice(1);
      const hostLine = lines.find((l) => /^host:/i.test(l));
      const host = hostLine?.slice(hostLine.indexOf(':') + 1).trim();
      if (!forwardHostAllowed(host, port)) {
        refuse('421 Misdirected Request', `This local forward only answers Host 127.0.0.1:${port}, localhost:${port} or [::1]:${port}.\n`);
        return;
      }
      socket.off('data', onData);
      socket.pause();
      resolve(head);
    };
    socket.on('data', onData);
  });
}

export function startForwardServer(opts: ForwardServerOptions): Promise<net.Server> {
  const log = opts.log ?? (() => undefined);
  const forward = new PortForward(opts.kc, true);
  const server = net.createServer((socket) => {
    socket.on('error', () => socket.destroy()); // "socket has been ended by the other party" must not crash us
    const localPort = (server.address() as net.AddressInfo).port;
    admitByHost(socket, localPort)
      .then(async (head) => {
        if (!head) return;
        const { pod, port } = await resolveBackend(opts.kc, opts);
        // The head is already read off the socket: replay it, then the rest of the connection.
        const input = new PassThrough();
        input.write(head);
        socket.pipe(input);
        const ws = await forward.portForward(opts.namespace, pod, [port], socket, null, input);
        const w = typeof ws === 'function' ? ws() : ws;
        w?.on('error', () => socket.destroy());
        w?.on('close', () => socket.end());
        socket.on('close', () => w?.close());
      })
      .catch((e: unknown) => {
        log(`forward to ${opts.service}:${opts.servicePort} failed: ${e instanceof Error ? e.message : String(e)}`);
        socket.destroy();
      });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.localPort, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

/** True when nothing listens on the port (so we may take it). */
export function portIsFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, host, () => s.close(() => resolve(true)));
  });
}

/** The preferred port when free (8000 for the gateway, like the guide), else one the OS picks. */
export async function choosePort(preferred: number, host = '127.0.0.1'): Promise<number> {
  if (await portIsFree(preferred, host)) return preferred;
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, host, () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}
