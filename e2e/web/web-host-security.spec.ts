// The web host refuses the four bad connections: no token, a wrong token, a foreign Origin, and a
// foreign Host header (DNS rebinding); a page request with a foreign Host gets nothing either.
import { expect, test } from '@playwright/test';
import { tryConnect } from '../support/api.js';
import { startWebHostProcess, type RunningWebHost } from '../support/web-host.js';

let host: RunningWebHost;
test.beforeAll(async () => {
  host = await startWebHostProcess();
});
test.afterAll(async () => {
  await host?.stop();
});

const origin = () => `http://127.0.0.1:${host.port}`;

test('accepts the right token from its own page', async () => {
  expect(await tryConnect({ port: host.port, query: `?token=${host.token}`, origin: origin() })).toEqual({ opened: true });
});

test('refuses a WebSocket without a token', async () => {
  expect(await tryConnect({ port: host.port, query: '', origin: origin() })).toEqual({ opened: false, status: 403 });
});

test('refuses a WebSocket with a wrong token', async () => {
  expect(await tryConnect({ port: host.port, query: `?token=${host.token.replace(/.$/, (c) => (c === 'a' ? 'b' : 'a'))}`, origin: origin() })).toEqual({ opened: false, status: 403 });
});

test('refuses a WebSocket from a foreign Origin', async () => {
  expect(await tryConnect({ port: host.port, query: `?token=${host.token}`, origin: 'https://evil.example' })).toEqual({ opened: false, status: 403 });
});

test('refuses a WebSocket with a foreign Host header', async () => {
  expect(await tryConnect({ port: host.port, query: `?token=${host.token}`, origin: origin(), host: `rebind.evil.example:${host.port}` })).toEqual({ opened: false, status: 403 });
});

test('refuses page requests with a foreign Host header', async ({ request }) => {
  const res = await request.get(`${origin()}/`, { headers: { host: `rebind.evil.example:${host.port}` } });
  expect(res.status()).toBe(403);
  const ok = await request.get(`${origin()}/`);
  expect(ok.status()).toBe(200);
  expect(ok.headers()['content-security-policy']).toContain("script-src 'self'");
});

test('a page on another origin cannot talk to the API even with the token', async ({ page }) => {
  // A page served from a different origin (about:blank → data URL has an opaque "null" origin).
  await page.goto('about:blank');
  const outcome = await page.evaluate(async ({ port, token }) => {
    return await new Promise<string>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/api?token=${token}`);
      ws.onopen = () => resolve('opened');
      ws.onerror = () => resolve('refused');
    });
  }, { port: host.port, token: host.token });
  expect(outcome).toBe('refused');
});
