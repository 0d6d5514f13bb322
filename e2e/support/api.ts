// A minimal client of the web host's WebSocket API for tests: asks the engine what it reports so a
// spec can check that exactly those figures are on the page.
import { WebSocket } from 'ws';

export function apiCall(port: number, token: string, method: string, payload: unknown = {}): Promise<unknown> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/api?token=${token}`, { origin: `http://127.0.0.1:${port}` });
  return new Promise((resolve, reject) => {
    ws.once('error', reject);
    ws.once('open', () => ws.send(JSON.stringify({ id: 1, method, payload })));
    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString()) as { id?: number; result?: { ok: boolean; value?: unknown; error?: { message: string } } };
      if (msg.id !== 1) return;
      ws.close();
      if (msg.result?.ok) resolve(msg.result.value);
      else reject(new Error(msg.result?.error?.message ?? 'call failed'));
    });
  });
}

/** Opens a raw WebSocket with the given parts and reports whether it opened or the refusal status. */
export function tryConnect(opts: { port: number; query: string; origin?: string; host?: string }): Promise<{ opened: boolean; status?: number }> {
  const headers: Record<string, string> = opts.host ? { host: opts.host } : {};
  const ws = new WebSocket(`ws://127.0.0.1:${opts.port}/api${opts.query}`, { headers, ...(opts.origin ? { origin: opts.origin } : {}) });
  return new Promise((resolve, reject) => {
    ws.once('open', () => {
      ws.close();
      resolve({ opened: true });
    });
    ws.once('unexpected-response', (_req, res) => resolve({ opened: false, status: res.statusCode }));
    ws.once('error', reject);
  });
}
