// A long-lived client of the web host's WebSocket API for the benchmarks: calls (`{ id, method, payload }`
// → `{ id, result }`) and every event (`{ topic, payload }`) with the moment it arrived, so a benchmark can
// time a reply's events as the renderer would receive them.
import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';

export interface Arrival {
  topic: string;
  payload: unknown;
  at: number;
}

export interface WsApi {
  call(method: string, payload?: unknown): Promise<unknown>;
  /** Called for every event as it arrives (performance.now() of this process). */
  onEvent(listener: (e: Arrival) => void): () => void;
  close(): void;
}

interface Frame {
  id?: number;
  topic?: string;
  payload?: unknown;
  result?: { ok: boolean; value?: unknown; error?: { message: string } };
}

export async function connectWsApi(port: number, token: string): Promise<WsApi> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/api?token=${token}`, { origin: `http://127.0.0.1:${port}` });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let next = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const listeners = new Set<(e: Arrival) => void>();
  ws.on('message', (data) => {
    const at = performance.now();
    const msg = JSON.parse(data.toString()) as Frame;
    if (msg.topic !== undefined) {
      for (const l of listeners) l({ topic: msg.topic, payload: msg.payload, at });
      return;
    }
    const p = msg.id === undefined ? undefined : pending.get(msg.id);
    if (!p || msg.id === undefined) return;
    pending.delete(msg.id);
    if (msg.result?.ok) p.resolve(msg.result.value);
    else p.reject(new Error(msg.result?.error?.message ?? 'call failed'));
  });
  return {
    call(method, payload = {}) {
      const id = next++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        ws.send(JSON.stringify({ id, method, payload }));
      });
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => ws.close(),
  };
}
