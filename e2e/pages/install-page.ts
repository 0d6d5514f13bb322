import { expect, type Page } from '@playwright/test';

export class InstallPage {
  constructor(readonly page: Page) {}

  step(id: string) {
    return this.page.getByTestId('timeline').getByTestId(`step-${id}`);
  }

  async expectStep(id: string, state: string, timeout = 60_000): Promise<void> {
    await expect(this.step(id)).toHaveAttribute('data-state', state, { timeout });
  }

  /** Waits for the run to finish; a failed step ends the wait at once with the page's own words. */
  async expectFinished(timeout = 120_000): Promise<void> {
    const done = this.page.getByTestId('run-succeeded');
    const failure = this.page.getByTestId('step-failure');
    await expect(done.or(failure).first()).toBeVisible({ timeout });
    if (await failure.count()) throw new Error(`a step failed: ${await failure.first().innerText()}`);
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
