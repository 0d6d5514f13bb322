// The Playground against the simulated world (2 decode replicas behind the gateway and the EPP, brought
// up directly, not by the engine's install): a reply streams as Markdown with its figures and replica,
// Stop keeps the partial text, the routing experiment spreads distinct prompts over both replicas and
// keeps the shared prefix on one, the metrics charts move while requests run, and the errors a person
// meets — context too long, the forward cut mid-reply, the gateway unreachable — say so plainly.
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { releaseSelectors } from '../../shared/release.js';
import { loadRelease } from '../../electron/engine/stack/releases.js';
import { apiCall } from '../support/api.js';
import { GUIDE_RELEASE_ID, NS, startPlaygroundWorld, type PlaygroundWorld } from '../support/playground-world.js';
import { SCREENSHOTS } from '../support/web-host.js';

const SELECTORS = releaseSelectors(loadRelease(GUIDE_RELEASE_ID)) as Required<ReturnType<typeof releaseSelectors>>; // the guide release has an Istio gateway

test.describe.configure({ mode: 'serial' });

let w: PlaygroundWorld;
let page: Page;

test.beforeAll(async ({ browser }) => {
  test.setTimeout(240_000);
  w = await startPlaygroundWorld();
  // Axe needs a page of an explicit context.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
});
test.afterAll(async () => {
  test.setTimeout(60_000);
  // Teardown must run even when closing the page fails (e.g. its trace file vanished).
  await page?.context().close().catch(() => undefined);
  const left = await w?.teardown();
  expect(left ?? [], 'processes left after teardown').toEqual([]);
});

const shot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: false });
const lastReply = () => page.getByTestId('turn-assistant').last();
const composer = () => page.getByTestId('composer');
/** The reply's streamed text so far (not the "Waiting for the first token…" placeholder). */
const streamed = (reply: ReturnType<typeof lastReply>) => reply.evaluate((el) => el.querySelector('.pg-markdown')?.textContent ?? '');

async function decodePods(): Promise<string[]> {
  const r = await w.kubectl(['get', 'pods', '-n', NS, '-l', SELECTORS.decode, '-o', 'jsonpath={.items[*].metadata.name}']);
  return r.stdout.trim().split(/\s+/).filter(Boolean);
}

async function setParam(testId: string, value: string): Promise<void> {
  await page.getByTestId(testId).fill(value);
}

async function expectNoSeriousA11yViolations(): Promise<void> {
  const results = await new AxeBuilder({ page }).include('#main').analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}

// The sim's replicas echo the prompt (e2e/fixtures/playground-scenario.yaml), so a prompt written in
// Markdown comes back as a Markdown reply, streamed word by word.
const MARKDOWN_PROMPT = [
  'How llm-d routes a request, in **three steps**:',
  '',
  '1. The gateway receives the request and asks the endpoint picker.',
  '2. The EPP scores each replica on queue depth, KV-cache use and prefix affinity.',
  '3. The chosen replica streams the reply back through the gateway.',
  '',
  '```bash',
  'curl -N http://127.0.0.1:8000/v1/chat/completions -d @request.json',
  '```',
  '',
  'Requests that share a long prompt prefix tend to land on the replica that already has it cached.',
].join('\n');
const LONG_PROMPT = Array.from({ length: 12 }, (_, i) => `Sentence ${i + 1} of a long story about replicas, queues and prefix caches.`).join(' ');

