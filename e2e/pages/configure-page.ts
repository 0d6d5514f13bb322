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
