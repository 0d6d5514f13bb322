// Stack releases through the pages: Configure shows the release and the images it runs on this machine
// (an image of your own under Advanced, checked as you type), the Plan names the release and marks your
// image, Prerequisites asks each image's registry and says what it answered — and an image its registry
// refuses stops the install at the image check, with what to do. Screenshots of the three pages at four
// window sizes in both themes, the primary actions really clickable, and no console error.
// The registries are the simulated ones (sim/registry, wired in by sim-host.ts): what they answer is the
// catalogue's (sim/registry/catalog.ts) plus this spec's scenario, where the routing sidecar's registry
// rate-limits anonymous pulls — so one world shows an available image, a warning and (with an override)
// a blocker.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { JournalView } from '../../shared/api/engine.js';
import type { ReleasesView } from '../../shared/api/stack.js';
import { ReleaseSection } from '../pages/configure-page.js';
import { PlanRelease } from '../pages/plan-page.js';
import { ImagesSection } from '../pages/prerequisites-page.js';
import { Wizard } from '../pages/wizard.js';
import { apiCall } from '../support/api.js';
import { FAST, MIRROR_URL, startSimHost, type SimHost } from '../support/sim-host.js';

/** Sizes that fit this 2-core machine, so the form is valid and Save is offered. */
// The guide's release: its three images (a routing sidecar whose registry rate-limits, below) are what this
// spec is about; today's llm-d, the default, has its own journey (release-09.spec.ts).
const GUIDE = 'llm-d-0.4-cpu-guide';
const SETTINGS = { mirror: MIRROR_URL, cpus: 4, memoryMiB: 16384, diskGB: 50, replicas: 2, release: GUIDE };

/** The guide's own amd64 EPP: its GHCR package is no longer pullable anonymously (catalog.ts, kserve#6215). */
const DENIED_IMAGE = 'ghcr.io/llm-d/llm-d-inference-scheduler:v0.4.0';

let sim: SimHost;
let scenarioDir: string;
let releases: ReleasesView;
let consoleErrors: string[] = [];

test.beforeAll(async () => {
  // The fast scenario, with the routing sidecar's registry answering 429 (scenario registry.images).
  scenarioDir = await fs.mkdtemp(path.join(os.tmpdir(), 'llmd-releases-e2e-'));
  const fast = await fs.readFile(FAST, 'utf8');
  if (/^registry:/m.test(fast)) throw new Error('fast.yaml has a registry section now: merge the rate limit into it');
  const scenario = path.join(scenarioDir, 'rate-limited-sidecar.yaml');
  await fs.writeFile(scenario, `${fast}\nregistry:\n  images:\n    - { match: llm-d-routing-sidecar, status: rate-limited }\n`);
  sim = await startSimHost({ settings: SETTINGS, scenario });
  releases = (await apiCall(sim.port, sim.token, 'stack.releases', {})) as ReleasesView;
});
test.afterAll(async () => {
  await sim?.dispose();
  if (scenarioDir) await fs.rm(scenarioDir, { recursive: true, force: true });
});

// Each test starts from the saved settings above (no override), whatever the previous one saved.
test.beforeEach(async ({ page }) => {
  await apiCall(sim.port, sim.token, 'settings.save', { settings: { ...SETTINGS, images: {} } });
  const errors: string[] = [];
  consoleErrors = errors;
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    // Chromium asks every page for /favicon.ico by itself; the web host has none (not the app's error).
    if (m.location().url.endsWith('/favicon.ico')) return;
    // The xterm terminals (Install, and Prerequisites once its log has lines) write <style> elements the
    // CSP blocks by design; their rules are adopted as constructed sheets instead
    // (components/terminal/csp-styles.ts). Chromium still logs each block.
    if (m.text().startsWith('Applying inline style violates') && /#\/(install|prerequisites)$/.test(page.url())) return;
    errors.push(`${m.text()} ${m.location().url}`);
  });
  page.on('pageerror', (e) => errors.push(e.message));
});
test.afterEach(() => {
  expect(consoleErrors, 'no console errors').toEqual([]);
});

const defaultRelease = () => releases.releases.find((r) => r.id === GUIDE)!;
const imageOf = (role: string) => defaultRelease().images.find((i) => i.role === role)!;

