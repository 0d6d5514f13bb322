// A fake engine behind the real Api client (every payload is checked against the contract), for store
// tests: handlers answer by method, `emit` delivers an event to the store's listeners.
import type { RawTransport } from '../../../shared/contract.js';
import { createApi } from '../api/client.js';
import { setApi } from '../api/index.js';
import type { Api } from '../api/client.js';

export type Handler = (payload: Record<string, unknown>) => unknown;

export function fakeEngine(handlers: Record<string, Handler>) {
  const listeners = new Set<(t: string, p: unknown) => void>();
  const calls: Array<{ method: string; payload: Record<string, unknown> }> = [];
  const raw: RawTransport = {
    invoke: async (method, payload) => {
      calls.push({ method, payload: payload as Record<string, unknown> });
      const h = handlers[method];
      if (!h) return { ok: false, error: { code: 'NOT_FOUND', message: `no ${method}` } };
      return h(payload as Record<string, unknown>);
    },
    subscribe: (l) => (listeners.add(l), () => listeners.delete(l)),
  };
  const api: Api = createApi(raw);
  setApi(api);
  return {
    api,
    calls,
    emit: (t: string, p: unknown) => listeners.forEach((l) => l(t, p)),
    /** The payload of the last call of `method`. */
    sent: (method: string): Record<string, unknown> => calls.filter((c) => c.method === method).at(-1)!.payload,
  };
}

export const ok = (value: unknown) => ({ ok: true, value });
