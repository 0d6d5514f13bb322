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
    await this.step(id).getByRole('button', { name: /Show its log/ }).click();
  }

  async showAllLogs(): Promise<void> {
    await this.page.getByRole('group', { name: 'Which log to show' }).getByRole('button', { name: 'All steps' }).click();
  }

  terminal(id: string | 'all') {
    return this.page.getByTestId(`terminal-${id}`);
  }

  /** How many lines the terminal holds (its header says). */
  async lineCount(id: string | 'all'): Promise<number> {
    return Number((await this.terminal(id).getByTestId('terminal-lines').innerText()).match(/\d+/)?.[0] ?? NaN);
  }

  /** Searches the terminal (its own search box, opened with Ctrl+F) and returns what it says. */
  async find(id: string | 'all', text: string): Promise<string> {
    const t = this.terminal(id);
    const box = t.getByRole('searchbox');
    if (!(await box.isVisible())) {
      await t.locator('.xterm-helper-textarea').focus();
      await this.page.keyboard.press('Control+f');
    }
    await box.fill(text);
    await box.press('Enter');
    const status = t.getByRole('status');
    await expect(status).not.toBeEmpty();
    return status.innerText();
  }

  /** The text the terminal shows (xterm's DOM rows). */
  async terminalText(id: string | 'all'): Promise<string> {
    return (await this.terminal(id).locator('.xterm-rows').innerText()).replace(/\u00a0/g, ' ');
  }

  async cancel(): Promise<void> {
    await this.page.getByTestId('cancel-run').click();
  }
}