test('Configure shows the stack release and the images it runs on this machine', async ({ page }) => {
  const wizard = new Wizard(page);
  const rel = new ReleaseSection(page);
  const r = defaultRelease();
  await page.goto(`${sim.url}#/configure`);
  await wizard.expectPage('Configure');

  await expect(rel.radio(r.title)).toBeChecked();
  const card = rel.release(r.id);
  await expect(card).toContainText(r.upstreamVersion);
  await expect(card).toContainText(r.summary);
  await expect(card).toContainText('December 2025');
  for (const i of r.images) await expect(card).toContainText(i.ref.split('/').pop()!);

  // The model's context length is the release's, not a fixed number.
  const model = await page.getByLabel('Model', { exact: true }).inputValue();
  await expect(page.getByText(`context ${r.contextLength[model]} tokens in this release`)).toBeVisible();

  // Advanced is closed until asked for, and opens from the keyboard.
  await expect(rel.advancedToggle()).toHaveAttribute('aria-expanded', 'false');
  await expect(rel.override(imageOf('vllm').label)).toBeHidden();
  await rel.advancedToggle().focus();
  await page.keyboard.press('Enter');
  await expect(rel.advancedToggle()).toHaveAttribute('aria-expanded', 'true');
  for (const i of r.images) {
    const block = rel.overrideBlock(i.role);
    await expect(block).toContainText(`Default: ${i.ref}`);
    await expect(rel.override(i.label)).toHaveAttribute('placeholder', i.ref);
    await expect(rel.override(i.label)).toHaveValue('');
    if (i.vllmVersion) await expect(block).toContainText(`vLLM ${i.vllmVersion}`);
    await expect(block).toContainText(i.source.slice(0, 40));
  }
  await page.keyboard.press('Space');
  await expect(rel.advancedToggle()).toHaveAttribute('aria-expanded', 'false');
});

