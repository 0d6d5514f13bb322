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