test('streams a Markdown reply from the gateway’s model and says which replica served it', async () => {
  test.setTimeout(90_000);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(w.host.url).origin });
  await page.goto(`${w.host.url}#/playground`);
  await expect(page.getByRole('heading', { level: 1, name: 'Playground' })).toBeVisible();
  await expect(page.getByTestId('gateway-ready')).toBeVisible({ timeout: 30_000 });
  const { models } = (await apiCall(w.host.port, w.host.token, 'chat.models')) as { models: string[] };
  await expect(page.getByTestId('model-picker')).toHaveValue(models[0]!);
  // Both replicas' live metrics are on the page.
  await expect(page.getByTestId('metrics-replica')).toHaveCount(2, { timeout: 20_000 });

  // Shift+Enter is a new line, not a send.
  await composer().fill('first line');
  await composer().press('Shift+Enter');
  await composer().pressSequentially('second line');
  await expect(composer()).toHaveValue('first line\nsecond line');
  await expect(page.getByTestId('turn-user')).toHaveCount(0);

  await setParam('param-maxTokens', '200');
  await composer().fill(MARKDOWN_PROMPT);
  await composer().press('Enter');
  await expect(page.getByTestId('turn-user')).toContainText('How llm-d routes a request');
  const reply = lastReply();
  await expect(reply).toHaveAttribute('data-status', 'streaming');
  await expect(page.getByTestId('stop')).toBeVisible();
  await expect(reply.locator('ol li').nth(1)).toContainText('The EPP scores', { timeout: 10_000 });
  await expect(reply).toHaveAttribute('data-status', 'streaming');
  // A tall window shows the chat and the live metrics in one picture.
  await page.setViewportSize({ width: 1280, height: 1400 });
  await shot('playground-midstream');
  await page.setViewportSize({ width: 1280, height: 900 });

  await expect(reply).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  // Rendered as Markdown: bold, a list, a code block with its language and a Copy button.
  await expect(reply.locator('strong')).toHaveText('three steps');
  await expect(reply.locator('ol li')).toHaveCount(3);
  const code = reply.locator('.pg-code');
  await expect(code.locator('.pg-code-lang')).toHaveText('bash');
  await expect(code.locator('pre')).toHaveText('curl -N http://127.0.0.1:8000/v1/chat/completions -d @request.json');
  await code.getByRole('button', { name: 'Copy bash code' }).click();
  await expect(code.getByRole('button', { name: 'Copy bash code' })).toHaveText(/Copied/);
  expect((await page.evaluate(() => navigator.clipboard.readText())).trim()).toBe('curl -N http://127.0.0.1:8000/v1/chat/completions -d @request.json');

  const stats = reply.getByTestId('reply-stats');
  await expect(stats.getByTestId('stat-ttft')).toHaveText(/\d+ ms|\d\.\d+ s/);
  await expect(stats.getByTestId('stat-tps')).toHaveText(/tokens\/s/);
  await expect(stats.getByTestId('stat-tokens')).toHaveText(/\d+ prompt · \d+ completion/);
  const pod = await stats.getByTestId('stat-replica').getAttribute('data-pod');
  expect(await decodePods()).toContain(pod);
  await expectNoSeriousA11yViolations();
});

test('Stop (Escape) keeps the partial reply, marked stopped; Regenerate answers again', async () => {
  test.setTimeout(60_000);
  await setParam('param-maxTokens', '400');
  await composer().fill(LONG_PROMPT);
  await composer().press('Enter');
  const reply = lastReply();
  await expect(reply).toHaveAttribute('data-status', 'streaming');
  await expect.poll(async () => (await streamed(reply)).length, { timeout: 10_000, intervals: [100] }).toBeGreaterThan(40);
  await page.keyboard.press('Escape');
  await expect(reply).toHaveAttribute('data-status', 'stopped');
  await expect(reply.getByTestId('stopped-badge')).toBeVisible();
  const partial = await reply.getByTestId('reply-text').innerText();
  expect(partial.length).toBeGreaterThan(40);
  expect(partial.length).toBeLessThan(LONG_PROMPT.length);
  expect(LONG_PROMPT.startsWith(partial.trim())).toBe(true);
  // Nothing more arrives once stopped, and the partial text stays.
  await page.waitForTimeout(400);
  expect(await reply.getByTestId('reply-text').innerText()).toBe(partial);

  await setParam('param-maxTokens', '8');
  await reply.getByRole('button', { name: 'Regenerate' }).click();
  await expect(page.getByTestId('turn-assistant')).toHaveCount(2);
  await expect(lastReply()).toHaveAttribute('data-status', 'done', { timeout: 20_000 });
  await expect(lastReply().getByTestId('stat-tokens')).toHaveText(/8 completion/);
});

