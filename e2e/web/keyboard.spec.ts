// Configure with the keyboard alone: Tab to each field, type, arrow through the driver choice, submit
// with Enter — and every focused control shows where the focus is.
import { expect, test, type Page } from '@playwright/test';
import { Wizard } from '../pages/wizard.js';
import { MIRROR_URL, startSimHost, type SimHost } from '../support/sim-host.js';
import { WORKSTATION as HOST } from '../support/host-facts.js';

let sim: SimHost;
test.beforeAll(async () => {
  // A 16-core host whatever machine runs this: the spec is about the keyboard, not this machine's size.
  sim = await startSimHost({ settings: { mirror: MIRROR_URL }, hostFacts: HOST });
});
test.afterAll(async () => {
  await sim?.dispose();
});

/** Presses Tab until the focused element's label (or text) matches; fails after `max` presses. */
async function tabTo(page: Page, name: RegExp, max = 40): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const label = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el) return '';
      const id = el.getAttribute('id');
      const byFor = id ? document.querySelector(`label[for="${CSS.escape(id)}"]`)?.textContent : '';
      return `${byFor ?? ''} ${el.getAttribute('aria-label') ?? ''} ${el.closest('label')?.textContent ?? ''} ${el.tagName === 'BUTTON' ? el.textContent : ''}`.trim();
    });
    if (name.test(label)) {
      // Visible focus: an outline (or the ring of an invalid field) is drawn around it.
      const outline = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        const target = el.matches('input[type=radio]') ? el.closest('label')! : el;
        const cs = getComputedStyle(target);
        return cs.outlineStyle !== 'none' && cs.outlineWidth !== '0px' ? 'outline' : cs.boxShadow !== 'none' ? 'ring' : 'none';
      });
      expect(outline, `focus on ${label} is visible`).not.toBe('none');
      return;
    }
  }
  throw new Error(`Tab never reached ${name}`);
}

test('a person completes Configure with the keyboard alone', async ({ page }) => {
  const wizard = new Wizard(page);
  await page.goto(`${sim.url}#/configure`);
  await wizard.expectPage('Configure');
  await expect(page.getByLabel('CPUs', { exact: true })).toBeVisible();

  await tabTo(page, /^Automatic/);
  await page.keyboard.press('ArrowRight'); // docker
  await expect(page.getByRole('radio', { name: 'docker' })).toBeChecked();

  await tabTo(page, /^CPUs/);
  await page.keyboard.press('Control+a');
  await page.keyboard.type('x');
  await expect(page.getByTestId('issue-cpus')).toHaveText('must be a number');
  await page.keyboard.press('Backspace');
  // 4 of the host's 16: the control plane, the stack's pods and two replicas request 3 (shared/fit.ts).
  await page.keyboard.type('4');
  await expect(page.getByTestId('issue-cpus')).toHaveCount(0);

  await tabTo(page, /^Memory/);
  await page.keyboard.press('Control+a');
  await page.keyboard.type('12288');
  await tabTo(page, /^Disk/);
  await page.keyboard.press('Control+a');
  await page.keyboard.type('50');
  await tabTo(page, /^Replicas/);
  await page.keyboard.press('Control+a');
  await page.keyboard.type('3');
  // 3 × 6 GiB does not fit in 12 GiB: said at once, with the reason.
  await expect(page.getByTestId('issue-replicas')).toContainText('need 18 GiB');
  await page.keyboard.press('Backspace');
  await page.keyboard.type('2');
  await expect(page.getByTestId('issue-replicas')).toHaveCount(0);
  await expect(page.getByTestId('live-fit')).toContainText('2 × 6 GiB');

  await tabTo(page, /Monitoring/);
  await page.keyboard.press('Space');
  await expect(page.getByRole('checkbox', { name: /Monitoring/ })).not.toBeChecked();

  await tabTo(page, /^Hugging Face token/);
  await page.keyboard.type('hf_keyboardonlytoken123');
  await tabTo(page, /Save and review the plan/);
  await page.keyboard.press('Enter');
  await wizard.expectPage('Plan');

  // Saved — and the token went to the engine, which says only that one is set.
  await page.goto(`${sim.url}#/configure`);
  await expect(page.getByTestId('hf-token-state')).toContainText('A token is stored');
  await expect(page.locator('body')).not.toContainText('hf_keyboardonlytoken123');
  await expect(page.getByLabel('Replicas', { exact: true })).toHaveValue('2');
  await expect(page.getByRole('radio', { name: 'docker' })).toBeChecked();
});
