// The same journey as e2e/web/system-check.spec.ts through the real Electron shell (_electron.launch).
// Runs where an Electron binary exists: ELECTRON_PATH, or node_modules/electron/dist from a normal
// install, or a packaged test build (launch.ts). Our build machines have none, so it skips and says why.
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { formatCores, formatGiB } from '../../renderer/src/format.js';
import { SCREENSHOTS } from '../support/web-host.js';
import { launchApp, requireElectron } from './launch.js';

test('the desktop app walks from Welcome to System check in a hardened window', async () => {
  const { app, page, close } = await launchApp(requireElectron());
  try {
    await expect(page.getByRole('heading', { level: 1, name: 'Welcome' })).toBeVisible();
    expect(page.url()).toMatch(/^app:\/\/renderer\//);

    // The page sees the one preload object and nothing of Node or Electron.
    expect(await page.evaluate(() => ({
      api: typeof (window as unknown as Record<string, unknown>).llmdApi,
      process: typeof (window as unknown as Record<string, unknown>).process,
      require: typeof (window as unknown as Record<string, unknown>).require,
    }))).toEqual({ api: 'object', process: 'undefined', require: 'undefined' });

    const prefs = await app.evaluate(({ BrowserWindow }) => {
      // Not in the public typings, but present in Electron's WebContents (used by its own tooling).
      const wc = BrowserWindow.getAllWindows()[0]!.webContents as unknown as { getLastWebPreferences(): Record<string, unknown> | null };
      const p = wc.getLastWebPreferences();
      return p ? { contextIsolation: p.contextIsolation, sandbox: p.sandbox, nodeIntegration: p.nodeIntegration, webSecurity: p.webSecurity } : undefined;
    });
    expect(prefs).toEqual({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });

    await page.screenshot({ path: path.join(SCREENSHOTS, 'electron-welcome.png') });
    await page.getByRole('button', { name: 'Check this machine' }).click();
    await expect(page.getByTestId('fit-verdict')).toBeVisible({ timeout: 20_000 });
    await expect(page.getByTestId('fact-cpu-cores')).toContainText(formatCores(os.cpus().length));
    await expect(page.getByTestId('fact-memory')).toContainText(formatGiB(os.totalmem()));
    await page.screenshot({ path: path.join(SCREENSHOTS, 'electron-system-check.png') });

    // Navigation away from the app is refused.
    await page.evaluate(() => { window.location.href = 'https://example.com/'; });
    await page.waitForTimeout(300);
    expect(page.url()).toMatch(/^app:\/\/renderer\//);
  } finally {
    await close();
  }
});
