// GET /api/v1/namespaces/NS/pods/P/log: serves the container's log file (tail, since, timestamps,
// limitBytes) and, with follow=true, keeps streaming appended lines until the client goes or the pod does.
import { existsSync, openSync, readSync, closeSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject } from './types.js';
import { StoreError, podLogFile } from './types.js';
import type { InMemoryStore } from './store.js';
import { sendError } from './http.js';
import { isMap, type JsonMap } from './objects.js';

export interface LogContext {
  store: InMemoryStore;
  stateDir: string;
  profile: string;
  pollMs: number;
  now: () => Date;
}

const POD_TYPE = { group: '', version: 'v1', resource: 'pods' };

const names = (v: unknown): string[] =>
  (Array.isArray(v) ? v.map((c) => (isMap(c) ? String(c['name'] ?? '') : '')).filter((n) => n !== '') : []);

/** Which container's log to serve; errors worded like the real API server's. */
export function chooseContainer(pod: KubeObject, requested: string | null): string {
  const spec = (pod['spec'] ?? {}) as JsonMap;
  const containers = names(spec['containers']);
  const inits = names(spec['initContainers']);
  const name = pod.metadata.name;
  if (requested) {
    if (!containers.includes(requested) && !inits.includes(requested)) {
      throw new StoreError(400, 'BadRequest', `container ${requested} is not valid for pod ${name}`);
    }
    return requested;
  }
  if (containers.length === 1 && containers[0]) return containers[0];
  const initPart = inits.length > 0 ? ` or one of the init containers: [${inits.join(' ')}]` : '';
  throw new StoreError(400, 'BadRequest', `a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]${initPart}`);
}

function waitingReason(pod: KubeObject, container: string): string {
  const status = (pod['status'] ?? {}) as JsonMap;
  const all = [...(Array.isArray(status['containerStatuses']) ? status['containerStatuses'] : []),
    ...(Array.isArray(status['initContainerStatuses']) ? status['initContainerStatuses'] : [])];
  const cs = all.find((c) => isMap(c) && c['name'] === container) as JsonMap | undefined;
  const waiting = isMap(cs?.['state'] ?? null) ? ((cs?.['state'] as JsonMap)['waiting'] as JsonMap | undefined) : undefined;
  return typeof waiting?.['reason'] === 'string' ? waiting['reason'] : 'ContainerCreating';
}

function readFrom(file: string, offset: number, end: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(end - offset);
    readSync(fd, buf, 0, buf.length, offset);
    return buf;
  } finally {
    closeSync(fd);
  }
}

/** Splits `<timestamp> <text>` lines; returns complete lines and how many bytes they took. */
function completeLines(buf: Buffer): { lines: string[]; used: number } {
  const lastNl = buf.lastIndexOf(0x0a);
  if (lastNl < 0) return { lines: [], used: 0 };
  const text = buf.subarray(0, lastNl).toString('utf8');
  return { lines: text.split('\n'), used: lastNl + 1 };
}

const splitTimestamp = (line: string): [string, string] => {
  const i = line.indexOf(' ');
  return i < 0 ? [line, ''] : [line.slice(0, i), line.slice(i + 1)];
};

export function handleLogs(req: IncomingMessage, res: ServerResponse, query: URLSearchParams, namespace: string, podName: string, ctx: LogContext): void {
  try {
    const pod = ctx.store.get(POD_TYPE, namespace, podName);
    if (!pod) throw new StoreError(404, 'NotFound', `pods "${podName}" not found`);
    const container = chooseContainer(pod, query.get('container'));
    const file = podLogFile(ctx.stateDir, ctx.profile, namespace, podName, container);
    if (!existsSync(file)) {
      throw new StoreError(400, 'BadRequest', `container "${container}" in pod "${podName}" is waiting to start: ${waitingReason(pod, container)}`);
    }
    const timestamps = query.get('timestamps') === 'true';
    const follow = query.get('follow') === 'true';
    const tail = query.get('tailLines');
    const tailLines = tail !== null && /^-?\d+$/.test(tail) ? Number(tail) : undefined;
    const since = query.get('sinceSeconds');
    const sinceMs = since !== null && /^\d+$/.test(since) ? ctx.now().getTime() - Number(since) * 1000 : undefined;
    const limit = query.get('limitBytes');
    let remaining = limit !== null && /^\d+$/.test(limit) ? Number(limit) : Infinity;

    res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
    res.flushHeaders();
    let closed = false;
    const emit = (lines: string[]): void => {
      for (const line of lines) {
        if (closed || remaining <= 0) break;
        const [ts, text] = splitTimestamp(line);
        if (sinceMs !== undefined && Date.parse(ts) < sinceMs) continue;
        let out = Buffer.from(`${timestamps ? line : text}\n`);
        if (out.length > remaining) out = out.subarray(0, remaining);
        remaining -= out.length;
        res.write(out);
      }
    };

    let offset = 0;
    const size = statSync(file).size;
    const first = completeLines(readFrom(file, 0, size));
    offset = first.used;
    const initial = tailLines !== undefined && tailLines >= 0 ? first.lines.slice(Math.max(0, first.lines.length - tailLines)) : first.lines;
    emit(tailLines === 0 ? [] : initial);
    if (!follow || remaining <= 0) {
      res.end();
      return;
    }
    const uid = pod.metadata.uid;
    const timer = setInterval(() => {
      try {
        const current = ctx.store.get(POD_TYPE, namespace, podName);
        if (!current || current.metadata.uid !== uid || remaining <= 0) return stop();
        const now = existsSync(file) ? statSync(file).size : 0;
        if (now < offset) offset = 0; // rotated or truncated
        if (now > offset) {
          const chunk = completeLines(readFrom(file, offset, now));
          offset += chunk.used;
          emit(chunk.lines);
        }
      } catch {
        stop();
      }
    }, ctx.pollMs);
    const stop = (): void => {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      if (!res.writableEnded) res.end();
    };
    req.on('close', stop);
    res.on('close', stop);
  } catch (err) {
    sendError(res, err, { name: podName, kind: 'pods' });
  }
}
