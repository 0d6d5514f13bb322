// Welcome → System check → Configure in the real desktop shell. Skips without an Electron binary (see launch.ts).
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { SCREENSHOTS } from '../support/web-host.js';
import { launchApp, requireElectron } from './launch.js';

test('a person goes from Welcome through System check to Configure in the desktop app', async () => {
  const target = requireElectron();
  const { page, close } = await launchApp(target);
  try {
    await expect(page.getByRole('heading', { level: 1, name: 'Welcome' })).toBeVisible();
    expect(new URL(page.url()).origin).toBe('app://renderer');

    await page.getByRole('button', { name: 'Check this machine' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'System check' })).toBeVisible();
    await expect(page.getByTestId('fit-verdict')).toBeVisible({ timeout: 20_000 });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'electron-journey-system-check.png') });

    // The step rail names every wizard step; Configure is reached from it once the machine was checked.
    await page.getByRole('navigation', { name: 'Setup steps' }).getByText('Configure', { exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Configure' })).toBeVisible();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'electron-journey-configure.png') });
    // Still the app origin: moving between steps never leaves app://renderer.
    expect(new URL(page.url()).origin).toBe('app://renderer');
  } finally {
    await close();
  }
});
