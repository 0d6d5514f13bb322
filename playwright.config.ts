// End-to-end tests drive Debian's Chromium (/usr/bin/chromium) against the web host; `playwright
// install` cannot download browsers here (docs/architecture.md §8). Electron specs (e2e/electron) skip when no
// Electron binary exists. Screenshots go to test-results/screenshots/<name>.png.
import { defineConfig } from '@playwright/test';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results/artifacts',
  fullyParallel: false,
  // Each spec starts its own web host and sim world (own app data dir, port 0), so two spec files can
  // run side by side; the journeys mostly wait on simulated clocks, so two workers on two cores keep
  // CI well under its 20-minute budget. Tests inside one file still run in order.
  workers: 2,
  // CI runs on the same shared two cores as everything else: one retry keeps a scheduling hiccup from
  // failing a landing, and Playwright still reports the test as flaky so it gets looked at.
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  use: {
    viewport: { width: 1280, height: 800 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        browserName: 'chromium',
        launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS },
      },
    },
  ],
});
