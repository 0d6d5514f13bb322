// Every doctor rule's finding as a person sees it on Manage's Doctor panel, one screenshot per rule, in
// light and dark: the report is the real rules run over the gallery's snapshots (one per rule that makes
// it find what it looks for, electron/engine/doctor/gallery.testkit.ts), answered to the page in place of
// the engine's own doctor.run — every other request goes to the real web host.
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { DoctorReport } from '../../shared/api/doctor.js';
import { GALLERY, GALLERY_VARIANTS } from '../../electron/engine/doctor/gallery.testkit.js';
import { RULES } from '../../electron/engine/doctor/rules/index.js';
import { runRule } from '../../electron/engine/doctor/run.js';
import { Wizard } from '../pages/wizard.js';
import { startSimHost, type SimHost } from '../support/sim-host.js';
import { SCREENSHOTS } from '../support/web-host.js';

let sim: SimHost | undefined;
test.afterAll(async () => {
  await sim?.dispose();
});

/** The gallery's report; a variant (GALLERY_VARIANTS) replaces its rule's result with its own finding. */
const report = (variant?: { rule: string; make: () => ReturnType<typeof GALLERY[string]> }): DoctorReport => ({
  at: new Date().toISOString(), release: 'gallery', gaps: [],
  results: RULES.map((rule) => runRule(rule, (variant?.rule === rule.id ? variant.make : GALLERY[rule.id]!)())),
});

test('each rule’s finding on the Doctor panel: summary, evidence and fixes, readable in light and dark', async ({ page }) => {
  test.setTimeout(120_000);
  sim = await startSimHost();
  let gallery = report();
  // Forward the page's socket to the real host, except doctor.run, which gets the gallery's report.
  await page.routeWebSocket(/\/api\?token=/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((message) => {
      const frame = JSON.parse(String(message)) as { id?: unknown; method?: string };
      if (frame.method === 'doctor.run') ws.send(JSON.stringify({ id: frame.id, result: { ok: true, value: gallery } }));
      else server.send(message);
    });
    server.onMessage((message) => ws.send(message));
  });
  const wizard = new Wizard(page);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${sim.url}#/manage`);
  await wizard.expectPage('Manage');
  const panel = page.getByTestId('doctor-panel');
  await panel.getByRole('button', { name: /^(Run the doctor|Check again)$/ }).click();
  for (const theme of ['light', 'dark'] as const) {
    await wizard.setTheme(theme);
    for (const rule of RULES) {
      const item = panel.getByTestId(`doctor-${rule.id}`);
      await expect(item, rule.id).toHaveAttribute('data-outcome', 'finding');
      const evidence = item.getByRole('button', { name: /Evidence/ });
      if ((await evidence.getAttribute('aria-expanded')) !== 'true') await evidence.click();
      await expect(item.locator('.evidence-lines').first()).toBeVisible();
      await item.scrollIntoViewIfNeeded();
      await item.screenshot({ path: path.join(SCREENSHOTS, `doctor-finding-${rule.id}-${theme}.png`) });
    }
  }
  // A rule's other findings (the image pull's other reasons): the doctor run again answers each variant.
  for (const theme of ['light', 'dark'] as const) {
    await wizard.setTheme(theme);
    for (const [id, variant] of Object.entries(GALLERY_VARIANTS)) {
      gallery = report(variant);
      const summary = gallery.results.find((r) => r.id === variant.rule)!.finding!.summary;
      await panel.getByRole('button', { name: /^(Run the doctor|Check again)$/ }).click();
      const item = panel.getByTestId(`doctor-${variant.rule}`);
      await expect(item, id).toContainText(summary);
      const evidence = item.getByRole('button', { name: /Evidence/ });
      if ((await evidence.getAttribute('aria-expanded')) !== 'true') await evidence.click();
      await expect(item.locator('.evidence-lines').first()).toBeVisible();
      await item.scrollIntoViewIfNeeded();
      await item.screenshot({ path: path.join(SCREENSHOTS, `doctor-finding-${id}-${theme}.png`) });
    }
  }
  await wizard.expectAccessible();
});
