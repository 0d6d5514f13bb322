import { expect, type Page } from '@playwright/test';

export class InstallPage {
  constructor(readonly page: Page) {}

  step(id: string) {
    return this.page.getByTestId('timeline').getByTestId(`step-${id}`);
  }

  async expectStep(id: string, state: string, timeout = 60_000): Promise<void> {
    await expect(this.step(id)).toHaveAttribute('data-state', state, { timeout });
  }

  async expectFinished(timeout = 120_000): Promise<void> {
    await expect(this.page.getByTestId('run-succeeded')).toBeVisible({ timeout });
  }

  async showLogOf(id: string): Promise<void> {
    await this.step(id).getByRole('button').click();
  }

  terminal(id: string | 'all') {
    return this.page.getByTestId(`terminal-${id}`);
  }

  /** The text the terminal shows (xterm's DOM rows). */
  async terminalText(id: string | 'all'): Promise<string> {
    return (await this.terminal(id).locator('.xterm-rows').innerText()).replace(/\u00a0/g, ' ');
  }

  async cancel(): Promise<void> {
    await this.page.getByTestId('cancel-run').click();
  }
}
