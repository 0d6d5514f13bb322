// Page objects for the wizard (one per page, Podman Desktop style): what a person sees and does,
// in their words. Specs read like the journey; selectors live here.
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import { SCREENSHOTS } from '../support/web-host.js';

export class Wizard {
  constructor(readonly page: Page) {}

  rail() {
    return this.page.getByRole('navigation', { name: 'Setup steps' });
  }

  async open(step: string, heading: string): Promise<void> {
    await this.page.getByTestId(`step-${step}`).first().click();
    await this.expectPage(heading);
  }

  /** A button of the page itself (not the step rail). */
  button(name: string | RegExp) {
    return this.page.getByRole('main').getByRole('button', { name, exact: typeof name === 'string' });
  }

  async expectPage(heading: string | RegExp): Promise<void> {
    await expect(this.page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
  }

  /** From the Plan page of the host at `url`: Start the install, and be on the Install page. */
  async startInstallFromPlan(url: string): Promise<void> {
    await this.page.goto(`${url}#/plan`);
    await this.expectPage('Plan');
    await this.button('Start the install').click();
    await this.expectPage('Install');
  }

  async expectRehearsalBanner(): Promise<void> {
    await expect(this.page.getByTestId('rehearsal-banner')).toBeVisible();
  }

  /** No serious or critical axe violation on the page as it is now. */
  async expectAccessible(): Promise<void> {
    const results = await new AxeBuilder({ page: this.page }).analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
  }

  async setTheme(theme: 'light' | 'dark'): Promise<void> {
    await this.page.getByRole('button', { name: `${theme === 'dark' ? 'Dark' : 'Light'} theme` }).click();
    await expect(this.page.locator('html')).toHaveAttribute('data-theme', theme);
  }

  /** A screenshot of the whole page pane (it scrolls inside its own pane, so the window is made tall). */
  async screenshot(name: string, opts: { full?: boolean } = {}): Promise<void> {
    const vp = this.page.viewportSize();
    if (opts.full && vp) {
      const height = await this.page.evaluate(() => {
        const main = document.getElementById('main');
        return main ? main.scrollHeight + (main.getBoundingClientRect().top) + 4 : document.body.scrollHeight;
      });
      await this.page.setViewportSize({ width: vp.width, height: Math.ceil(Math.min(Math.max(height, vp.height), 4000)) });
    }
    await this.page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
    if (opts.full && vp) await this.page.setViewportSize(vp);
  }
}
