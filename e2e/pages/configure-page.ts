import { expect, type Page } from '@playwright/test';

export class ConfigurePage {
  constructor(readonly page: Page) {}

  field(label: string | RegExp) {
    return this.page.getByLabel(label, { exact: typeof label === 'string' });
  }

  async set(label: string, value: string): Promise<void> {
    await this.field(label).fill(value);
  }

  issue(path: string) {
    return this.page.getByTestId(`issue-${path}`);
  }

  fit() {
    return this.page.getByTestId('live-fit');
  }

  async expectFitFor(replicas: number): Promise<void> {
    await expect(this.fit()).toContainText(`${replicas} × `);
  }

  async saveAndReviewPlan(): Promise<void> {
    await this.page.getByRole('button', { name: 'Save and review the plan' }).click();
  }
}

/** Configure's stack release choice and its Advanced image overrides. */
export class ReleaseSection {
  constructor(readonly page: Page) {}

  choice() {
    return this.page.getByTestId('release-choice');
  }

  release(id: string) {
    return this.page.getByTestId(`release-${id}`);
  }

  radio(title: string) {
    return this.page.getByRole('radio', { name: new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) });
  }

  advancedToggle() {
    return this.page.getByRole('button', { name: /^Advanced: images/ });
  }

  async openAdvanced(): Promise<void> {
    const toggle = this.advancedToggle();
    if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
    await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  }

  /** The override box of one image, found by its label (e.g. "Model server (vLLM)"). */
  override(label: string) {
    return this.page.getByLabel(label, { exact: true });
  }

  overrideBlock(role: string) {
    return this.page.getByTestId(`image-override-${role}`);
  }

  useDefault(label: string) {
    return this.page.getByRole('button', { name: `Use default for ${label}` });
  }

  issue(role: string) {
    return this.page.getByTestId(`issue-images.${role}`);
  }
}
