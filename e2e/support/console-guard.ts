// Collects what a new user's browser console would show: console errors, uncaught page errors, CSP
// violations (reported by a securitypolicyviolation listener installed before any page script) and
// failed responses (a 404 for a missing asset). Specs call expectClean() at the end.
import { expect, type Page } from '@playwright/test';

export interface ConsoleGuard {
  problems: string[];
  expectClean(): void;
}

const MARK = '[csp-violation]';

export async function guardConsole(page: Page): Promise<ConsoleGuard> {
  const problems: string[] = [];
  await page.addInitScript((mark: string) => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`${mark} ${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber} ${e.sample}`);
    });
  }, MARK);
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()} (${msg.location().url})`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()} ${res.request().method()} ${res.url().replace(/token=[\w-]+/, 'token=…')}`);
  });
  return {
    problems,
    expectClean() {
      expect(problems, 'no console errors, CSP violations or failed requests').toEqual([]);
    },
  };
}
