// "Show the whole log" (issue #16): helmfile prints 50,000 lines, the live events summarise most of them,
// and the stack step's terminal reads the step's log file a page at a time — saying how far it got, with
// Stop, and "Load the rest" after a stop — until it holds every line of the file, searchable. The pages
// after the first are held back by the test (a WebSocket route) so the loading state can be looked at.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type WebSocketRoute } from '@playwright/test';
import { parse, stringify } from 'yaml';
import { InstallPage } from '../pages/install-page.js';
import { Wizard } from '../pages/wizard.js';
import { FAST, MIRROR_URL, startSimHost, type SimHost } from '../support/sim-host.js';

const LINES = 50_000;
const SETTINGS = { mirror: MIRROR_URL, cpus: 4, memoryMiB: 16384, diskGB: 50, replicas: 1, release: 'llm-d-0.4-cpu-guide' };

let sim: SimHost | undefined;
let dir: string | undefined;
test.afterEach(async () => {
  await sim?.dispose();
  sim = undefined;
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

/** Forwards the page's WebSocket, holding step.logFile requests for a later page while `held` is set. */
function pageGate(ws: WebSocketRoute) {
  const gate = { held: false, waiting: [] as string[], release() { gate.held = false; for (const m of gate.waiting.splice(0)) server.send(m); } };
  const server = ws.connectToServer();
  ws.onMessage((m) => {
    const text = typeof m === 'string' ? m : m.toString('utf8');
    const frame = JSON.parse(text) as { method?: string; payload?: { offset?: number } };
    if (gate.held && frame.method === 'step.logFile' && (frame.payload?.offset ?? 0) > 0) gate.waiting.push(text);
    else server.send(text);
  });
  server.onMessage((m) => ws.send(m));
  return gate;
}

test('the stack step’s whole log loads page by page with its progress, stops, goes on, and then holds every line', async ({ page }) => {
  test.setTimeout(300_000);
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'whole-log-e2e-'));
  const scenario = path.join(dir, 'flood.yaml');
  const doc = parse(await fs.readFile(FAST, 'utf8')) as Record<string, unknown>;
  await fs.writeFile(scenario, stringify({ ...doc, name: 'whole-log', toolOutput: [{ tool: 'helmfile', match: 'sync', lines: LINES }] }));
  sim = await startSimHost({ scenario, settings: SETTINGS });
  let gate: ReturnType<typeof pageGate> | undefined;
  await page.routeWebSocket(/./, (ws) => { gate = pageGate(ws); });
  await page.setViewportSize({ width: 1280, height: 720 });
  const wizard = new Wizard(page);
  const install = new InstallPage(page);
  await wizard.startInstallFromPlan(sim.url);
  await install.expectFinished(240_000);

  // Live, the flood was summarised: the step's terminal has far fewer lines than the file.
  await install.showLogOf('stack');
  const terminal = install.terminal('stack');
  expect(await install.lineCount('stack')).toBeLessThan(LINES);
  await expect(terminal.getByTestId('terminal-lines')).toBeVisible();

  // The first page comes; the next waits at the gate: the bar says how far it got, of how many.
  gate!.held = true;
  await terminal.getByTestId('show-whole-log').click();
  const progress = terminal.getByTestId('whole-log-progress');
  await expect(progress).toHaveText(/^Loading [\d,]+ of [\d,]+ lines…$/);
  const [loaded, total] = (await progress.innerText()).match(/[\d,]+/g)!.map((n) => Number(n.replace(/,/g, '')));
  expect(loaded).toBeGreaterThan(0);
  expect(loaded).toBeLessThan(total!);
  expect(total).toBeGreaterThan(LINES);
  // The terminal shows the file's first page in place of the live lines (whose summary line is not in the file).
  await expect(terminal.locator('.xterm-rows')).toContainText(new RegExp(`flood \\d+/${LINES} `));
  await expect(terminal.locator('.xterm-rows')).not.toContainText('not shown live');
  await wizard.expectAccessible();
  for (const theme of ['light', 'dark'] as const) {
    await wizard.setTheme(theme);
    await wizard.screenshot(`whole-log-loading-${theme}`);
  }

  // Stop: what was read stays; the rest is offered.
  await terminal.getByTestId('stop-whole-log').click();
  gate!.release();
  await expect(progress).toHaveText(`Stopped at ${loaded!.toLocaleString('en')} of ${total!.toLocaleString('en')} lines`);
  expect(await install.lineCount('stack')).toBe(loaded);
  await terminal.getByTestId('show-whole-log').click();

  // Every line of the file, once: the count the first page gave, the first flood line findable.
  await expect(terminal.getByTestId('whole-log-shown')).toHaveText(`The whole log, from its file (${total!.toLocaleString('en')} lines)`, { timeout: 120_000 });
  expect(await install.lineCount('stack')).toBe(total);
  await expect(terminal.getByTestId('terminal-stack-body')).toHaveAttribute('data-lines-drawn', String(total), { timeout: 60_000 });
  expect(await install.find('stack', `flood 1/${LINES} `)).toBe('Found');
  expect(await install.find('stack', `flood ${LINES}/${LINES} `)).toBe('Found');
  await wizard.expectAccessible();
  for (const theme of ['light', 'dark'] as const) {
    await wizard.setTheme(theme);
    await wizard.screenshot(`whole-log-shown-${theme}`);
  }
});
