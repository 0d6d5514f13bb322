import { expect, type Page } from '@playwright/test';

export class ClusterPage {
  constructor(readonly page: Page) {}

  async expectAllReady(timeout = 60_000): Promise<void> {
    await expect(this.page.getByTestId('pods-summary')).toContainText(/(\d+) of \1 pods ready/, { timeout });
  }

  decodePods() {
    return this.page.getByTestId('pods').locator('tbody tr', { hasText: 'decode' });
  }

  smokeReply() {
    return this.page.getByTestId('smoke-reply');
  }

  forward(name: string) {
    return this.page.getByTestId(`forward-${name}`);
  }

  async openForward(title: string): Promise<void> {
    await this.page.getByRole('button', { name: `Open ${title}` }).click();
  }

  async showLog(): Promise<void> {
    await this.page.getByRole('button', { name: 'Show log' }).click();
  }
}
