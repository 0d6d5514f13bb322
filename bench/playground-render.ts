// The Playground at 1,000 tokens/s (issue #16): in Chromium, a reply of 1,000 tokens streams from the
// simulated replica at 1 ms per token through the engine into the Playground page. Measured: the longest
// main-thread task while it streams (PerformanceObserver 'longtask'), whether every token was rendered
// (the echoed words w1 … w1000 in order), and the rate the page saw (the reply's own tokens/s figure).
import { chromium } from 'playwright-core';
import type { PlaygroundWorld } from '../e2e/support/playground-world.js';
import { words } from './chat-world.js';
import { CHROMIUM_ARGS } from './startup.js';

export interface PlaygroundRender {
  tokens: number;
  streamMs: number;
  longestTaskMs: number;
  longTasks: number;
  allRendered: boolean;
  /** What the reply's stats say. */
  tokensPerSecShown: string;
}

const RECORD_LONG_TASKS = `(() => {
  window.__longTasks = [];
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push({ at: performance.timeOrigin + e.startTime, ms: e.duration }); })
    .observe({ type: 'longtask', buffered: true });
})()`;

export async function playgroundRender(w: PlaygroundWorld, tokens = 1000): Promise<PlaygroundRender> {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.addInitScript(RECORD_LONG_TASKS);
    await page.goto(`${w.host.url}#/playground`);
    await page.getByTestId('gateway-ready').waitFor({ timeout: 60_000 });
    // A short reply first: the forwarder, the EPP follower and the page's code are warm.
    await page.getByTestId('param-maxTokens').fill(String(tokens));
    await page.getByTestId('composer').fill('warm up');
    await page.getByTestId('composer').press('Enter');
    await page.locator('[data-testid="turn-assistant"][data-status="done"]').first().waitFor({ timeout: 30_000 });

    await page.getByTestId('composer').fill(words(tokens));
    const sent = Date.now();
    await page.getByTestId('composer').press('Enter');
    const reply = page.getByTestId('turn-assistant').nth(1);
    await reply.and(page.locator('[data-status="done"]')).waitFor({ timeout: 60_000 });
    const done = Date.now();
    const text = await reply.evaluate((el) => el.querySelector('.pg-markdown')?.textContent ?? '');
    const shown = text.split(/\s+/).filter(Boolean);
    const allRendered = shown.length === tokens && shown.every((t, i) => t === `w${i + 1}`);
    const tasks = await page.evaluate(() => (window as unknown as { __longTasks: Array<{ at: number; ms: number }> }).__longTasks);
    const during = tasks.filter((t) => t.at + t.ms >= sent && t.at <= done);
    const tokensPerSecShown = (await reply.getByTestId('stat-tps').innerText().catch(() => '')).trim();
    return { tokens, streamMs: done - sent, longestTaskMs: Math.max(0, ...during.map((t) => t.ms)), longTasks: during.length, allRendered, tokensPerSecShown };
  } finally {
    await browser.close();
  }
}
