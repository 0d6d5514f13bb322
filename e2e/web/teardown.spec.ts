// A teardown shows itself, not the install: after an install in the simulated world, tearing down from
// Manage opens the Teardown page (Manage lit in the rail) with only the steps that have something to
// undo, its own count and outcome, and actions that fit after a teardown — never the install's steps,
// "Already done" states or "Run the plan again". Screenshots in both themes at two window sizes.
import { expect, test } from '@playwright/test';
import type { JournalView, PlanDescription } from '../../shared/api/engine.js';
import { InstallPage } from '../pages/install-page.js';
import { ManagePage } from '../pages/manage-page.js';
import { Wizard } from '../pages/wizard.js';
import { apiCall } from '../support/api.js';
import { guardConsole } from '../support/console-guard.js';
import { MIRROR_URL, startSimHost, type SimHost } from '../support/sim-host.js';

let sim: SimHost;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  // 3 CPUs: the sim's scheduler counts requests; the stack and one replica request 2500m.
  sim = await startSimHost({ settings: { mirror: MIRROR_URL, cpus: 3, memoryMiB: 16384, diskGB: 50, replicas: 1 } });
  // The install through the API (the journey spec does it through the pages).
  await apiCall(sim.port, sim.token, 'plan.run');
  await expect.poll(async () => ((await apiCall(sim.port, sim.token, 'journal.get')) as JournalView).journal?.status, { timeout: 200_000, intervals: [1000] }).toBe('succeeded');
});
test.afterAll(async () => {
  await sim?.dispose();
});

test('tearing down shows the teardown’s own steps and outcome, under Manage', async ({ page }) => {
  test.setTimeout(150_000);
  const guard = await guardConsole(page);
  const wizard = new Wizard(page);
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(sim.url);
  await wizard.open('manage', 'Manage');
  const manage = new ManagePage(page);
  await manage.askToTearDown();
  await manage.confirm();

  await wizard.expectPage('Teardown');
  await expect(page).toHaveURL(/#\/teardown$/);
  await new InstallPage(page).expectFinished(120_000);
  await expect(wizard.rail().getByRole('button', { name: /Manage/ })).toHaveAttribute('aria-current', 'step');
  await expect(wizard.rail().getByRole('button', { name: /Install/ })).not.toHaveAttribute('aria-current', 'step');

  // Its own steps: those the journal says it undid — none of the install-only ones.
  const journal = (await apiCall(sim.port, sim.token, 'journal.get')) as JournalView;
  expect(journal.journal?.kind).toBe('down');
  const undone = journal.journal!.steps.filter((s) => s.state === 'done').map((s) => s.id);
  const skipped = journal.journal!.steps.filter((s) => s.state === 'skipped').map((s) => s.id);
  expect(undone).toEqual(expect.arrayContaining(['stack', 'access']));
  expect(skipped).toEqual(expect.arrayContaining(['smoke-test', 'host-check']));
  const timeline = page.getByTestId('timeline');
  await expect(timeline.getByRole('listitem')).toHaveCount(undone.length);
  for (const id of undone) await expect(timeline.getByTestId(`step-${id}`)).toHaveAttribute('data-state', 'done');
  for (const id of skipped) await expect(timeline.getByTestId(`step-${id}`)).toHaveCount(0);
  const plan = (await apiCall(sim.port, sim.token, 'plan.describe')) as PlanDescription;
  const stackTitle = plan.steps.find((s) => s.id === 'stack')!.title;
  await expect(timeline.getByTestId('step-stack')).toContainText(`Undo: ${stackTitle}`);
  await expect(timeline).toContainText('Undone');
  await expect(timeline).not.toContainText('Already done');
  await expect(page.getByTestId('overall-count')).toHaveText(`${undone.length} of ${undone.length} steps undone`);

  // What fits after a teardown.
  await expect(page.getByTestId('run-succeeded')).toContainText('Teardown finished');
  await expect(wizard.button('Run the plan again')).toHaveCount(0);
  await expect(wizard.button('Back to the start')).toBeVisible();
  await expect(wizard.button('Install again')).toBeVisible();
  await wizard.expectAccessible();

  for (const viewport of [{ width: 1280, height: 720 }, { width: 1024, height: 700 }]) {
    await page.setViewportSize(viewport);
    for (const theme of ['light', 'dark'] as const) {
      await wizard.setTheme(theme);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'the page fits the width').toBe(true);
      await wizard.screenshot(`teardown-${theme}-${viewport.width}x${viewport.height}`);
    }
  }

  // The Install page no longer claims the teardown as its own run.
  await wizard.open('install', 'Install');
  await expect(page.getByTestId('other-run')).toContainText('The last run was a teardown');
  await expect(page.getByTestId('overall-count')).toHaveText(/^0 of \d+ steps finished$/);
  await wizard.screenshot('install-after-teardown');

  await wizard.open('manage', 'Manage');
  guard.expectClean();
});
