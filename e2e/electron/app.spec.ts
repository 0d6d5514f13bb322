// The same journey as e2e/web/system-check.spec.ts through the real Electron shell (_electron.launch).
// Runs where an Electron binary exists: ELECTRON_PATH, or node_modules/electron/dist from a normal
// install. Our build machines have none (ELECTRON_SKIP_BINARY_DOWNLOAD=1), so it skips and says why.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import { formatCores, formatGiB } from '../../renderer/src/format.js';
import { ROOT, SCREENSHOTS } from '../support/web-host.js';

function electronBinary(): string | undefined {
  if (process.env.ELECTRON_PATH) return process.env.ELECTRON_PATH;
  const dist = path.join(ROOT, 'node_modules', 'electron', 'dist');
  const candidates = [path.join(dist, 'electron'), path.join(dist, 'Electron.app', 'Contents', 'MacOS', 'Electron'), path.join(dist, 'electron.exe')];
  return candidates.find((c) => fs.existsSync(c));
}

const SKIP_REASON = 'No Electron binary: set ELECTRON_PATH to one, or install electron without ELECTRON_SKIP_BINARY_DOWNLOAD (node_modules/electron/dist).';

test('the desktop app walks from Welcome to System check in a hardened window', async () => {
  const binary = electronBinary();
  if (!binary) console.log(`[electron spec skipped] ${SKIP_REASON}`);
  test.skip(!binary, SKIP_REASON);
  expect(fs.existsSync(path.join(ROOT, 'out', 'main', 'main.js')), 'run `npm run build` first').toBe(true);

  const dataDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'llmd-electron-'));
  const app = await electron.launch({ executablePath: binary!, args: [ROOT], cwd: ROOT, env: { ...process.env, LLMD_INSTALLER_HOME: dataDir } as Record<string, string> });
  try {
    const page = await app.firstWindow();
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
    await app.close();
    await fsp.rm(dataDir, { recursive: true, force: true });
  }
});
