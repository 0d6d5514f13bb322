// Two `plan.run` frames in one TCP write (issue #14: "3 of 3 tries with two frames in one TCP write" both started and
// shared one journal): the web host parses both from one chunk and dispatches them in the same turn, the race the
// in-engine claim closes. Over a real socket (the HTTP upgrade by hand, both frames built here and written at once):
// exactly one starts a run; the other is refused with CONFLICT; the journal and the logs hold one run.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../engine/api.js';
import type { Step } from '../engine/plan/step.js';
import { fuzzEngine } from './fuzz-engine.testkit.js';
import { startWebHost, type WebHost } from './server.js';

let dir: string;
let engine: Engine;
let host: WebHost;
let stepsRun = 0;
let letGo: () => void = () => {};
const gate = new Promise<void>((r) => { letGo = r; });
// The one step waits until both replies are in, so the first run is surely still going when the second is judged.
const held: Step = { id: 'held', title: 'Held', needs: [], describe: () => ({ commands: [] }), detect: async () => ({ state: 'todo' }), run: async () => { stepsRun++; await gate; } };

beforeAll(async () => {
  ({ dir, engine } = fuzzEngine('llmd-one-write-', { steps: [held] }));
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>t</title>');
  host = await startWebHost({ rendererDir: dir, engine });
});
afterAll(async () => {
  letGo();
  await host.close();
  await engine.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The WebSocket handshake over a plain HTTP request: the raw socket, for writing frames exactly as we choose. */
function upgrade(): Promise<Duplex> {
  const origin = `http://127.0.0.1:${host.port}`;
  const req = http.request({
    host: '127.0.0.1', port: host.port, path: `/api?token=${host.token}`,
    headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': crypto.randomBytes(16).toString('base64'), Origin: origin },
  });
  return new Promise((resolve, reject) => {
    req.once('upgrade', (_res, socket) => resolve(socket));
    req.once('response', (res) => reject(new Error(`not upgraded: ${res.statusCode}`)));
    req.once('error', reject);
    req.end();
  });
}

/** A client frame (RFC 6455 §5.2): final text frame, payload under 64 KiB, masked with a random key as clients must. */
function frame(text: string): Buffer {
  const body = Buffer.from(text);
  const mask = crypto.randomBytes(4);
  const head = body.length < 126 ? Buffer.from([0x81, 0x80 | body.length]) : Buffer.from([0x81, 0x80 | 126, body.length >> 8, body.length & 0xff]);
  return Buffer.concat([head, mask, body.map((b, i) => b ^ mask[i % 4]!)]);
}

/** The server's text frames (unmasked) as they arrive, each parsed as JSON. */
function messages(socket: Duplex, onMessage: (m: unknown) => void): void {
  let buf = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    buf = Buffer.concat([buf, chunk]);
    for (;;) {
      if (buf.length < 2) return;
      let len = buf[1]! & 0x7f;
      let at = 2;
      if (len === 126) { if (buf.length < 4) return; len = buf.readUInt16BE(2); at = 4; } else if (len === 127) { if (buf.length < 10) return; len = Number(buf.readBigUInt64BE(2)); at = 10; }
      if (buf.length < at + len) return;
      const opcode = buf[0]! & 0x0f;
      const body = buf.subarray(at, at + len);
      buf = buf.subarray(at + len);
      if (opcode === 1) onMessage(JSON.parse(body.toString('utf8')));
    }
  });
}

describe('two plan.run frames in one TCP write', () => {
  it('start exactly one run; the other is refused with CONFLICT', async () => {
    const socket = await upgrade();
    const replies = new Map<number, { ok: boolean; value?: { taskId: string; runId: string }; error?: { code: string; message: string } }>();
    const both = new Promise<void>((resolve) => messages(socket, (m) => {
      const r = m as { id?: unknown; result?: never };
      if (typeof r.id === 'number' && r.result) replies.set(r.id, r.result);
      if (replies.size === 2) resolve();
    }));
    socket.write(Buffer.concat([frame(JSON.stringify({ id: 1, method: 'plan.run', payload: {} })), frame(JSON.stringify({ id: 2, method: 'plan.run', payload: {} }))]));
    await both;
    const results = [...replies.values()];
    const startedRuns = results.filter((r) => r.ok);
    expect(startedRuns, JSON.stringify(results)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).map((r) => r.error?.code)).toEqual(['CONFLICT']);
    // Refused by this engine's claim, naming its run — not by the run lock as if this engine were another process.
    expect(results.find((r) => !r.ok)?.error?.message).toMatch(/^A run is already in progress \((run|starting)/);
    letGo();
    const runId = startedRuns[0]!.value!.runId;
    for (let i = 0; i < 400 && engine.context.tasks.kindOf(startedRuns[0]!.value!.taskId) !== undefined; i++) await new Promise((r) => setTimeout(r, 25));
    expect(stepsRun).toBe(1);
    const journal = JSON.parse(fs.readFileSync(engine.context.paths.journalFile, 'utf8')) as { runId: string; status: string };
    expect(journal).toMatchObject({ runId, status: 'succeeded' });
    expect(fs.readdirSync(engine.context.paths.logsDir)).toEqual([runId]);
    socket.destroy();
  }, 60_000);
});
