// A new user's first look: on each page before the install, at the common laptop and desktop window
// sizes, the page's primary action is really clickable with the mouse (nothing — such as Configure's
// sticky "Fit on this machine" panel — lies over its centre once it is scrolled into view), and the
// console stays clean (no 404, no CSP violation). One web host and one simulated world for all sizes.
import { expect, test } from '@playwright/test';
import { Wizard } from '../pages/wizard.js';
import { guardConsole } from '../support/console-guard.js';
import { MIRROR_URL, startSimHost, type SimHost } from '../support/sim-host.js';

let sim: SimHost;

test.beforeAll(async () => {
  sim = await startSimHost({ settings: { mirror: MIRROR_URL, cpus: 4, memoryMiB: 16384, diskGB: 50, replicas: 2 } });
});
test.afterAll(async () => {
  await sim?.dispose();
});

const PAGES = [
  ['welcome', 'Welcome', null],
  ['system-check', 'System check', 'fit-verdict'],
  ['prerequisites', 'Prerequisites', 'prereqs-summary'],
  ['configure', 'Configure', 'live-fit'],
  ['plan', 'Plan', 'plan-summary'],
] as const;

const VIEWPORTS = [
  { width: 1024, height: 700 },
  { width: 1280, height: 720 },
  { width: 1366, height: 768 },
  { width: 1440, height: 900 },
];

test('every page’s primary action is clickable at common window sizes, with a clean console', async ({ page }) => {
  test.setTimeout(120_000);
  const guard = await guardConsole(page);
  const wizard = new Wizard(page);
  await page.goto(sim.url);
  for (const viewport of VIEWPORTS) {
    await page.setViewportSize(viewport);
    for (const [id, heading, ready] of PAGES) {
      await wizard.open(id, heading);
      if (ready) await expect(page.getByTestId(ready)).toBeVisible({ timeout: 20_000 });
      const primary = page.getByRole('main').locator('.button.primary').last();
      await expect(primary).toBeVisible();
      const hit = await primary.evaluate((el) => {
        el.scrollIntoView({ block: 'nearest' });
        const r = el.getBoundingClientRect();
        const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        return top && el.contains(top) ? 'ok' : `covered by ${top ? `${top.tagName.toLowerCase()}.${[...top.classList].join('.')} "${(top.textContent ?? '').trim().slice(0, 40)}"` : 'nothing (outside the window)'}`;
      });
      if (hit !== 'ok' && id === 'configure') await wizard.screenshot(`configure-covered-${viewport.width}x${viewport.height}`);
      expect(hit, `${id}: "${(await primary.textContent())?.trim()}" at ${viewport.width}×${viewport.height}`).toBe('ok');
      if (id === 'configure' && viewport.width === 1280) await wizard.screenshot('configure-actions-1280x720');
    }
  }
  guard.expectClean();
});

// Runs after the test above (same world): the install's log terminal (xterm.js) must not trip the CSP
// with the <style> elements it would create, and must still get its colours.
test('the install log terminal renders under the CSP without a violation', async ({ page }) => {
  test.setTimeout(90_000);
  const guard = await guardConsole(page);
  const wizard = new Wizard(page);
  await page.goto(sim.url);
  await wizard.open('install', 'Install');
  await wizard.button(/Start the install/).click();
  await expect(page.locator('.xterm-rows')).toContainText('[prerequisites]', { timeout: 30_000 });
  expect(await page.locator('.xterm style').count(), 'xterm created no <style> element').toBe(0);
  guard.expectClean();
});
