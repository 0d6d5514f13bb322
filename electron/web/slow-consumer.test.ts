import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createEngine, type Engine } from '../engine/api.js';
import { fakeMachine, fakeRunner, fakeSource } from '../engine/host/fake-machine.js';
import { startWebHost, type WebHost } from './server.js';
import { mayQueue, SLOW_CONSUMER_CLOSE_CODE } from './slow-consumer.js';

// Issue #14: a client that stops reading made the host queue every reply (1,500 × 100 KB kept 143 MB).
let dir: string;
let engine: Engine;
let host: WebHost;
const logs: string[] = [];
const LIMIT = 1024 * 1024;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'llmd-web-slow-'));
  await fs.writeFile(path.join(dir, 'index.html'), '<!doctype html><title>t</title>');
  const machine = fakeMachine();
  engine = createEngine({ dataDir: dir, transport: 'web', rehearsal: false, host: { source: fakeSource(machine), run: fakeRunner(machine) } });
  host = await startWebHost({ rendererDir: dir, engine, maxQueuedBytes: LIMIT, slowCloseGraceMs: 20_000, log: (l) => logs.push(l) });
});
afterAll(async () => {
  await host.close();
  await engine.dispose();
  await fs.rm(dir, { recursive: true });
});

function open(): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api?token=${host.token}`, { origin: `http://127.0.0.1:${host.port}` });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

const line = 'x'.repeat(100 * 1024);
const emitBig = (seq: number) => engine.events.emit('step.log', { stepId: 'stack', seq, lines: [line] });

async function until(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

describe('web host back-pressure', () => {
  it('closes a client that stops reading with a clear code and reason, after queueing only about the limit', async () => {
    const ws = await open();
    let received = 0;
    ws.on('message', (d: Buffer) => (received += d.length));
    const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    ws.pause();
    // 1,500 replies of 100 KB, given a chance to flush between batches, as a busy install would.
    for (let i = 0; i < 1500; i++) {
      emitBig(i);
      if (i % 50 === 49) await new Promise((r) => setImmediate(r));
    }
    expect(await until(() => logs.some((l) => l.includes('stopped reading')), 10_000)).toBe(true);
    ws.resume();
    const result = await Promise.race([closed, new Promise<'open'>((r) => setTimeout(() => r('open'), 15_000))]);
    expect(result).toEqual({ code: SLOW_CONSUMER_CLOSE_CODE, reason: expect.stringMatching(/slow consumer/) });
    // What reached the client is what the host queued, plus what the kernel held: far from 150 MB.
    expect(received).toBeLessThan(LIMIT + 100 * 1024 + 16 * 1024 * 1024);
    if (process.env.LLMD_MEASURE) console.log(`slow client received ${received} bytes of ${1500 * line.length}`);
  }, 40_000);

  it('keeps serving a client that reads, and other clients after a slow one is closed', async () => {
    const ws = await open();
    let got = 0;
    ws.on('message', () => got++);
    for (let batch = 0; batch < 6; batch++) {
      const want = got + 5;
      for (let i = 0; i < 5; i++) emitBig(batch * 5 + i);
      expect(await until(() => got >= want, 5_000)).toBe(true);
    }
    expect(ws.readyState).toBe(WebSocket.OPEN);
    ws.close();
  }, 20_000);
});

describe('slow consumer rules', () => {
  it('always lets an idle socket take one message, and bounds the rest', () => {
    expect(mayQueue(0, 10 * LIMIT, LIMIT)).toBe(true);
    expect(mayQueue(LIMIT - 10, 10, LIMIT)).toBe(true);
    expect(mayQueue(LIMIT - 10, 11, LIMIT)).toBe(false);
  });

  it('drops the connection of a client that never reads its close frame', async () => {
    const own: string[] = [];
    const quick = await startWebHost({ rendererDir: dir, engine, maxQueuedBytes: LIMIT, slowCloseGraceMs: 200, log: (l) => own.push(l) });
    try {
      const ws = new WebSocket(`ws://127.0.0.1:${quick.port}/api?token=${quick.token}`, { origin: `http://127.0.0.1:${quick.port}` });
      await new Promise((r) => ws.once('open', r));
      ws.pause();
      for (let i = 0; i < 400; i++) {
        emitBig(i);
        if (i % 50 === 49) await new Promise((r) => setImmediate(r));
      }
      expect(await until(() => own.some((l) => l.includes('did not take its close frame')), 10_000)).toBe(true);
      ws.terminate();
    } finally {
      await quick.close();
    }
  }, 20_000);
});
