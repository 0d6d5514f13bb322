// A person opens the web UI, reads Welcome, goes to System check and sees this machine's real hardware
// and a fit verdict. The figures on the page must be the ones the engine reports — and those must be
// this machine's (cross-checked with Node's own os module).
import os from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import type { HostReport } from '../../shared/api/host.js';
import { formatCores, formatGB, formatGiB } from '../../renderer/src/format.js';
import { apiCall } from '../support/api.js';
import { SCREENSHOTS, startWebHostProcess, type RunningWebHost } from '../support/web-host.js';

let host: RunningWebHost;

test.beforeAll(async () => {
  host = await startWebHostProcess();
});
test.afterAll(async () => {
  await host?.stop();
});

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });

async function expectNoSeriousA11yViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}

test('walks from Welcome to System check and sees this machine’s real hardware', async ({ page }) => {
  await page.goto(host.url);
  await expect(page.getByRole('heading', { level: 1, name: 'Welcome' })).toBeVisible();
  // The token leaves the address bar once the page has it.
  await expect.poll(() => page.url()).not.toContain('token=');
  await expectNoSeriousA11yViolations(page);
  await shot(page, 'welcome');

  await page.getByRole('button', { name: 'Check this machine' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'System check' })).toBeVisible();
  await expect(page).toHaveURL(/#\/system-check$/);
  const verdict = page.getByTestId('fit-verdict');
  await expect(verdict).toBeVisible({ timeout: 20_000 });

  const report = (await apiCall(host.port, host.token, 'host.check')) as HostReport;
  const { facts, fit } = report;
  // The engine's figures are this machine's.
  expect(facts.cpuCores).toBe(os.cpus().length);
  expect(facts.memoryBytes).toBe(os.totalmem());
  expect(facts.diskPath.startsWith(path.parse(host.dataDir).root)).toBe(true);

  await expect(page.getByTestId('fact-cpu-cores')).toContainText(formatCores(os.cpus().length));
  await expect(page.getByTestId('fact-memory')).toContainText(formatGiB(os.totalmem()));
  await expect(page.getByTestId('fact-disk')).toContainText(formatGB(facts.diskFreeBytes));
  await expect(page.getByTestId('fact-os')).toContainText(facts.osName);
  await expect(page.getByTestId('fact-arch')).toContainText(facts.archLabel);
  await expect(page.getByTestId('fact-gpu')).toContainText(facts.gpu.nvidia ? 'Present' : 'None');
  await expect(page.getByTestId('fact-docker')).toContainText(facts.docker.installed ? 'Installed' : 'Not installed');
  await expect(page.getByTestId('fact-podman')).toContainText(facts.podman.installed ? 'Installed' : 'Not installed');
  await expect(verdict).toHaveAttribute('data-level', fit.level);
  await expect(verdict).toContainText(fit.summary);
  for (const advice of fit.advice) await expect(verdict).toContainText(advice);
  for (const c of fit.checks) await expect(page.getByTestId(`check-${c.resource}`)).toContainText(c.have);

  await expectNoSeriousA11yViolations(page);
  // The page scrolls inside its own pane: a tall window shows all of it in one picture.
  await page.setViewportSize({ width: 1280, height: 1300 });
  await shot(page, 'system-check');
  await page.setViewportSize({ width: 1280, height: 800 });

  // Re-check re-detects and keeps the page whole.
  await page.getByRole('button', { name: 'Check again' }).click();
  await expect(page.getByTestId('fact-cpu-cores')).toContainText(formatCores(os.cpus().length));
});

test('names every step; every step can be opened; the keyboard moves through them', async ({ page }) => {
  await page.goto(host.url);
  const rail = page.getByRole('navigation', { name: 'Setup steps' });
  for (const name of ['Welcome', 'System check', 'Prerequisites', 'Configure', 'Plan', 'Install', 'Cluster', 'Playground', 'Manage']) {
    await expect(rail.getByText(name, { exact: true })).toBeVisible();
  }
  // Every step has its page now: each is a button in the rail, none is marked upcoming.
  await expect(rail.getByRole('button')).toHaveCount(9);
  await expect(rail.locator('[aria-disabled="true"]')).toHaveCount(0);
  await expect(page.getByTestId('step-welcome')).toHaveAttribute('aria-current', 'step');

  await page.getByTestId('step-welcome').focus();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('step-system-check')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'System check' })).toBeFocused();
  await expect(page.getByTestId('step-system-check')).toHaveAttribute('aria-current', 'step');

  // Back in history returns to Welcome.
  await page.goBack();
  await expect(page.getByRole('heading', { level: 1, name: 'Welcome' })).toBeVisible();
});

for (const viewport of [{ width: 1024, height: 700 }, { width: 1440, height: 900 }]) {
  for (const theme of ['light', 'dark'] as const) {
    test(`reads well in the ${theme} theme at ${viewport.width}×${viewport.height}`, async ({ page }) => {
      await page.setViewportSize(viewport);
      await page.goto(host.url);
      await page.getByRole('button', { name: `${theme === 'dark' ? 'Dark' : 'Light'} theme` }).click();
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
      const size = `${viewport.width}x${viewport.height}`;
      await shot(page, `welcome-${theme}-${size}`);
      await page.getByTestId('step-system-check').click();
      await expect(page.getByTestId('fit-verdict')).toBeVisible({ timeout: 20_000 });
      // Nothing spills sideways at the smallest supported size.
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      await shot(page, `system-check-${theme}-${size}`);
      // The choice is remembered.
      await page.reload();
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    });
  }
}

test('shows the rehearsal banner on every page in rehearsal mode', async ({ page }) => {
  const rehearsal = await startWebHostProcess({ LLMD_REHEARSAL: '1' });
  try {
    await page.goto(rehearsal.url);
    const banner = page.getByTestId('rehearsal-banner');
    await expect(banner).toHaveText('Rehearsal — simulated cluster, nothing is installed');
    await page.getByTestId('step-system-check').click();
    await expect(page.getByRole('heading', { level: 1, name: 'System check' })).toBeVisible();
    await expect(banner).toBeVisible();
    await expect(page.getByTestId('fit-verdict')).toBeVisible({ timeout: 20_000 });
    await shot(page, 'rehearsal-system-check');
  } finally {
    await rehearsal.stop();
  }
});

test('without its token the page explains how to open it', async ({ page }) => {
  await page.goto(`http://127.0.0.1:${host.port}/`);
  await expect(page.getByRole('heading', { name: 'Open the link the installer printed' })).toBeVisible();
});
