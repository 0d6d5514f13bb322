// A person's whole journey in rehearsal (web host + simulated world, fast scenario): a fresh machine →
// System check → Prerequisites installed from the mirror → Configure (1 replica, then 2) → the Plan
// reviewed → Install → every pod Ready 2/2 → the smoke test's answer → Teardown (delete the cluster) →
// a clean state again. A screenshot of every page is saved with the results.
import { expect, test } from '@playwright/test';
import { ConfigurePage } from '../pages/configure-page.js';
import { InstallPage } from '../pages/install-page.js';
import { PlanPage } from '../pages/plan-page.js';
import { PrerequisitesPage } from '../pages/prerequisites-page.js';
import { Wizard } from '../pages/wizard.js';
import { apiCall } from '../support/api.js';
import { MIRROR_URL, startSimHost, type SimHost } from '../support/sim-host.js';

let sim: SimHost;
test.beforeAll(async () => {
  sim = await startSimHost();
});
test.afterAll(async () => {
  await sim?.dispose();
});

test('a person sets up llm-d on a fresh machine, chats once, and takes it all down again', async ({ page }) => {
  test.setTimeout(300_000);
  const wizard = new Wizard(page);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(sim.url);
  await wizard.expectPage('Welcome');
  await wizard.expectRehearsalBanner();

  // System check.
  await page.getByRole('button', { name: 'Check this machine' }).click();
  await wizard.expectPage('System check');
  await expect(page.getByTestId('fit-verdict')).toBeVisible({ timeout: 20_000 });
  await wizard.button('Prerequisites').click();

  // Prerequisites: the mirror is where this machine downloads from (set once, as an organisation would).
  await apiCall(sim.port, sim.token, 'settings.save', { settings: { mirror: MIRROR_URL } });
  const prereqs = new PrerequisitesPage(page);
  await wizard.expectPage('Prerequisites');
  await wizard.button('Check again').click();
  await prereqs.expectTool('docker', 'found');
  for (const tool of ['minikube', 'helm', 'helmfile']) await prereqs.expectTool(tool, 'missing');
  await wizard.expectAccessible();
  await wizard.screenshot('journey-1-prerequisites-missing', { full: true });
  await prereqs.installAllMissing();
  await prereqs.expectAllReady();
  for (const tool of ['minikube', 'helm', 'helmfile']) await prereqs.expectTool(tool, 'found');
  await expect(prereqs.log()).toContainText('lines');
  await wizard.screenshot('journey-2-prerequisites-installed', { full: true });

  // Configure: this machine has 2 cores — 1 replica first, then 2.
  await wizard.button('Configure').click();
  await wizard.expectPage('Configure');
  const configure = new ConfigurePage(page);
  await configure.set('CPUs', '2');
  await configure.set('Memory (MiB)', '16384');
  await configure.set('Disk (GB)', '50');
  await configure.set('Replicas', '1');
  await configure.expectFitFor(1);
  await wizard.expectAccessible();
  await wizard.screenshot('journey-3-configure-1-replica', { full: true });
  await configure.set('Replicas', '2');
  await configure.expectFitFor(2);
  await configure.saveAndReviewPlan();

  // Plan.
  await wizard.expectPage('Plan');
  const plan = new PlanPage(page);
  await plan.expectSteps(2);
  await wizard.expectAccessible();
  await wizard.screenshot('journey-4-plan', { full: true });
  await plan.startInstall();

  // Install.
  await wizard.expectPage('Install');
  const install = new InstallPage(page);
  await install.expectFinished(240_000);
  await wizard.expectAccessible();
  await wizard.screenshot('journey-5-install-done', { full: true });
});
