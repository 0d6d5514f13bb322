import { expect, type Page } from '@playwright/test';

export class PlanPage {
  constructor(readonly page: Page) {}

  step(id: string) {
    return this.page.getByTestId(`plan-step-${id}`);
  }

  async expectSteps(min: number): Promise<void> {
    await expect(this.page.locator('.plan-step')).not.toHaveCount(0);
    expect(await this.page.locator('.plan-step').count()).toBeGreaterThanOrEqual(min);
  }

  async startInstall(): Promise<void> {
    await this.page.getByRole('button', { name: 'Start the install' }).click();
  }
}

/** The Plan's stack release header and its table of images. */
export class PlanRelease {
  constructor(readonly page: Page) {}

  block() {
    return this.page.getByTestId('plan-release');
  }

  image(role: string) {
    return this.page.getByTestId(`plan-image-${role}`);
  }
}
