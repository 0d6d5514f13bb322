// Issue 13 follow-up: the settings the doctor's one-click fixes change (the model server's memory limit and
// KV cache after an OOMKilled, the wait after "keep waiting") are on Configure → Model → Advanced. A person
// opens the group with the keyboard, sets a memory limit (checked by the Settings schema as typed), sees the
// Model hint and the fit count it, saves, reloads and finds it kept (the group open by itself), sees the Plan
// name it, and resets it. A rehearsal on recorded host facts big enough for the defaults, so the fit is the
// same wherever the spec runs.
import fs from 'node:fs/promises';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { SettingsView } from '../../shared/api/settings.js';
import { ConfigurePage } from '../pages/configure-page.js';
import { Wizard } from '../pages/wizard.js';
import { apiCall } from '../support/api.js';
import { guardConsole } from '../support/console-guard.js';
import { startRehearsalHostWith, WORKSTATION } from '../support/host-facts.js';
import { SCREENSHOTS, type RunningWebHost } from '../support/web-host.js';

/** A 16-core, 64 GiB workstation: the guide's defaults (and a raised limit) fit it. */
const BIG_HOST = WORKSTATION;
const LIMIT = 'Memory limit per replica (GiB)';

let host: RunningWebHost;

test.beforeAll(async () => {
  host = await startRehearsalHostWith(BIG_HOST);
});
test.afterAll(async () => {
  await host?.stop();
});

const savedSettings = async () => ((await apiCall(host.port, host.token, 'settings.get')) as SettingsView).settings;

/** primary-actions.spec.ts's check: once scrolled into view, nothing lies over the button's centre. */
async function expectClickable(page: Page, name: string): Promise<void> {
  const button = page.getByRole('main').getByRole('button', { name, exact: true });
  await expect(button).toBeVisible();
  const hit = await button.evaluate((el) => {
    el.scrollIntoView({ block: 'nearest' });
    const r = el.getBoundingClientRect();
    const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return top && el.contains(top) ? 'ok' : `covered by ${top ? `${top.tagName.toLowerCase()}.${[...top.classList].join('.')}` : 'nothing (outside the window)'}`;
  });
  expect(hit, `"${name}" at ${JSON.stringify(page.viewportSize())}`).toBe('ok');
}

