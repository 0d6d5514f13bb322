// Every doctor rule's finding as a person sees it on Manage's Doctor panel, one screenshot per rule, in
// light and dark: the report is the real rules run over the gallery's snapshots (one per rule that makes
// it find what it looks for, electron/engine/doctor/gallery.testkit.ts), answered to the page in place of
// the engine's own doctor.run — every other request goes to the real web host. A rule's second shapes
// (GALLERY_VARIANTS) follow, in rounds of at most one per rule (the panel shows one result per rule).
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

type Variant = [key: string, v: (typeof GALLERY_VARIANTS)[string]];
const report = (variants: Variant[] = []): DoctorReport => ({
  at: new Date().toISOString(), release: 'gallery', gaps: [],
  results: RULES.map((rule) => runRule(rule, (variants.find(([, v]) => v.rule === rule.id)?.[1].make ?? GALLERY[rule.id]!)())),
});
const rounds = Object.entries(GALLERY_VARIANTS).reduce<Variant[][]>((acc, entry) => {
  const round = acc.find((r) => !r.some(([, v]) => v.rule === entry[1].rule));
  if (round) round.push(entry);
  else acc.push([entry]);
  return acc;
}, []);

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
  const shoot = async (items: Array<{ rule: string; file: string; summary?: string }>) => {
    for (const theme of ['light', 'dark'] as const) {
      await wizard.setTheme(theme);
      for (const { rule, file, summary } of items) {
        const item = panel.getByTestId(`doctor-${rule}`);
        await expect(item, rule).toHaveAttribute('data-outcome', 'finding');
        if (summary) await expect(item, file).toContainText(summary);
        const evidence = item.getByRole('button', { name: /Evidence/ });
        if ((await evidence.getAttribute('aria-expanded')) !== 'true') await evidence.click();
        await expect(item.locator('.evidence-lines').first()).toBeVisible();
        await item.scrollIntoViewIfNeeded();
        await item.screenshot({ path: path.join(SCREENSHOTS, `doctor-finding-${file}-${theme}.png`) });
      }
    }
  };
  await shoot(RULES.map((rule) => ({ rule: rule.id, file: rule.id })));
  for (const round of rounds) {
    gallery = report(round);
    await panel.getByRole('button', { name: /^(Run the doctor|Check again)$/ }).click();
    await shoot(round.map(([key, v]) => ({ rule: v.rule, file: key, summary: gallery.results.find((r) => r.id === v.rule)!.finding!.summary.slice(0, 40) })));
  }
  await wizard.expectAccessible();
});
