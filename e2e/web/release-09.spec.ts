// Today's llm-d (the 0.9 optimized-baseline release, Standalone mode) in the browser, on the simulated world:
// chosen on Configure → the Plan without Istio or a route → installed → the Cluster page shows the EPP and
// proxy pod 2/2 and the model servers 1/1 → a chat in the Playground names the replica that answered.
import { expect, test } from '@playwright/test';
import { ConfigurePage } from '../pages/configure-page.js';
import { InstallPage } from '../pages/install-page.js';
import { PlanPage } from '../pages/plan-page.js';
import { Wizard } from '../pages/wizard.js';
import { MIRROR_URL, startSimHost, type SimHost } from '../support/sim-host.js';

let sim: SimHost;
test.beforeAll(async () => {
  // Prerequisites already installed is not what this spec is about: the mirror provides them on the way.
  sim = await startSimHost({ settings: { mirror: MIRROR_URL, cpus: 4, memoryMiB: 16384, diskGB: 50 } });
});
test.afterAll(async () => {
  await sim?.dispose();
});

test('today’s llm-d: chosen on Configure, installed without Istio, pods 1/1, a chat names its replica', async ({ page }) => {
  test.setTimeout(300_000);
  const wizard = new Wizard(page);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${sim.url}#/configure`);
  await wizard.expectPage('Configure');
  // Today's llm-d is the default release: already chosen on a fresh machine.
  await expect(page.getByRole('radio', { name: /llm-d 0\.9/ })).toBeChecked();
  await expect(page.getByText('vllm-openai-cpu:v0.26.0').first()).toBeVisible();
  await wizard.screenshot('release-09-configure', { full: true });
  // Advanced: the model precision, Automatic by default, saying what it picked on this CPU and why.
  const advanced = page.getByRole('button', { name: /^Advanced: images and precision/ });
  await advanced.click();
  const precision = page.getByLabel('Model precision (vLLM --dtype)');
  await expect(precision).toHaveValue('auto');
  await expect(page.getByTestId('dtype-choice')).toContainText(/Automatic picks (bfloat16|float32): /);
  await page.getByTestId('dtype-choice').scrollIntoViewIfNeeded();
  await wizard.screenshot('release-09-configure-precision');
  await advanced.click();
  await new ConfigurePage(page).saveAndReviewPlan();

  await wizard.expectPage('Plan');
  await expect(page.getByTestId('plan-release')).toContainText('llm-d 0.9');
  const plan = new PlanPage(page);
  await expect(page.getByTestId('plan-step-istio')).toHaveCount(0);
  await expect(page.getByTestId('plan-step-route')).toHaveCount(0);
  // The model server's precision follows this machine's CPU, and the Plan says which and why.
  await expect(page.getByTestId('plan-dtype')).toContainText(/--dtype=(bfloat16|float32)\): /);
  await wizard.screenshot('release-09-plan', { full: true });
  await plan.startInstall();

  await wizard.expectPage('Install');
  const install = new InstallPage(page);
  await install.expectFinished(240_000);
  await install.expectStep('smoke-test', 'done');

  await wizard.open('cluster', 'Cluster');
  await expect(page.getByTestId('pods-summary')).toContainText(/(\d+) of \1 pods ready/, { timeout: 60_000 });
  // No Istio in this release: its namespace is not watched.
  await expect(page.getByTestId('pods-namespaces')).toHaveText('Namespaces llm-d-cpu-inference and llm-d-monitoring · updates as they change');
  const decode = page.getByTestId('pods').locator('tbody tr', { hasText: 'optimized-baseline-cpu-vllm-decode' });
  await expect(decode).toHaveCount(2);
  for (const row of await decode.all()) await expect(row).toHaveAttribute('data-ready', '1/1');
  await expect(page.getByTestId('pods').locator('tbody tr', { hasText: 'optimized-baseline-epp' })).toHaveAttribute('data-ready', '2/2');
  await wizard.expectAccessible();
  await wizard.screenshot('release-09-cluster', { full: true });

  await wizard.open('playground', 'Playground');
  await expect(page.getByTestId('gateway-ready')).toBeVisible({ timeout: 30_000 });
  await page.getByTestId('composer').fill('Say hello.');
  await page.getByTestId('composer').press('Enter');
  const stats = page.getByTestId('turn-assistant').last().getByTestId('reply-stats');
  await expect(stats.getByTestId('stat-replica')).toBeVisible({ timeout: 60_000 });
  const pod = await stats.getByTestId('stat-replica').getAttribute('data-pod');
  expect(pod).toMatch(/^optimized-baseline-cpu-vllm-decode-/);
  // The proxy replaced the app's request id; the EPP's line is found by the id vLLM named its reply after,
  // so the answer never hangs on how fast the replicas' counters can be read.
  await expect(stats.getByTestId('stat-replica').locator('[data-source]')).toHaveAttribute('data-source', 'epp-log');
  await wizard.screenshot('release-09-playground', { full: true });
});
