// The console guard the journeys end with (e2e/support/console-guard.ts) must really fail a journey: on the
// real app under its real CSP, a page that opened clean, then a planted console.error, an injected
// <style> and <script> (the CSP violations the terminal and an inline script once caused) and a request
// for something that is not there (the 404 every page once showed) — each is reported, and expectClean fails.
import { expect, test } from '@playwright/test';
import { Wizard } from '../pages/wizard.js';
import { guardConsole } from '../support/console-guard.js';
import { MIRROR_URL, startSimHost, type SimHost } from '../support/sim-host.js';

let sim: SimHost;
test.beforeAll(async () => {
  sim = await startSimHost({ settings: { mirror: MIRROR_URL } });
});
test.afterAll(async () => {
  await sim?.dispose();
});

test('a planted console error, CSP violations and a failed request each fail the journey’s console check', async ({ page }) => {
  const guard = await guardConsole(page);
  const wizard = new Wizard(page);
  await page.goto(sim.url);
  await wizard.expectPage('Welcome');
  // The app itself opens clean: what follows is only what was planted.
  expect(guard.problems).toEqual([]);
  guard.expectClean();

  await page.evaluate(() => console.error('planted: something broke'));
  await page.evaluate(() => {
    const style = document.createElement('style');
    style.textContent = '.planted { color: red }';
    document.head.append(style);
    const script = document.createElement('script');
    script.textContent = 'window.planted = 1';
    document.head.append(script);
  });
  await page.evaluate(() => fetch(new URL('/planted-missing-asset.js', location.href)).then(() => undefined, () => undefined));

  const reported = (text: string) => () => guard.problems.some((p) => p.includes(text));
  await expect.poll(reported('planted: something broke')).toBe(true);
  await expect.poll(reported('[csp-violation] style-src-elem')).toBe(true);
  await expect.poll(reported('[csp-violation] script-src-elem')).toBe(true);
  await expect.poll(reported('/planted-missing-asset.js')).toBe(true);
  expect(guard.problems.find((p) => p.includes('planted-missing-asset'))).toMatch(/^HTTP 4\d\d GET /);
  expect(() => guard.expectClean()).toThrow(/no console errors, CSP violations or failed requests/);
});