test('sets the model server’s memory limit under Advanced, keeps it across a reload, shows it on the Plan, and resets it', async ({ page }) => {
  test.setTimeout(120_000);
  const guard = await guardConsole(page);
  const wizard = new Wizard(page);
  const configure = new ConfigurePage(page);
  await apiCall(host.port, host.token, 'settings.save', { settings: {} });
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(`${host.url}#/configure`);
  await wizard.expectPage('Configure');
  await expect(configure.fit()).toHaveAttribute('data-level', /^(fits|tight)$/, { timeout: 20_000 });

  // Closed by default (nothing set); opened with the keyboard.
  const toggle = page.getByRole('button', { name: /^Advanced: memory limit/ });
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await expect(configure.field(LIMIT)).toBeHidden();
  await toggle.focus();
  await page.keyboard.press('Enter');
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  const limit = configure.field(LIMIT);
  await expect(limit).toHaveAttribute('placeholder', '6');
  await expect(page.getByTestId('model-server-memoryLimitGi-default')).toContainText('Empty: 6 GiB, the model’s.');
  await expect(page.getByTestId('model-server-kvCacheGiB')).toBeVisible();
  await expect(page.getByTestId('model-server-decodeWaitMinutes')).toBeVisible();

  // The schema's bound, said as it is typed, blocks saving.
  await limit.fill('0');
  await expect(configure.issue('memoryLimitGi')).toHaveText('must be at least 1 GiB');
  await expect(limit).toHaveAttribute('aria-invalid', 'true');
  await expect(wizard.button('Save')).toBeDisabled();

  // A valid limit: the Model hint and the fit count it.
  await limit.fill('8');
  await expect(configure.issue('memoryLimitGi')).toHaveCount(0);
  await expect(page.getByText('8 GiB per replica (limit, yours under Advanced; the model’s is 6)')).toBeVisible();
  await expect(page.getByText('2 × 8 GiB = 16 GiB of the cluster’s memory')).toBeVisible();
  await expect(configure.fit()).toContainText('2 × 8 GiB replicas');
  await expect(page.getByTestId('model-server-advanced-summary')).toHaveText('1 of your own');
  await wizard.expectAccessible();

  // The group open at the laptop sizes, in both themes; Save stays clickable at each.
  for (const viewport of [{ width: 1280, height: 720 }, { width: 1024, height: 700 }]) {
    await page.setViewportSize(viewport);
    for (const theme of ['light', 'dark'] as const) {
      await wizard.setTheme(theme);
      // The whole group from its heading down, as a person scrolls to it.
      await toggle.evaluate((el) => el.scrollIntoView({ block: 'start' }));
      await fs.mkdir(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: path.join(SCREENSHOTS, `configure-advanced-${theme}-${viewport.width}x${viewport.height}.png`) });
    }
    await expectClickable(page, 'Save');
    await expectClickable(page, 'Save and review the plan');
  }
  await wizard.setTheme('light');
  await page.setViewportSize({ width: 1280, height: 720 });

  await wizard.button('Save').click();
  await expect(page.getByText('Saved', { exact: true })).toBeVisible();
  expect(await savedSettings()).toMatchObject({ memoryLimitGi: 8 });

  // Reloaded: the value is kept, and the group opens by itself to show it.
  await page.reload();
  await wizard.expectPage('Configure');
  await expect(page.getByRole('button', { name: /^Advanced: memory limit/ })).toHaveAttribute('aria-expanded', 'true');
  await expect(configure.field(LIMIT)).toHaveValue('8');

  // The Plan names it for whoever reviews it.
  await wizard.button('Save and review the plan').click();
  await wizard.expectPage('Plan');
  await expect(page.getByTestId('plan-overrides')).toContainText('memory limit 8 GiB per replica (default 6 GiB)', { timeout: 20_000 });
  await page.getByTestId('plan-summary').scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(SCREENSHOTS, 'configure-advanced-plan-1280x720.png') });

  // Reset to the model's default, saved: the setting is gone, and the Plan says nothing of it.
  await wizard.open('configure', 'Configure');
  await page.getByRole('button', { name: `Reset ${LIMIT} to default` }).click();
  await expect(configure.field(LIMIT)).toHaveValue('');
  await expect(configure.field(LIMIT)).toBeFocused();
  await expect(page.getByText('6 GiB per replica (limit), 2 GiB requested', { exact: false })).toBeVisible();
  await wizard.button('Save').click();
  await expect(page.getByText('Saved', { exact: true })).toBeVisible();
  expect(await savedSettings()).not.toHaveProperty('memoryLimitGi');
  await expect(page.getByRole('button', { name: /^Advanced: memory limit/ })).toHaveAttribute('aria-expanded', 'true');
  await wizard.open('plan', 'Plan');
  await expect(page.getByTestId('plan-summary')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('plan-overrides')).toHaveCount(0);
  guard.expectClean();
});

test('a doctor fix’s wait shows on Configure by itself, with the release’s default beside it', async ({ page }) => {
  const guard = await guardConsole(page);
  const wizard = new Wizard(page);
  const configure = new ConfigurePage(page);
  // What the doctor's "keep waiting" writes (decode-starting.ts): one setting, then the install again.
  await apiCall(host.port, host.token, 'settings.save', { settings: { decodeWaitMinutes: 40 } });
  await page.goto(`${host.url}#/configure`);
  await wizard.expectPage('Configure');
  await expect(page.getByRole('button', { name: /^Advanced: memory limit/ })).toHaveAttribute('aria-expanded', 'true');
  const wait = configure.field('Wait for the model servers (minutes)');
  await expect(wait).toHaveValue('40');
  await expect(page.getByTestId('model-server-decodeWaitMinutes-default')).toContainText(/Yours replaces the default\. Empty: \d+ min/);
  guard.expectClean();
});