test('an image that is not a reference says why and cannot be saved', async ({ page }) => {
  const rel = new ReleaseSection(page);
  const vllm = imageOf('vllm');
  await page.goto(`${sim.url}#/configure`);
  await rel.openAdvanced();
  await expect(page.getByTestId('live-fit')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Save', exact: true })).toBeEnabled();

  await rel.override(vllm.label).fill('My Image!');
  await expect(rel.issue('vllm')).toHaveText('must be an image reference like registry.example.com/org/name:tag');
  await expect(rel.override(vllm.label)).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('button', { name: 'Save', exact: true })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Save and review the plan' })).toBeDisabled();
  await expect(page.getByText('Fix the marked fields to save')).toBeVisible();

  // "Use default" empties the box, gives the focus back to it, and the form can be saved again.
  await rel.useDefault(vllm.label).click();
  await expect(rel.override(vllm.label)).toHaveValue('');
  await expect(rel.override(vllm.label)).toBeFocused();
  await expect(rel.issue('vllm')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Save', exact: true })).toBeEnabled();
});

test('an image of your own shows on the Plan as your override, next to the default it replaces', async ({ page }) => {
  const wizard = new Wizard(page);
  const rel = new ReleaseSection(page);
  const plan = new PlanRelease(page);
  const vllm = imageOf('vllm');
  const mine = 'quay.io/example/vllm-cpu:v0.11.2-custom';
  await page.goto(`${sim.url}#/configure`);
  await rel.openAdvanced();
  await rel.override(vllm.label).fill(mine);
  await expect(rel.overrideBlock('vllm')).toContainText('Your image replaces the default');
  await page.getByRole('button', { name: 'Save and review the plan' }).click();
  await wizard.expectPage('Plan');

  const r = defaultRelease();
  await expect(plan.block()).toContainText(r.title);
  await expect(plan.block()).toContainText(r.upstreamVersion);
  await expect(plan.block()).toContainText('December 2025');
  await expect(plan.block()).toContainText(`linux/${releases.arch}`);
  await expect(plan.image('vllm')).toHaveAttribute('data-overridden', 'true');
  await expect(plan.image('vllm')).toContainText(mine);
  await expect(plan.image('vllm')).toContainText('Your override');
  await expect(plan.image('vllm')).toContainText(`replaces ${vllm.ref}`);
  for (const role of ['routingSidecar', 'epp']) {
    await expect(plan.image(role)).toHaveAttribute('data-overridden', 'false');
    await expect(plan.image(role)).toContainText('Release default');
    await expect(plan.image(role)).toContainText(imageOf(role).ref);
  }
  // The image check is a step of the plan like the others.
  await expect(page.getByTestId('plan-step-image-check')).toContainText('Check the images in their registries');

  // And Configure shows it back, marked as yours.
  await page.goto(`${sim.url}#/configure`);
  await rel.openAdvanced();
  await expect(rel.override(vllm.label)).toHaveValue(mine);
  await expect(rel.advancedToggle()).toContainText('1 of your own');
});

test('Prerequisites asks each image’s registry and shows its answer', async ({ page }) => {
  const wizard = new Wizard(page);
  const images = new ImagesSection(page);
  await page.goto(`${sim.url}#/prerequisites`);
  await wizard.expectPage('Prerequisites');
  // Checked once by itself when the page opens, after the tools.
  await images.expectChecked();
  await expect(images.entries()).toHaveCount(defaultRelease().images.length);
  for (const i of defaultRelease().images) {
    await expect(images.image(i.role)).toHaveAttribute('data-verdict', /^(ok|warning|blocker)$/);
    await expect(images.image(i.role)).toContainText(i.ref);
  }
  // Available: said in the registry's terms, for this architecture.
  for (const role of ['vllm', 'epp']) {
    const entry = images.image(role);
    await expect(entry).toHaveAttribute('data-verdict', 'ok');
    await expect(entry).toHaveAttribute('data-outcome', 'available');
    await expect(entry).toContainText('Available');
    await expect(entry).toContainText(`can be pulled for linux/${releases.arch}`);
  }
  // Rate-limited: a warning (amber, not a blocker) with the registry's status and error code and what it means.
  const sidecar = images.image('routingSidecar');
  await expect(sidecar).toHaveAttribute('data-verdict', 'warning');
  await expect(sidecar).toHaveAttribute('data-outcome', 'rate-limited');
  await expect(sidecar).toContainText('Could not check');
  await expect(sidecar).toContainText('Registry answer: HTTP 429');
  await expect(sidecar).toContainText('the install can go on');
  await expect(page.getByTestId('images-tally')).toContainText('1 image could not be checked — the install can go on');
  await expect(images.blockerCallout()).toHaveCount(0);

  // On demand: a spinner while the registries are asked, then the answer again.
  await images.checkImages();
  await images.expectChecked();
  await expect(images.entries()).toHaveCount(defaultRelease().images.length);
  // Continue is never blocked by the images.
  await expect(wizard.button(/^Configure/)).toBeEnabled();
});

test('an image its registry refuses is a blocker that says what to do, and stops the install at the image check', async ({ page }) => {
  test.setTimeout(120_000);
  // A denied image from the sim registry's catalogue: the guide's old amd64 EPP (a GHCR package removed
  // upstream), set as an override. A denied release default is covered by the engine's integration test.
  const wizard = new Wizard(page);
  const rel = new ReleaseSection(page);
  const images = new ImagesSection(page);
  const epp = imageOf('epp');
  const denied = DENIED_IMAGE;
  await page.goto(`${sim.url}#/configure`);
  await rel.openAdvanced();
  await rel.override(epp.label).fill(denied);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText('Saved', { exact: true })).toBeVisible();

  await wizard.open('prerequisites', 'Prerequisites');
  await images.expectChecked();
  const entry = images.image('epp');
  await expect(entry).toHaveAttribute('data-verdict', 'blocker');
  await expect(entry).toHaveAttribute('data-outcome', 'denied');
  await expect(entry).toContainText('Cannot be pulled');
  await expect(entry).toContainText('Your override');
  await expect(entry).toContainText(/Registry answer: HTTP 40[13]/);
  await expect(entry).toContainText('What to do:');
  await expect(images.blockerCallout()).toContainText('1 image cannot be pulled');
  // Shown prominently, but going on is still allowed: the install's own check stops it.
  await expect(wizard.button(/^Configure/)).toBeEnabled();
  await expect(page.locator('#prereq-next-note')).toContainText('The install will stop at the image check');
  await wizard.screenshot('releases-prerequisites-blocker-light-1280x800');
  await page.getByTestId('images-section').evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await wizard.screenshot('releases-prerequisites-blocker-images-light-1280x800');
  await wizard.setTheme('dark');
  await wizard.screenshot('releases-prerequisites-blocker-images-dark-1280x800');
  await wizard.setTheme('light');

  // The way out: Configure → Advanced, at that image.
  await entry.getByRole('button', { name: /Set another image in Configure → Advanced/ }).click();
  await wizard.expectPage('Configure');
  await expect(rel.advancedToggle()).toHaveAttribute('aria-expanded', 'true');
  await expect(rel.override(epp.label)).toBeFocused();
  await expect(rel.override(epp.label)).toHaveValue(denied);
  await wizard.screenshot('releases-configure-from-blocker-light-1280x800');

  // Started anyway: the image check stops the run before the cluster, naming the image.
  await wizard.open('plan', 'Plan');
  await expect(new PlanRelease(page).image('epp')).toContainText(denied);
  await page.getByRole('button', { name: 'Start the install' }).click();
  await wizard.expectPage('Install');
  await expect(page.getByTestId('step-image-check')).toHaveAttribute('data-state', 'failed', { timeout: 60_000 });
  const failure = page.getByTestId('step-image-check').getByTestId('image-failure');
  await expect(failure).toContainText(denied);
  // The step's own report (the error's details): each image that stops it, with the registry's answer and what to do.
  await expect(failure.getByTestId('image-check-epp')).toHaveAttribute('data-verdict', 'blocker');
  await expect(failure.getByTestId('image-check-epp')).toContainText('What to do:');
  await expect(failure.getByTestId('image-check-epp').getByRole('button', { name: /Set another image/ })).toBeVisible();
  await expect(failure).toContainText('One more image could not be checked');
  await expect.poll(async () => ((await apiCall(sim.port, sim.token, 'journal.get')) as JournalView).journal?.status, { timeout: 60_000 }).not.toBe('running');
  await page.getByTestId('step-image-check').evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await wizard.screenshot('releases-install-image-failure-light-1280x800');
  await wizard.setTheme('dark');
  await wizard.screenshot('releases-install-image-failure-dark-1280x800');
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.getByTestId('step-image-check').evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await wizard.screenshot('releases-install-image-failure-dark-1024x700');
});

/** The element at the centre of the control is the control (nothing covers it), and a trial click passes. */
async function expectClickable(page: Page, name: string | RegExp): Promise<void> {
  const button = page.getByRole('main').getByRole('button', { name, exact: typeof name === 'string' });
  await button.scrollIntoViewIfNeeded();
  const hit = await button.evaluate((el) => {
    const r = el.getBoundingClientRect();
    const at = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return at !== null && (at === el || el.contains(at));
  });
  expect(hit, `${String(name)} is not covered`).toBe(true);
  await button.click({ trial: true });
}

for (const viewport of [{ width: 1024, height: 700 }, { width: 1280, height: 720 }, { width: 1366, height: 768 }, { width: 1440, height: 900 }]) {
  for (const theme of ['light', 'dark'] as const) {
    test(`the release, its images and their check read well in the ${theme} theme at ${viewport.width}×${viewport.height}`, async ({ page }) => {
      const wizard = new Wizard(page);
      const rel = new ReleaseSection(page);
      const size = `${theme}-${viewport.width}x${viewport.height}`;
      await apiCall(sim.port, sim.token, 'settings.save', { settings: { ...SETTINGS, images: { vllm: 'quay.io/example/vllm-cpu:v0.11.2-custom' } } });
      await page.setViewportSize(viewport);
      await page.goto(`${sim.url}#/configure`);
      await wizard.setTheme(theme);
      const fits = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

      await wizard.expectPage('Configure');
      await expect(page.getByTestId('live-fit')).toBeVisible();
      await rel.openAdvanced();
      await expect(rel.overrideBlock('epp')).toBeVisible();
      // The release and the opened Advanced at the top of the window (below the verdict on narrow ones).
      await page.getByTestId('release-choice').evaluate((el) => el.closest('fieldset')?.scrollIntoView({ block: 'start' }));
      expect(await fits(), 'Configure fits the width').toBe(true);
      await wizard.expectAccessible();
      await wizard.screenshot(`releases-configure-${size}`);
      await expectClickable(page, 'Save and review the plan');

      await wizard.open('plan', 'Plan');
      await expect(new PlanRelease(page).image('vllm')).toHaveAttribute('data-overridden', 'true');
      expect(await fits(), 'Plan fits the width').toBe(true);
      await wizard.expectAccessible();
      await wizard.screenshot(`releases-plan-${size}`);
      await expectClickable(page, /Start the install/);

      await wizard.open('prerequisites', 'Prerequisites');
      await new ImagesSection(page).expectChecked();
      await page.getByTestId('images-section').evaluate((el) => el.scrollIntoView({ block: 'start' }));
      expect(await fits(), 'Prerequisites fits the width').toBe(true);
      await wizard.expectAccessible();
      await wizard.screenshot(`releases-prerequisites-${size}`);
      await expectClickable(page, /^Configure/);
    });
  }
}
