// Start-up in Chromium (issue #16): from the web host printing its URL (ready) to the wizard being
// interactive — the Welcome page's primary button enabled and the engine's info shown in the top bar —
// and the JavaScript fetched by then (bytes as served, and gzip as a compressing server would send),
// then everything fetched once the idle preload of the other pages has run.
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { chromium } from 'playwright-core';
import { startSimHost } from '../e2e/support/sim-host.js';
import { gzipSize } from '../scripts/initial-js.js';
import { ROOT } from './sim-world.js';

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export interface JsWeight {
  /** Names without their content hash. */
  names: string[];
  files: number;
  bytes: number;
  gzip: number;
}

export interface Startup {
  /** Median over the runs, ms. */
  readyToInteractiveMs: number;
  runsMs: number[];
  initialJs: JsWeight;
  afterIdleJs: JsWeight;
  /** The web host process (the engine) with one page connected and nothing installed, MiB. */
  engineIdleRssMiB: number;
}

/** A process's resident set (VmRSS), MiB. */
export const rssMiB = (pid: number): number => {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
};

const weigh = (paths: readonly string[]): JsWeight => {
  const bufs = paths.map((p) => fs.readFileSync(path.join(ROOT, 'out', 'renderer', p)));
  return { names: paths.map((p) => path.basename(p).replace(/-[\w-]{8}\.js$/, '')).sort(), files: bufs.length, bytes: bufs.reduce((n, b) => n + b.length, 0), gzip: bufs.reduce((n, b) => n + gzipSize(b), 0) };
};

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

export async function startup(runs = 5): Promise<Startup> {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const runsMs: number[] = [];
  let initial: string[] = [];
  let afterIdle: string[] = [];
  let engineIdleRssMiB = NaN;
  try {
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
      const page = await context.newPage();
      const scripts: string[] = [];
      page.on('response', (res) => {
        if (res.request().resourceType() === 'script') scripts.push(new URL(res.url()).pathname.replace(/^\//, ''));
      });
      // The page notes when the top bar first shows the engine's version (the last thing the Welcome
      // page waits for); scripts whose fetch started before that are the initial JS.
      // (No named functions inside: tsx would wrap them in a __name() helper the page does not have.)
      await page.addInitScript(() => {
        new MutationObserver((_m, obs) => {
          if (!document.querySelector('.brand-version')) return;
          performance.mark('llmd-interactive');
          obs.disconnect();
        }).observe(document, { subtree: true, childList: true });
      });
      const sim = await startSimHost();
      try {
        const ready = performance.now(); // startSimHost returns when the host printed its URL
        await page.goto(sim.url);
        await page.getByRole('button', { name: 'Check this machine' }).waitFor({ state: 'visible' });
        await page.locator('.brand-version').waitFor({ state: 'visible' });
        runsMs.push(performance.now() - ready);
        initial = await page.evaluate(() => {
          const at = performance.getEntriesByName('llmd-interactive')[0]?.startTime ?? Infinity;
          return performance.getEntriesByType('resource')
            .filter((e) => (e as PerformanceResourceTiming).initiatorType !== 'fetch' && e.name.endsWith('.js') && e.startTime <= at)
            .map((e) => new URL(e.name).pathname.replace(/^\//, ''));
        });
        await page.waitForTimeout(1500); // the idle preload of the other pages
        afterIdle = [...new Set(scripts)];
        engineIdleRssMiB = rssMiB(sim.pid);
      } finally {
        await context.close();
        await sim.dispose();
      }
    }
  } finally {
    await browser.close();
  }
  return { readyToInteractiveMs: median(runsMs), runsMs, initialJs: weigh([...new Set(initial)]), afterIdleJs: weigh(afterIdle), engineIdleRssMiB };
}
