// Pages other than Welcome are separate chunks (renderer/src/lazy-page.tsx). When one cannot be
// fetched — a web host rebuilt under an open tab, a hiccup — the app says so in the page pane and
// recovers once the chunk is reachable again, instead of unmounting into a blank window.
import { expect, test } from '@playwright/test';
import { Wizard } from '../pages/wizard.js';
import { startSimHost, type SimHost } from '../support/sim-host.js';

let sim: SimHost;

test.beforeAll(async () => {
  sim = await startSimHost();
});
test.afterAll(async () => {
  await sim?.dispose();
});

test('a page whose chunk cannot be fetched says so, and comes up once it can', async ({ page }) => {
  const chunk = /\/assets\/SystemCheck-[\w-]+\.js$/;
  await page.route(chunk, (route) => route.abort('connectionrefused'));
  const wizard = new Wizard(page);
  await page.goto(sim.url);
  await wizard.expectPage('Welcome');
  await page.getByTestId('step-system-check').first().click();
  await expect(page.getByRole('main').getByRole('alert')).toContainText('This page could not be loaded');
  // The rest of the app is still there.
  await expect(wizard.rail()).toBeVisible();

  await page.unroute(chunk);
  await wizard.button('Try again').click();
  await wizard.expectPage('System check');
});

test('the other pages are fetched only once the Welcome page is up, and then without a click', async ({ page }) => {
  // The page marks when the top bar first shows the engine's version (the Welcome page is up).
  await page.addInitScript(() => {
    new MutationObserver((_m, obs) => {
      if (!document.querySelector('.brand-version')) return;
      performance.mark('welcome-up');
      obs.disconnect();
    }).observe(document, { subtree: true, childList: true });
  });
  await page.goto(sim.url);
  await new Wizard(page).expectPage('Welcome');
  // The idle preload fetches the Install page's chunk (and the terminal's) without any navigation.
  await expect.poll(() => page.evaluate(() => performance.getEntriesByType('resource').some((e) => /\/Terminal-[\w-]+\.js$/.test(e.name)))).toBe(true);
  const early = await page.evaluate(() => {
    const up = performance.getEntriesByName('welcome-up')[0]?.startTime;
    if (up === undefined) return ['(the Welcome page never showed the version)'];
    return performance.getEntriesByType('resource')
      .filter((e) => /\/assets\/(SystemCheck|Prerequisites|Configure|Plan|Install|Cluster|Playground|Manage|Terminal)-[\w-]+\.js$/.test(e.name) && e.startTime < up)
      .map((e) => e.name);
  });
  expect(early, 'page chunks fetched before the Welcome page was up').toEqual([]);
});
