// The browser host's transport: the engine's API over one WebSocket (electron/web/messages.ts).
// Requests made while (re)connecting wait for the socket; a dropped socket fails its pending calls
// with a NETWORK envelope and reconnects with backoff.
import type { RawTransport } from '../../../shared/contract.js';
import { err } from '../../../shared/result.js';

export type ConnectionState = 'connecting' | 'open' | 'closed';

export interface WsTransport extends RawTransport {
  close(): void;
}

type WebSocketCtor = new (url: string) => WebSocket;

export interface WsTransportOptions {
  WebSocketImpl?: WebSocketCtor;
  onState?: (state: ConnectionState) => void;
  /** Delays before reconnect attempts, in ms (the last one repeats). */
  backoffMs?: number[];
}

export function createWsTransport(url: string, opts: WsTransportOptions = {}): WsTransport {
  const Impl = opts.WebSocketImpl ?? WebSocket;
  const backoff = opts.backoffMs ?? [250, 1000, 2000, 5000];
  const pending = new Map<number, (result: unknown) => void>();
  const queue: string[] = [];
  const listeners = new Set<(topic: string, payload: unknown) => void>();
  let nextId = 1;
  let attempts = 0;
  let closed = false;
  let socket: WebSocket | undefined;

  const connect = (): void => {
    opts.onState?.('connecting');
    const ws = new Impl(url);
    socket = ws;
    ws.onopen = () => {
      attempts = 0;
      opts.onState?.('open');
      for (const frame of queue.splice(0)) ws.send(frame);
    };
    ws.onmessage = (ev: MessageEvent) => {
      let msg: unknown;
      try {
        msg = JSON.parse(String(ev.data));
      } catch {
        return;
      }
      if (typeof msg !== 'object' || msg === null) return;
      const m = msg as { id?: unknown; result?: unknown; topic?: unknown; payload?: unknown };
      if (typeof m.topic === 'string') {
        for (const l of listeners) l(m.topic, m.payload);
      } else if (typeof m.id === 'number' && pending.has(m.id)) {
        const resolve = pending.get(m.id)!;
        pending.delete(m.id);
        resolve(m.result);
      }
    };
    ws.onclose = () => {
      if (socket !== ws) return;
      for (const resolve of pending.values()) resolve(err('NETWORK', 'The connection to the installer was lost.', 'It reconnects by itself; try again in a moment.'));
      pending.clear();
      opts.onState?.('closed');
      if (closed) return;
      const delay = backoff[Math.min(attempts++, backoff.length - 1)] ?? 1000;
      setTimeout(() => {
        if (!closed) connect();
      }, delay);
    };
  };
  connect();

  return {
    invoke(method, payload) {
      const id = nextId++;
      const frame = JSON.stringify({ id, method, payload });
      return new Promise((resolve) => {
        pending.set(id, resolve);
        if (socket?.readyState === 1) socket.send(frame);
        else queue.push(frame);
      });
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      closed = true;
      socket?.close();
    },
  };
}
