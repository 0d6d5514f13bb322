// Every wizard page with real data from the simulated world, in the light and the dark theme at the
// smallest supported window (1024×700) and a large one (1440×900): no serious or critical axe
// violation, nothing spilling sideways, a clean console (no error, CSP violation or failed request) and
// a screenshot of each for people to look at.
import { expect, test } from '@playwright/test';
import type { JournalView } from '../../shared/api/engine.js';
import { Wizard } from '../pages/wizard.js';
import { apiCall } from '../support/api.js';
import { guardConsole } from '../support/console-guard.js';
import { MIRROR_URL, startSimHost, type SimHost } from '../support/sim-host.js';

let sim: SimHost;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  sim = await startSimHost({ settings: { mirror: MIRROR_URL, cpus: 4, memoryMiB: 16384, diskGB: 50, replicas: 2 } });
  // Bring the setup up through the API (the journey spec does it through the pages).
  await apiCall(sim.port, sim.token, 'plan.run');
  await expect.poll(async () => ((await apiCall(sim.port, sim.token, 'journal.get')) as JournalView).journal?.status, { timeout: 200_000, intervals: [1000] }).toBe('succeeded');
});
test.afterAll(async () => {
  await sim?.dispose();
});

const PAGES = [
  ['welcome', 'Welcome'],
  ['system-check', 'System check'],
  ['prerequisites', 'Prerequisites'],
  ['configure', 'Configure'],
  ['plan', 'Plan'],
  ['install', 'Install'],
  ['cluster', 'Cluster'],
  ['manage', 'Manage'],
] as const;

/** What each page must show before it is judged: the engine's data, not a loading state. */
const READY: Record<string, string> = {
  'system-check': 'fit-verdict',
  prerequisites: 'prereqs-summary',
  configure: 'live-fit',
  plan: 'plan-summary',
  install: 'run-succeeded',
  cluster: 'smoke-test',
  manage: 'logs-dir',
};

for (const viewport of [{ width: 1024, height: 700 }, { width: 1440, height: 900 }]) {
  for (const theme of ['light', 'dark'] as const) {
    test(`every page reads well and passes axe in the ${theme} theme at ${viewport.width}×${viewport.height}`, async ({ page }) => {
      test.setTimeout(120_000);
      const guard = await guardConsole(page);
      const wizard = new Wizard(page);
      await page.setViewportSize(viewport);
      await page.goto(sim.url);
      await wizard.setTheme(theme);
      for (const [id, heading] of PAGES) {
        await wizard.open(id, heading);
        const ready = READY[id];
        if (ready) await expect(page.getByTestId(ready)).toBeVisible({ timeout: 20_000 });
        if (id === 'cluster') await expect(page.getByTestId('pods-summary')).toContainText(/(\d+) of \1 pods ready/);
        await wizard.expectRehearsalBanner();
        expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `${id} fits the width`).toBe(true);
        await wizard.expectAccessible();
        await wizard.screenshot(`${id}-${theme}-${viewport.width}x${viewport.height}`);
      }
      guard.expectClean();
    });
  }
}
