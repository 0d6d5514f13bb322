import type { Page } from '@playwright/test';

export class ManagePage {
  constructor(readonly page: Page) {}

  logsDir() {
    return this.page.getByTestId('logs-dir');
  }

  async chooseDeleteCluster(): Promise<void> {
    await this.page.getByRole('radio', { name: /delete the cluster/ }).check();
  }

  async askToTearDown(): Promise<void> {
    await this.page.getByRole('button', { name: 'Tear down…' }).click();
  }

  confirmation() {
    return this.page.getByRole('dialog');
  }

  async confirm(): Promise<void> {
    await this.confirmation().getByRole('button', { name: /Delete the cluster|Tear down/ }).click();
  }
}
