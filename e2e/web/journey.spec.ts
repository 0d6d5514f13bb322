// A person's whole journey in rehearsal (web host + simulated world, fast scenario): a fresh machine →
// System check → Prerequisites installed from the mirror → Configure (1 replica, then 2) → the Plan
// reviewed → Install → every pod Ready 2/2 → the smoke test's answer → Teardown (delete the cluster) →
// a clean state again, with a clean console all along (no error, CSP violation or failed request). A
// screenshot of every page is saved with the results.
import { expect, test } from '@playwright/test';
import type { AccessStatus } from '../../shared/api/cluster.js';
import { ClusterPage } from '../pages/cluster-page.js';
import { ConfigurePage } from '../pages/configure-page.js';
import { InstallPage } from '../pages/install-page.js';
import { ManagePage } from '../pages/manage-page.js';
import { PlanPage } from '../pages/plan-page.js';
import { PrerequisitesPage } from '../pages/prerequisites-page.js';
import { Wizard } from '../pages/wizard.js';
import { apiCall } from '../support/api.js';
import { guardConsole } from '../support/console-guard.js';
import { MIRROR_URL, startSimHost, type SimHost } from '../support/sim-host.js';

let sim: SimHost;
test.beforeAll(async () => {
  // The mirror is where this machine downloads from (set once, as an organisation would).
  // The guide's release (Istio gateway, 2/2 decode pods); today's llm-d has its own journey (release-09.spec.ts).
  sim = await startSimHost({ settings: { mirror: MIRROR_URL, release: 'llm-d-0.4-cpu-guide' } });
});
test.afterAll(async () => {
  await sim?.dispose();
});

test('a person sets up llm-d on a fresh machine, chats once, and takes it all down again', async ({ page }) => {
  test.setTimeout(300_000);
  const guard = await guardConsole(page);
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

  // Prerequisites: a fresh machine has docker only; the rest comes from the mirror.
  const prereqs = new PrerequisitesPage(page);
  await wizard.expectPage('Prerequisites');
  await expect(page.getByTestId('prereqs-summary')).toContainText(MIRROR_URL);
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
  // 4 CPUs: the sim's scheduler counts requests (node.accountResources); 2 replicas and the stack do not fit 2.
  await configure.set('CPUs', '4');
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
  await install.expectStep('smoke-test', 'done');
  await expect(page.getByTestId('overall-count')).toContainText(/(\d+) of \1 steps finished/);
  await wizard.expectAccessible();
  await wizard.screenshot('journey-5-install-done', { full: true });

  // Cluster: every pod Ready, the decode replicas 2/2; the smoke test's answer; Grafana's forward; a log.
  await wizard.button('Cluster').click();
  await wizard.expectPage('Cluster');
  const cluster = new ClusterPage(page);
  await cluster.expectAllReady();
  await expect(page.getByTestId('pods-namespaces')).toHaveText('Namespaces llm-d-cpu-inference, istio-system and llm-d-monitoring · updates as they change');
  const decode = cluster.decodePods();
  await expect(decode).toHaveCount(2);
  for (const row of await decode.all()) await expect(row).toHaveAttribute('data-ready', '2/2');
  await expect(cluster.smokeReply()).not.toBeEmpty();
  const access = (await apiCall(sim.port, sim.token, 'access.status')) as AccessStatus;
  await expect(cluster.smokeReply()).toHaveText(access.smokeTest!.reply);
  await cluster.openForward('Grafana');
  await expect(cluster.forward('grafana').getByRole('link')).toHaveText(/http:\/\/127\.0\.0\.1:\d+/, { timeout: 30_000 });
  await cluster.showLog();
  await expect(page.getByTestId('pod-log')).toContainText(/[1-9]\d* lines?/, { timeout: 20_000 });
  await wizard.expectAccessible();
  await wizard.screenshot('journey-6-cluster', { full: true });

  // Manage: delete the cluster, after a confirmation naming what goes.
  await wizard.open('manage', 'Manage');
  const manage = new ManagePage(page);
  await expect(manage.logsDir()).toContainText(sim.dataDir);
  await wizard.expectAccessible();
  await wizard.screenshot('journey-7-manage', { full: true });
  await manage.chooseDeleteCluster();
  await manage.askToTearDown();
  await expect(manage.confirmation()).toContainText('llm-d-cpu-inference');
  await expect(manage.confirmation()).toContainText('minikube cluster llm-d-cpu');
  await wizard.expectAccessible();
  await wizard.screenshot('journey-8-teardown-confirm');
  await manage.confirm();
  await wizard.expectPage('Teardown');
  await install.expectFinished(120_000);
  await wizard.screenshot('journey-9-teardown-done', { full: true });

  // Back to a clean state: no cluster, no forward left.
  await wizard.open('cluster', 'Cluster');
  await expect(page.getByTestId('cluster-unreachable')).toBeVisible({ timeout: 20_000 });
  const after = (await apiCall(sim.port, sim.token, 'access.status')) as AccessStatus;
  expect(after.forwards.filter((f) => f.alive)).toEqual([]);
  await wizard.screenshot('journey-10-clean');
  guard.expectClean();
});
