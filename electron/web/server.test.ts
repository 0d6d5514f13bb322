import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createEngine, type Engine } from '../engine/api.js';
import { fakeMachine, fakeRunner, fakeSource } from '../engine/host/fake-machine.js';
import { checkUpgrade, tokenMatches, webCsp } from './security.js';
import { startWebHost, staticFileFor, urlLine, type WebHost } from './server.js';

let dir: string;
let engine: Engine;
let host: WebHost;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'llmd-web-'));
  await fs.writeFile(path.join(dir, 'index.html'), '<!doctype html><title>t</title>');
  const machine = fakeMachine();
  engine = createEngine({ dataDir: dir, transport: 'web', rehearsal: false, host: { source: fakeSource(machine), run: fakeRunner(machine) } });
  host = await startWebHost({ rendererDir: dir, engine });
});
afterAll(async () => {
  await host.close();
  await engine.dispose();
  await fs.rm(dir, { recursive: true });
});

const origin = () => `http://127.0.0.1:${host.port}`;

/** Opens a socket; resolves with the open socket or the HTTP status that refused it. */
function connect(opts: { token?: string | null; origin?: string | null; host?: string }): Promise<{ ws?: WebSocket; status?: number }> {
  const query = opts.token === null ? '' : `?token=${encodeURIComponent(opts.token ?? host.token)}`;
  const headers: Record<string, string> = {};
  if (opts.host) headers.host = opts.host;
  const o = opts.origin === undefined ? origin() : opts.origin;
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api${query}`, { headers, ...(o ? { origin: o } : {}) });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode }));
    ws.once('error', reject);
  });
}

function call(ws: WebSocket, frame: unknown): Promise<unknown> {
  return new Promise((resolve) => {
    ws.once('message', (data) => resolve(JSON.parse(data.toString())));
    ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  });
}

describe('web host', () => {
  it('prints a loopback URL carrying a long random token', () => {
    expect(urlLine(host.url)).toMatch(/^llm-d Installer web UI: http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{32}$/);
  });

  it('answers API calls over the WebSocket with envelopes', async () => {
    const { ws } = await connect({});
    expect(await call(ws!, { id: 1, method: 'app.info', payload: {} })).toMatchObject({ id: 1, result: { ok: true, value: { transport: 'web' } } });
    expect(await call(ws!, { id: 2, method: 'host.check', payload: {} })).toMatchObject({ id: 2, result: { ok: true, value: { facts: { cpuCores: 16 } } } });
    ws!.close();
  });

  it('answers malformed messages with error envelopes and stays up', async () => {
    const { ws } = await connect({});
    expect(await call(ws!, 'not json')).toMatchObject({ id: null, result: { ok: false, error: { code: 'BAD_REQUEST' } } });
    expect(await call(ws!, { id: 3, method: 42 })).toMatchObject({ id: 3, result: { ok: false, error: { code: 'BAD_REQUEST' } } });
    expect(await call(ws!, { id: 4, method: 'rm.rf', payload: {} })).toMatchObject({ id: 4, result: { ok: false, error: { code: 'UNKNOWN_METHOD' } } });
    expect(await call(ws!, { id: 5, method: 'host.check', payload: { refresh: 'x' } })).toMatchObject({ id: 5, result: { ok: false, error: { code: 'BAD_REQUEST' } } });
    expect(await call(ws!, { id: 6, method: 'app.info', payload: {} })).toMatchObject({ id: 6, result: { ok: true } });
    ws!.close();
  });

  it('forwards engine events to connected clients', async () => {
    const { ws } = await connect({});
    const got = new Promise((resolve) => ws!.once('message', (d) => resolve(JSON.parse(d.toString()))));
    engine.events.emit('task.progress', { taskId: 't1', kind: 'plan', title: 'Install', state: 'running', fraction: 0.5 });
    expect(await got).toEqual({ topic: 'task.progress', payload: { taskId: 't1', kind: 'plan', title: 'Install', state: 'running', fraction: 0.5 } });
    ws!.close();
  });

  it('refuses a WebSocket without a token', async () => {
    expect(await connect({ token: null })).toEqual({ status: 403 });
  });

  it('refuses a WebSocket with a wrong token', async () => {
    // Its last character changed to another (a token that already ended in "x" made this the real one: a 1-in-64 flake).
    const last = host.token.slice(-1);
    expect(await connect({ token: `${host.token.slice(0, -1)}${last === 'x' ? 'y' : 'x'}` })).toEqual({ status: 403 });
  });

  it('refuses a WebSocket from a foreign Origin, or with none', async () => {
    expect(await connect({ origin: 'http://evil.example' })).toEqual({ status: 403 });
    expect(await connect({ origin: 'http://localhost:' + host.port })).toEqual({ status: 403 });
    expect(await connect({ origin: null })).toEqual({ status: 403 });
  });

  it('refuses a WebSocket with a foreign Host header (DNS rebinding)', async () => {
    expect(await connect({ host: `evil.example:${host.port}` })).toEqual({ status: 403 });
  });

  it('serves the renderer with a strict CSP, and refuses page requests with a foreign Host', async () => {
    const get = (p: string, hostHeader?: string) =>
      new Promise<{ status: number; csp: string | undefined }>((resolve, reject) => {
        http.get({ host: '127.0.0.1', port: host.port, path: p, headers: hostHeader ? { host: hostHeader } : {} }, (res) => {
          res.resume();
          resolve({ status: res.statusCode ?? 0, csp: res.headers['content-security-policy'] as string | undefined });
        }).on('error', reject);
      });
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.csp).toContain("script-src 'self'");
    expect((await get('/', 'evil.example')).status).toBe(403);
    expect((await get('/%2e%2e/%2e%2e/etc/passwd')).status).toBe(404);
    expect((await get('/missing.js')).status).toBe(404);
  });

  it('refuses a symlink inside the served folder that points outside it, serves a normal file', async () => {
    const outside = await fs.mkdtemp(path.join(os.tmpdir(), 'llmd-outside-'));
    await fs.writeFile(path.join(outside, 'secret.txt'), 'secret');
    await fs.writeFile(path.join(dir, 'app.js'), 'console.log(1)');
    await fs.symlink(path.join(outside, 'secret.txt'), path.join(dir, 'leak.txt'));
    await fs.symlink(outside, path.join(dir, 'leakdir'));
    const status = (p: string) =>
      new Promise<number>((resolve, reject) => {
        http.get({ host: '127.0.0.1', port: host.port, path: p }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        }).on('error', reject);
      });
    try {
      expect(await status('/app.js')).toBe(200);
      expect(await status('/leak.txt')).toBe(404);
      expect(await status('/leakdir/secret.txt')).toBe(404);
    } finally {
      await fs.rm(outside, { recursive: true });
    }
  });
});

describe('web host security functions', () => {
  it('compares tokens exactly', () => {
    expect(tokenMatches('abc', 'abc')).toBe(true);
    expect(tokenMatches('abc', 'abd')).toBe(false);
    expect(tokenMatches('abc', 'abcd')).toBe(false);
    expect(tokenMatches('abc', null)).toBe(false);
  });

  it('checks path, host, origin and token of an upgrade', () => {
    const ok = { url: '/api?token=t', headers: { host: '127.0.0.1:9', origin: 'http://127.0.0.1:9' } };
    expect(checkUpgrade(ok, 9, 't')).toEqual({ ok: true });
    expect(checkUpgrade({ ...ok, url: '/other?token=t' }, 9, 't').ok).toBe(false);
    expect(checkUpgrade({ ...ok, headers: { ...ok.headers, host: '127.0.0.1:10' } }, 9, 't').ok).toBe(false);
  });

  it('keeps scripts to self and sockets to this port', () => {
    expect(webCsp(9)).toContain("connect-src 'self' ws://127.0.0.1:9");
    expect(webCsp(9)).toContain("frame-ancestors 'none'");
    expect(webCsp(9)).not.toContain('unsafe');
  });

  it('never resolves a static path outside the renderer dir', () => {
    expect(staticFileFor('/r', '/')).toBe('/r/index.html');
    expect(staticFileFor('/r', '/assets/a.js')).toBe('/r/assets/a.js');
    expect(staticFileFor('/r', '/../etc/passwd')).toBeUndefined();
    expect(staticFileFor('/r', '/%2e%2e/etc/passwd')).toBeUndefined();
    expect(staticFileFor('/r', '/%E0%A4%A')).toBeUndefined();
  });
});