test('the routing experiment spreads distinct prompts and keeps the shared prefix together; the metrics move', async () => {
  test.setTimeout(120_000);
  await page.getByTestId('exp-requests').fill('8');
  await page.getByTestId('exp-concurrency').fill('2');
  await page.getByTestId('exp-maxTokens').fill('6');
  // The charts keep a bounded history, so "moving" is judged by the newest sample's time, not the count.
  const lastAt = () => page.getByTestId('metric-running').evaluateAll((els) => Math.max(...els.map((e) => Number(e.getAttribute('data-last-at')) || 0)));
  const before = await lastAt();
  await page.getByTestId('exp-run').click();
  await expect(page.getByTestId('exp-progress')).toBeVisible();

  // While requests run, some replica reports running requests and the charts gain points.
  const seenRunning = new Set<number>();
  await expect.poll(async () => {
    const v = await page.getByTestId('metric-running').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-value') || 0)));
    v.forEach((x) => seenRunning.add(x));
    return Math.max(...seenRunning);
  }, { timeout: 30_000, intervals: [200] }).toBeGreaterThan(0);
  await expect.poll(lastAt, { timeout: 10_000 }).toBeGreaterThan(before);

  const result = page.getByTestId('exp-result');
  await expect(result).toBeVisible({ timeout: 60_000 });
  const pods = await decodePods();
  const distinct = page.getByTestId('arm-distinct');
  await expect(distinct).toHaveAttribute('data-replicas', '2');
  for (const row of await distinct.getByTestId('arm-replica').all()) expect(pods).toContain(await row.getAttribute('data-pod'));
  const concentration = Number(await page.getByTestId('arm-shared').getAttribute('data-concentration'));
  expect(concentration).toBeGreaterThanOrEqual(0.75);
  await expect(page.getByTestId('exp-reading')).toContainText('Shared-prefix requests stayed together');
  await expect(page.getByTestId('exp-reading')).toContainText('Distinct prompts were spread over 2 replicas');

  await expectNoSeriousA11yViolations();
  await page.getByTestId('experiment').scrollIntoViewIfNeeded();
  await page.getByTestId('experiment').screenshot({ path: path.join(SCREENSHOTS, 'playground-experiment.png') });
  await page.getByRole('button', { name: 'Dark theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.getByTestId('experiment').screenshot({ path: path.join(SCREENSHOTS, 'playground-experiment-dark.png') });
  await page.setViewportSize({ width: 1280, height: 1400 });
  await page.getByRole('heading', { level: 1, name: 'Playground' }).scrollIntoViewIfNeeded();
  await shot('playground-dark');
  await page.setViewportSize({ width: 1280, height: 900 });
  await expectNoSeriousA11yViolations();
  await page.getByRole('button', { name: 'Light theme' }).click();
});

test('a conversation longer than the model’s context shows the server’s own message', async () => {
  await setParam('param-maxTokens', '32768');
  await composer().fill('Hello');
  await composer().press('Enter');
  const err = lastReply().getByTestId('reply-error');
  await expect(err).toHaveAttribute('data-kind', 'context-length');
  await expect(err).toContainText('maximum context length');
  await setParam('param-maxTokens', '200');
});

test('cutting the port-forward mid-reply keeps the partial text and says the reply broke off; the next message reconnects', async () => {
  test.setTimeout(60_000);
  const first = w.gatewayForwarderPid();
  expect(first).toBeDefined();
  await composer().fill(LONG_PROMPT);
  await composer().press('Enter');
  const reply = lastReply();
  await expect.poll(async () => (await streamed(reply)).length, { timeout: 10_000, intervals: [100] }).toBeGreaterThan(10);
  process.kill(first!, 'SIGKILL');
  await expect(reply).toHaveAttribute('data-status', 'failed', { timeout: 10_000 });
  await expect(reply.getByTestId('reply-error')).toHaveAttribute('data-kind', 'mid-stream');
  await expect(reply.getByTestId('reply-error')).toContainText('broke off');
  expect(LONG_PROMPT.startsWith((await streamed(reply)).trim())).toBe(true);
  expect((await streamed(reply)).length).toBeGreaterThan(10);
  await shot('playground-midstream-cut');

  await setParam('param-maxTokens', '8');
  await composer().fill('Still there?');
  await composer().press('Enter');
  await expect(lastReply()).toHaveAttribute('data-status', 'done', { timeout: 20_000 });
  expect(w.gatewayForwarderPid()).not.toBe(first);
});

test('when the gateway cannot be reached the page says so and Reconnect brings it back', async () => {
  test.setTimeout(90_000);
  const deploy = (await w.kubectl(['get', 'deploy', '-n', NS, '-l', SELECTORS.gateway, '-o', 'name'])).stdout.trim();
  expect(deploy).toMatch(/^deployment\.apps\//);
  expect((await w.kubectl(['scale', deploy, '-n', NS, '--replicas=0'])).exitCode).toBe(0);
  await expect.poll(async () => (await w.kubectl(['get', 'pods', '-n', NS, '-l', SELECTORS.gateway, '-o', 'name'])).stdout.trim(), { timeout: 20_000 }).toBe('');

  await composer().fill('Are you there?');
  await composer().press('Enter');
  const err = lastReply().getByTestId('reply-error');
  await expect(err).toHaveAttribute('data-kind', 'gateway-down', { timeout: 20_000 });
  await expect(err).toContainText('Cannot reach the gateway');
  const banner = page.getByTestId('gateway-error');
  await expect(banner).toContainText('Cannot reach the gateway');
  await expect(banner.getByTestId('reconnect')).toBeVisible();
  await expect(page.getByTestId('send')).toBeDisabled();
  await shot('playground-gateway-down');

  expect((await w.kubectl(['scale', deploy, '-n', NS, '--replicas=1'])).exitCode).toBe(0);
  expect((await w.kubectl(['wait', '--for=condition=Ready', 'pod', '-l', SELECTORS.gateway, '-n', NS, '--timeout=60s'])).exitCode).toBe(0);
  await banner.getByTestId('reconnect').click();
  await expect(page.getByTestId('gateway-ready')).toBeVisible({ timeout: 20_000 });
  await composer().fill('Back?');
  await composer().press('Enter');
  await expect(lastReply()).toHaveAttribute('data-status', 'done', { timeout: 20_000 });
});
