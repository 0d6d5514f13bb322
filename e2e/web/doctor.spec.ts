// The doctor in the browser (web host + sim): an install that fails because the second model server is
// OOMKilled shows the doctor's finding beside the failed step, with the evidence naming the pod; its
// one-click fix (1 replica) runs the install again and it finishes — the fix that recreates the cluster asks
// first, naming what is lost; on Manage the doctor then finds
// nothing wrong, and "Download diagnostics" writes the support bundle and the browser downloads it.
import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { InstallPage } from '../pages/install-page.js';
import { Wizard } from '../pages/wizard.js';
import { fixture, MIRROR_URL, startSimHost, type SimHost } from '../support/sim-host.js';

// 4 CPUs: the sim's scheduler counts requests (node.accountResources), and 2 replicas + the stack do not fit 2.
const SETTINGS = { mirror: MIRROR_URL, cpus: 4, memoryMiB: 16384, diskGB: 50, replicas: 2 };

let sim: SimHost | undefined;
test.afterAll(async () => {
  await sim?.dispose();
});

test('an OOMKilled replica: the finding beside the failed step, the one-click fix, then a healthy doctor and the diagnostics', async ({ page }) => {
  test.setTimeout(300_000);
  sim = await startSimHost({ scenario: fixture('oom-second-replica.yaml'), settings: SETTINGS });
  const wizard = new Wizard(page);
  const install = new InstallPage(page);
  await page.setViewportSize({ width: 1280, height: 800 });
  await wizard.startInstallFromPlan(sim.url);

  await install.expectStep('ready', 'failed', 180_000);
  const findings = page.getByTestId('step-findings');
  const oom = findings.getByTestId('doctor-oom-killed');
  await expect(oom).toContainText(/optimized-baseline-cpu-vllm-decode-[a-z0-9]+-[a-z0-9]{5} was OOMKilled/, { timeout: 30_000 });
  await oom.getByRole('button', { name: /Evidence/ }).click();
  await expect(oom).toContainText('OOMKilled (exit 137)');
  const fix = oom.getByTestId('fix-oom-killed-one-replica');
  await expect(fix).toContainText('Sets replicas from 2 to 1');
  await page.getByTestId('step-ready').scrollIntoViewIfNeeded();
  await wizard.expectAccessible();
  await wizard.screenshot('doctor-install-finding', { full: true });

  // A bigger cluster is one click too, but it deletes this one: it asks first, naming what is lost, and
  // cancelling (Escape, from the keyboard) leaves everything as it was.
  const bigger = oom.getByTestId('fix-oom-killed-more-cluster-memory');
  await expect(bigger).toContainText('Deletes the cluster "llm-d-cpu" and everything in it first');
  for (const [theme, width, height] of [['light', 1280, 720], ['dark', 1280, 720], ['light', 1024, 700], ['dark', 1366, 768], ['light', 1440, 900]] as const) {
    await page.setViewportSize({ width, height });
    await wizard.setTheme(theme);
    await bigger.getByRole('button', { name: 'Recreate the cluster with 4 CPUs / 24 GiB' }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Delete the cluster and create it again?' });
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText('minikube cannot resize a cluster');
    await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
    await wizard.expectAccessible();
    await wizard.screenshot(`doctor-recreate-confirm-${theme}-${width}`);
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
  }
  await expect(install.step('ready')).toHaveAttribute('data-state', 'failed');
  await page.setViewportSize({ width: 1280, height: 800 });

  await fix.getByRole('button', { name: 'Run 1 replica' }).click();
  await expect(install.step('ready')).not.toHaveAttribute('data-state', 'failed', { timeout: 30_000 });
  await install.expectFinished(180_000);
  await expect(install.step('ready')).toHaveAttribute('data-state', /^(done|skipped)$/);

  await wizard.open('manage', 'Manage');
  const panel = page.getByTestId('doctor-panel');
  // The Install page's report was of the failed run: ask again.
  const before = await page.getByTestId('doctor-summary').textContent().catch(() => null);
  await panel.getByRole('button', { name: /^(Run the doctor|Check again)$/ }).click();
  await expect(page.getByTestId('doctor-summary')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('doctor-summary')).not.toHaveText(before ?? '', { timeout: 30_000 });
  // A healthy install: no error; every rule passed or does not apply (the OOM that was fixed is history).
  const outcomes = await panel.locator('[data-testid^="doctor-"][data-outcome]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-testid'), e.getAttribute('data-outcome'), e.className]));
  expect(outcomes.length).toBeGreaterThanOrEqual(7);
  for (const [id, outcome, cls] of outcomes) expect(outcome === 'passed' || outcome === 'not-applicable' || !String(cls).includes('severity-error'), `${id} ${outcome}`).toBe(true);
  await panel.scrollIntoViewIfNeeded();
  await wizard.screenshot('doctor-manage-healthy', { full: true });

  const download = page.waitForEvent('download', { timeout: 30_000 });
  await page.getByTestId('bundle-panel').getByRole('button', { name: 'Download diagnostics' }).click();
  await expect(page.getByTestId('bundle-result')).toContainText(/llm-d-support-.*\.tar\.gz/, { timeout: 30_000 });
  // The browser got the archive itself, not only a path on the host: it is a gzip stream.
  const got = await download;
  expect(got.suggestedFilename()).toMatch(/^llm-d-support-.*\.tar\.gz$/);
  const bytes = await readFile((await got.path())!);
  expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]);
  await page.getByTestId('bundle-panel').scrollIntoViewIfNeeded();
  await wizard.screenshot('doctor-diagnostics-saved');
});
