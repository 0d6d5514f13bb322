// Streams a watch as newline-delimited JSON events (what `?watch=true` returns), with periodic BOOKMARK
// events when the client allows them, so idle watches keep receiving bytes.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject, ObjectStore, ResourceType, WatchEventType } from './types.js';
import { StoreError } from './types.js';
import { sendError, statusObject } from './http.js';

export interface WatchRequest {
  type: ResourceType;
  kind: string;
  apiVersion: string;
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
  allowWatchBookmarks: boolean;
  timeoutSeconds?: number;
  bookmarkIntervalMs: number;
  /** Turns each event's object into what the client asked for (a Table row for kubectl get -w). */
  render: (obj: KubeObject) => unknown;
}

export function serveWatch(req: IncomingMessage, res: ServerResponse, store: ObjectStore, w: WatchRequest): void {
  const write = (type: WatchEventType | 'ERROR', object: unknown): void => {
    if (!res.writableEnded && !res.destroyed) res.write(`${JSON.stringify({ type, object })}\n`);
  };
  const startStream = (): void => {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
  };
  const pending: Array<[WatchEventType, KubeObject]> = [];
  let started = false;
  let stop: () => void = () => undefined;
  try {
    stop = store.watch(w.type, {
      namespace: w.namespace, labelSelector: w.labelSelector, fieldSelector: w.fieldSelector, resourceVersion: w.resourceVersion,
    }, (type, obj) => {
      if (started) write(type, w.render(obj));
      else pending.push([type, obj]);
    });
  } catch (err) {
    if (err instanceof StoreError && err.status === 410) {
      // The real API server answers 200 and sends the expiry as an ERROR event.
      startStream();
      write('ERROR', statusObject(410, 'Expired', err.message));
      res.end();
      return;
    }
    sendError(res, err);
    return;
  }
  startStream();
  started = true;
  for (const [type, obj] of pending) write(type, w.render(obj));

  const timers: NodeJS.Timeout[] = [];
  if (w.allowWatchBookmarks) {
    timers.push(setInterval(() => {
      write('BOOKMARK', { kind: w.kind, apiVersion: w.apiVersion, metadata: { resourceVersion: store.resourceVersion() } });
    }, w.bookmarkIntervalMs));
  }
  const finish = (): void => {
    stop();
    for (const t of timers) clearInterval(t);
    if (!res.writableEnded) res.end();
  };
  if (w.timeoutSeconds !== undefined && w.timeoutSeconds > 0) timers.push(setTimeout(finish, w.timeoutSeconds * 1000));
  req.on('close', finish);
  res.on('close', finish);
}
