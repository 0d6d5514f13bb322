import { describe, expect, it } from 'vitest';
import { createWsTransport, type ConnectionState } from './ws-transport.js';

/** A stand-in for the browser WebSocket, driven by the test. */
class FakeSocket {
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: string[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((ev: { data: string }) => void) | null = null;
  onclose: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.readyState = 3;
    this.onclose?.();
  }
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  receive(msg: unknown) {
    this.onmessage?.({ data: JSON.stringify(msg) });
  }
}

const make = (states: ConnectionState[] = []) => {
  FakeSocket.all = [];
  const t = createWsTransport('ws://127.0.0.1:1/api?token=x', { WebSocketImpl: FakeSocket as unknown as new (url: string) => WebSocket, onState: (s) => states.push(s), backoffMs: [0] });
  return { t, socket: () => FakeSocket.all[FakeSocket.all.length - 1]! };
};

describe('WebSocket transport', () => {
  it('queues calls until open and matches replies by id', async () => {
    const { t, socket } = make();
    const a = t.invoke('app.info', {});
    const b = t.invoke('host.check', { refresh: true });
    expect(socket().sent).toEqual([]);
    socket().open();
    const frames = socket().sent.map((s) => JSON.parse(s));
    expect(frames).toEqual([{ id: 1, method: 'app.info', payload: {} }, { id: 2, method: 'host.check', payload: { refresh: true } }]);
    socket().receive({ id: 2, result: { ok: true, value: 'b' } });
    socket().receive({ id: 1, result: { ok: true, value: 'a' } });
    expect(await a).toEqual({ ok: true, value: 'a' });
    expect(await b).toEqual({ ok: true, value: 'b' });
    t.close();
  });

  it('passes events to subscribers', () => {
    const { t, socket } = make();
    socket().open();
    const got: unknown[] = [];
    t.subscribe((topic, payload) => got.push([topic, payload]));
    socket().receive({ topic: 'task.progress', payload: { taskId: 'x' } });
    expect(got).toEqual([['task.progress', { taskId: 'x' }]]);
    t.close();
  });

  it('fails pending calls when the socket drops, then reconnects', async () => {
    const states: ConnectionState[] = [];
    const { t, socket } = make(states);
    socket().open();
    const pending = t.invoke('app.info', {});
    const first = socket();
    first.close();
    expect(await pending).toMatchObject({ ok: false, error: { code: 'NETWORK' } });
    await new Promise((r) => setTimeout(r, 5));
    expect(FakeSocket.all.length).toBe(2);
    expect(states).toEqual(['connecting', 'open', 'closed', 'connecting']);
    t.close();
  });
});
