// A rehearsal on a small host (issue 15): the host is too small for the guide's defaults, but the cluster
// is simulated, so Configure warns instead of blocking — Save works with the numbers as they are — and
// wherever the fit advice is shown (Configure's "Fit on this machine", the System check) one click fills
// the suggested CPUs, memory and replicas into the form. The small host is recorded facts
// (LLMD_HOST_FACTS), so the spec judges the same machine wherever it runs.
import fs from 'node:fs/promises';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { SettingsView } from '../../shared/api/settings.js';
import { ConfigurePage } from '../pages/configure-page.js';
import { Wizard } from '../pages/wizard.js';
import { apiCall } from '../support/api.js';
import { guardConsole } from '../support/console-guard.js';
import { GiB, recordedHost, startRehearsalHostWith } from '../support/host-facts.js';
import { SCREENSHOTS, type RunningWebHost } from '../support/web-host.js';

/** A 4-core laptop with 23.5 GiB: the defaults (8 CPUs, 24 GiB, 2 replicas) do not fit it. */
const SMALL_HOST = recordedHost({ cpuModel: 'small laptop', cpuCores: 4, memoryBytes: 23.5 * GiB });
/** What the advice says for it: 1 replica in 19 GiB (the host keeps 4 GiB), 4 CPUs. */
const SUGGESTED = { cpus: '4', memoryMiB: String(19 * 1024), replicas: '1' };
const SHOTS = [SCREENSHOTS, '/tmp/shots-fit'];

let host: RunningWebHost;

test.beforeAll(async () => {
  host = await startRehearsalHostWith(SMALL_HOST);
});
test.afterAll(async () => {
  await host?.stop();
});

async function shot(page: Page, name: string): Promise<void> {
  for (const dir of SHOTS) {
    await fs.mkdir(dir, { recursive: true });
    await page.screenshot({ path: path.join(dir, `${name}.png`) });
  }
}

const savedSettings = async () => ((await apiCall(host.port, host.token, 'settings.get')) as SettingsView).settings;

test('Configure warns about a small host in a rehearsal, saves anyway, and fills in the suggested values', async ({ page }) => {
  const guard = await guardConsole(page);
  const wizard = new Wizard(page);
  const configure = new ConfigurePage(page);
  await page.goto(`${host.url}#/configure`);
  await wizard.expectPage('Configure');
  await wizard.expectRehearsalBanner();
  const fit = configure.fit();
  await expect(fit).toHaveAttribute('data-level', 'does-not-fit', { timeout: 20_000 });

  // Too small for a real install — said on the fields, as warnings, not errors.
  for (const field of ['cpus', 'memoryMiB']) {
    await expect(configure.issue(field)).toHaveAttribute('data-severity', 'warning');
    await expect(configure.issue(field)).toContainText('Rehearsal only');
  }
  await expect(configure.field('CPUs')).not.toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('fit-rehearsal-note')).toBeVisible();
  await expect(page.getByTestId('fit-suggestion')).toContainText('4 CPUs · 19456 MiB memory · 1 replica');
  await expect(page.getByText('Saves with a rehearsal warning')).toBeVisible();
  await wizard.expectAccessible();

  // The advice shown, at the laptop sizes, in both themes.
  for (const viewport of [{ width: 1280, height: 720 }, { width: 1024, height: 700 }]) {
    await page.setViewportSize(viewport);
    for (const theme of ['light', 'dark'] as const) {
      await wizard.setTheme(theme);
      await page.getByTestId('fit-suggestion').scrollIntoViewIfNeeded();
      await shot(page, `fit-advice-configure-${theme}-${viewport.width}x${viewport.height}`);
    }
  }
  await wizard.setTheme('light');
  await page.setViewportSize({ width: 1280, height: 720 });

  // Save is allowed with the numbers as they are.
  const save = wizard.button('Save');
  await expect(save).toBeEnabled();
  await save.click();
  await expect(page.getByText('Saved', { exact: true })).toBeVisible();
  expect(await savedSettings()).toMatchObject({ cpus: 8, memoryMiB: 24576, replicas: 2 });

  // One click fills the suggested values into the form; the warnings go, and they can be saved.
  await wizard.button('Use the suggested values').click();
  await expect(configure.field('CPUs')).toHaveValue(SUGGESTED.cpus);
  await expect(configure.field('Memory (MiB)')).toHaveValue(SUGGESTED.memoryMiB);
  await expect(configure.field('Replicas')).toHaveValue(SUGGESTED.replicas);
  await expect(fit).not.toHaveAttribute('data-level', 'does-not-fit');
  await expect(configure.issue('cpus')).toHaveCount(0);
  await expect(configure.issue('memoryMiB')).toHaveCount(0);
  await expect(page.getByTestId('fit-suggestion')).toHaveCount(0);
  await save.click();
  await expect(page.getByText('Saved', { exact: true })).toBeVisible();
  expect(await savedSettings()).toMatchObject({ cpus: 4, memoryMiB: 19456, replicas: 1 });
  guard.expectClean();
});

test('the System check offers the same suggested values and takes them to Configure', async ({ page }) => {
  const guard = await guardConsole(page);
  const wizard = new Wizard(page);
  const configure = new ConfigurePage(page);
  // Back to the guide's defaults, so the System check's verdict and the form start from the same place.
  await apiCall(host.port, host.token, 'settings.save', { settings: {} });
  await page.goto(`${host.url}#/system-check`);
  await wizard.expectPage('System check');
  const verdict = page.getByTestId('fit-verdict');
  await expect(verdict).toHaveAttribute('data-level', 'does-not-fit', { timeout: 20_000 });
  // Automatic resolves to the driver the plan would use on this host (docker: podman is not installed).
  await expect(verdict).toContainText('Checked against: docker driver');
  await expect(verdict.getByTestId('fit-suggestion')).toContainText('4 CPUs · 19456 MiB memory · 1 replica');
  await shot(page, 'fit-advice-system-check-1280x720');

  await wizard.button('Use the suggested values in Configure').click();
  await wizard.expectPage('Configure');
  await expect(configure.field('CPUs')).toHaveValue(SUGGESTED.cpus);
  await expect(configure.field('Memory (MiB)')).toHaveValue(SUGGESTED.memoryMiB);
  await expect(configure.field('Replicas')).toHaveValue(SUGGESTED.replicas);
  await expect(configure.fit()).not.toHaveAttribute('data-level', 'does-not-fit', { timeout: 20_000 });
  // Filled in, not yet saved: the person still decides.
  expect(await savedSettings()).toMatchObject({ cpus: 8, memoryMiB: 24576, replicas: 2 });
  guard.expectClean();
});
