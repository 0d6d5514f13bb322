// The desktop shell's locks, checked in a running Electron (docs/architecture.md §5). Skips without an Electron
// binary (see launch.ts); electron/main/security-checklist.test.ts asserts the same wiring with a fake.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { ROOT } from '../support/web-host.js';
import { launchApp, requireElectron } from './launch.js';

test('an IPC call from a foreign page is refused, even with our preload', async () => {
  const target = requireElectron();
  // A page on another origin (a local server stands in for "the web").
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>foreign</title><p>not the app</p>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const foreignUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const { app, page, close } = await launchApp(target);
  try {
    await expect(page.getByRole('heading', { level: 1, name: 'Welcome' })).toBeVisible();
    // The app page itself is answered.
    expect(await page.evaluate(async () => ((await (window as unknown as { llmdApi: { invoke(m: string, p: unknown): Promise<{ ok: boolean }> } }).llmdApi.invoke('app.info', {})).ok))).toBe(true);

    // Open the foreign page in a second window that gets the very same preload, then call through it.
    const preload = target.args.length > 0 ? path.join(ROOT, 'out', 'preload', 'preload.cjs') : undefined;
    const foreignPagePromise = app.waitForEvent('window');
    await app.evaluate(async ({ BrowserWindow }, { url, preloadPath }) => {
      const main = BrowserWindow.getAllWindows()[0]!;
      // In a packaged app the preload path is the main window's own.
      const prefs = (main.webContents as unknown as { getLastWebPreferences(): { preload?: string } | null }).getLastWebPreferences();
      const win = new BrowserWindow({ show: false, webPreferences: { preload: preloadPath ?? prefs?.preload, contextIsolation: true, sandbox: true } });
      await win.loadURL(url);
    }, { url: foreignUrl, preloadPath: preload });
    const foreign = await foreignPagePromise;
    await foreign.waitForLoadState();
    const answer = await foreign.evaluate(async () => {
      const api = (window as unknown as { llmdApi?: { invoke(m: string, p: unknown): Promise<{ ok: boolean; error?: { code: string } }> } }).llmdApi;
      // The preload must be there, or this would prove nothing about main's sender check.
      return api ? api.invoke('app.info', {}) : 'no preload in the foreign window';
    });
    expect(answer).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
  } finally {
    await close();
    server.close();
  }
});

test('a web link opens in the system browser through the shell, never in an app window', async () => {
  const target = requireElectron();
  const { app, page, close } = await launchApp(target);
  try {
    await expect(page.getByRole('heading', { level: 1, name: 'Welcome' })).toBeVisible();
    // Record what reaches shell.openExternal instead of starting a browser.
    await app.evaluate(({ shell }) => {
      const opened: string[] = [];
      (globalThis as unknown as { __opened: string[] }).__opened = opened;
      shell.openExternal = async (url: string) => {
        opened.push(url);
      };
    });
    const results = await page.evaluate(() => {
      const tries = ['https://llm-d.ai/docs', 'file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share'];
      const returned = tries.map((u) => window.open(u) === null);
      // A link with target=_blank takes the same road.
      const a = document.createElement('a');
      a.href = 'https://github.com/llm-d/llm-d';
      a.target = '_blank';
      a.rel = 'noopener';
      document.body.append(a);
      a.click();
      a.remove();
      return returned;
    });
    expect(results).toEqual([true, true, true, true]);
    await expect.poll(() => app.evaluate(() => (globalThis as unknown as { __opened: string[] }).__opened)).toEqual(['https://llm-d.ai/docs', 'https://github.com/llm-d/llm-d']);
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
    expect(new URL(page.url()).origin).toBe('app://renderer');
  } finally {
    await close();
  }
});
