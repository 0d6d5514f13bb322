import { expect, type Page } from '@playwright/test';

export class PrerequisitesPage {
  constructor(readonly page: Page) {}

  tool(name: string) {
    return this.page.getByTestId(`tool-${name}`);
  }

  async expectTool(name: string, state: 'found' | 'missing' | 'too-old' | 'not-running' | 'optional-missing'): Promise<void> {
    await expect(this.tool(name)).toHaveAttribute('data-state', state, { timeout: 30_000 });
  }

  async installAllMissing(): Promise<void> {
    await this.page.getByRole('button', { name: /Install all missing/ }).click();
  }

  async expectAllReady(): Promise<void> {
    await expect(this.page.getByTestId('prereqs-summary')).toContainText('Every required tool is ready', { timeout: 60_000 });
  }

  log() {
    return this.page.getByTestId('prereqs-log');
  }
}

/** The Prerequisites page's image check: one entry per image with the registry's verdict. */
export class ImagesSection {
  constructor(readonly page: Page) {}

  section() {
    return this.page.getByTestId('images-section');
  }

  image(role: string) {
    return this.page.getByTestId(`image-check-${role}`);
  }

  entries() {
    return this.section().locator('[data-verdict]');
  }

  async checkImages(): Promise<void> {
    await this.section().getByRole('button', { name: 'Check images' }).click();
  }

  /** Waits for a finished check (the tally line appears once the registries answered). */
  async expectChecked(): Promise<void> {
    await expect(this.page.getByTestId('images-tally')).toBeVisible({ timeout: 30_000 });
  }

  blockerCallout() {
    return this.page.getByTestId('images-blocker-callout');
  }
}
