// One task lifecycle for every kind (shared/api/tasks.ts TaskProgress), through the dispatcher and the
// engine's event bus as a transport sees them: the task's first event is `running` with its title, then
// `running` progress, then exactly one final event — the last one — carrying the typed result of its kind.
// Every event is checked against the contract schema. The Playground's gateway is a simulated replica
// (sim/replicas) behind a fake cluster link; prerequisites come from a test mirror folder.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Replica } from '../../sim/replicas/replica.js';
import { TaskProgress, type FinalTaskProgress } from '../../shared/api/tasks.js';
import { createEngine } from './api.js';
import { TaskRegistry } from './task-registry.js';
import type { Step } from './plan/step.js';
import type { ClusterLink } from './playground/cluster-link.js';
import { buildTestMirror } from './prereqs/test-mirror.js';

const MODEL = 'HuggingFaceTB/SmolLM2-360M-Instruct';
const dirs: string[] = [];
const tmp = () => { const d = fs.mkdtempSync(path.join(os.tmpdir(), 'lifecycle-')); dirs.push(d); return d; };
afterEach(() => { for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true }); });

// One decode replica, an llm-d-inference-sim image (so it names itself in `x-inference-pod`), as the gateway.
const replica = new Replica({ model: MODEL, podName: 'decode-a', namespace: 'llm-d', mode: 'echo', timeToFirstTokenMs: 1, interTokenLatencyMs: 1, maxModelLen: 4096, image: 'ghcr.io/llm-d/llm-d-inference-sim:v0.6.1' });
let server: http.Server;
let link: ClusterLink;
let mirror: string;
beforeAll(async () => {
  server = http.createServer((req, res) => replica.handle(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  link = {
    gatewayUrl: async () => url,
    forgetGateway: () => undefined,
    decodePods: async () => [{ name: 'decode-a', ip: '10.244.0.11', ready: true }],
    noteSent: () => undefined,
    handled: async () => undefined,
    idRewritten: () => false,
    idKept: () => false,
    eppVerbose: async () => true,
    metrics: async () => replica.metrics(),
    close: () => undefined,
  };
  mirror = fs.mkdtempSync(path.join(os.tmpdir(), 'lifecycle-mirror-'));
  await buildTestMirror(mirror, 'linux', 'x64');
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  fs.rmSync(mirror, { recursive: true, force: true });
});

const step = (id: string, run: () => Promise<void>): Step => ({
  id, title: id, needs: [], describe: () => ({ commands: [] }), detect: async () => ({ state: 'todo' }), run, undo: async () => {},
});

function engineWith(opts: { steps?: Step[]; settings?: Record<string, unknown> } = {}) {
  const dataDir = tmp();
  if (opts.settings) fs.writeFileSync(path.join(dataDir, 'settings.json'), JSON.stringify(opts.settings));
  const engine = createEngine({ dataDir, transport: 'web', rehearsal: false, env: process.env, platform: 'linux', arch: 'x64', clusterLink: link, steps: opts.steps ?? [step('only', async () => {})] });
  const events: unknown[] = [];
  const finals = new Map<string, () => void>();
  engine.events.subscribe((topic, payload) => {
    if (topic !== 'task.progress') return;
    events.push(payload);
    const p = payload as TaskProgress;
    if (p.state !== 'running') finals.get(p.taskId)?.();
  });
  /**
   * The task's events once its final one came and the engine was shut down (so a second final event, had one
   * been sent, is in the list too); each one parsed by the contract's schema.
   */
  const lifecycle = async (taskId: string): Promise<{ all: TaskProgress[]; final: FinalTaskProgress }> => {
    const ended = (e: unknown) => (e as TaskProgress).taskId === taskId && (e as TaskProgress).state !== 'running';
    if (!events.some(ended)) await new Promise<void>((resolve) => finals.set(taskId, resolve));
    await engine.dispose();
    const all = events.map((e) => TaskProgress.parse(e)).filter((e) => e.taskId === taskId);
    const final = all.filter((e): e is FinalTaskProgress => e.state !== 'running');
    expect(final).toHaveLength(1);
    expect(all.at(-1)).toBe(final[0]);
    expect(all[0]!.state).toBe('running');
    expect(new Set(all.map((e) => e.title)).size).toBe(1);
    return { all, final: final[0]! };
  };
  return { engine, lifecycle };
}

describe('every task kind has one lifecycle with its title and typed result', () => {
  it('plan: running, then one final event with the run id, its status and the step that failed', async () => {
    const { engine, lifecycle } = engineWith({ steps: [step('only', async () => { throw new Error('boom'); })] });
    const r = await engine.dispatcher.call('plan.run', { taskId: 'test-plan-0001' });
    expect(r.ok).toBe(true);
    const { all, final } = await lifecycle('test-plan-0001');
    expect(all[0]).toMatchObject({ kind: 'plan', title: 'Install llm-d (llm-d-0.9-optimized-baseline)' });
    expect(final).toMatchObject({ state: 'failed', result: { kind: 'plan', runId: r.ok ? r.value.runId : '', status: 'failed', failedStep: 'only' } });
  });

  it('plan: the failed step is the first to fail, not the first failed one in plan order', async () => {
    // Two steps side by side: the one listed second fails first; the first-listed one fails after it.
    let secondFailed = () => {};
    const gate = new Promise<void>((r) => (secondFailed = r));
    const { engine, lifecycle } = engineWith({ steps: [
      step('listed-first', async () => { await gate; await new Promise((r) => setImmediate(r)); throw new Error('listed-first broke later'); }),
      step('listed-second', async () => { secondFailed(); throw new Error('listed-second broke first'); }),
    ] });
    expect((await engine.dispatcher.call('plan.run', { taskId: 'test-plan-0002' })).ok).toBe(true);
    const { final } = await lifecycle('test-plan-0002');
    expect(final).toMatchObject({ state: 'failed', message: expect.stringContaining('listed-second broke first'), result: { failedStep: 'listed-second' } });
  });

  it('teardown: running, then one final event with the run id and its status', async () => {
    const { engine, lifecycle } = engineWith();
    const r = await engine.dispatcher.call('plan.teardown', { stopCluster: false, deleteCluster: false, stopMachine: false, taskId: 'test-down-0001' });
    expect(r.ok).toBe(true);
    const { all, final } = await lifecycle('test-down-0001');
    expect(all[0]).toMatchObject({ kind: 'teardown', title: 'Teardown (llm-d-cpu)' });
    expect(final).toMatchObject({ state: 'succeeded', result: { kind: 'teardown', runId: r.ok ? r.value.runId : '', status: 'succeeded' } });
    expect(final.result).not.toHaveProperty('failedStep');
  });

  it('prerequisites: the final event lists the tools installed', async () => {
    const { engine, lifecycle } = engineWith({ settings: { mirror: pathToFileURL(mirror).href } });
    expect((await engine.dispatcher.call('prereqs.install', { tool: 'helm', taskId: 'test-prereqs-01' })).ok).toBe(true);
    const { all, final } = await lifecycle('test-prereqs-01');
    expect(all[0]).toMatchObject({ kind: 'prereqs', title: 'Install prerequisite: helm' });
    expect(final).toMatchObject({ state: 'succeeded', result: { kind: 'prereqs', installed: ['helm'] } });
  }, 30_000);

  it('prerequisites that cannot be installed end failed with nothing installed', async () => {
    const { engine, lifecycle } = engineWith();
    expect((await engine.dispatcher.call('prereqs.install', { tool: 'docker', taskId: 'test-prereqs-02' })).ok).toBe(true);
    const { final } = await lifecycle('test-prereqs-02');
    expect(final).toMatchObject({ kind: 'prereqs', state: 'failed', message: expect.stringContaining('docker'), result: { kind: 'prereqs', installed: [] } });
  });

  it('chat: running, then one final event naming the replica that answered, its tokens and finish reason', async () => {
    const { engine, lifecycle } = engineWith();
    const r = await engine.dispatcher.call('chat.send', { model: MODEL, messages: [{ role: 'user', content: 'hello there' }], params: { maxTokens: 4 }, taskId: 'test-chat-0001' });
    expect(r.ok).toBe(true);
    const { all, final } = await lifecycle('test-chat-0001');
    expect(all[0]).toMatchObject({ kind: 'chat', title: 'Chat with SmolLM2-360M-Instruct' });
    expect(final).toMatchObject({ state: 'succeeded', result: { kind: 'chat', replica: 'decode-a', finishReason: expect.any(String), stopped: false } });
    expect(final.result.kind === 'chat' && final.result.completionTokens).toBeGreaterThan(0);
  });

  it('experiment: running with its progress, then one final event with its summary counts', async () => {
    const { engine, lifecycle } = engineWith();
    expect((await engine.dispatcher.call('experiment.run', { requests: 2, concurrency: 1, maxTokens: 2, model: MODEL, taskId: 'test-exp-00001' })).ok).toBe(true);
    const { all, final } = await lifecycle('test-exp-00001');
    expect(all[0]).toMatchObject({ kind: 'experiment', title: 'Routing experiment (2 requests per arm)' });
    expect(all.some((e) => e.state === 'running' && e.fraction !== undefined && e.fraction > 0)).toBe(true);
    expect(final).toMatchObject({ state: 'succeeded', result: { kind: 'experiment', summary: { replicas: 1, requests: 4, failed: 0 } } });
  }, 30_000);

  it('a chat the gateway refuses ends failed, still with one final event of its kind', async () => {
    const { engine, lifecycle } = engineWith();
    expect((await engine.dispatcher.call('chat.send', { model: 'no-such-model', messages: [{ role: 'user', content: 'hi' }], params: {}, taskId: 'test-chat-0002' })).ok).toBe(true);
    const { final } = await lifecycle('test-chat-0002');
    expect(final).toMatchObject({ kind: 'chat', state: 'failed', result: { kind: 'chat', stopped: false } });
  });
});

describe('the registry keeps the lifecycle whatever its caller does', () => {
  it('sends the start on registration, and nothing after the one final event', () => {
    const sent: TaskProgress[] = [];
    const tasks = new TaskRegistry((e) => sent.push(e));
    const t = tasks.start('teardown', { id: 'reg-test-0001', title: 'Teardown (llm-d-cpu)', runId: 'down-1' });
    expect(sent).toEqual([{ taskId: 'reg-test-0001', kind: 'teardown', title: 'Teardown (llm-d-cpu)', runId: 'down-1', state: 'running' }]);
    t.progress(0.5);
    t.finish('failed', { runId: 'down-1', status: 'failed', failedStep: 'stack' }, 'boom');
    t.finish('succeeded', { runId: 'down-1', status: 'succeeded' });
    t.progress(0.9);
    expect(sent.map((e) => e.state)).toEqual(['running', 'running', 'failed']);
    expect(sent.at(-1)).toMatchObject({ message: 'boom', result: { kind: 'teardown', failedStep: 'stack' } });
    for (const e of sent) expect(TaskProgress.safeParse(e).success).toBe(true);
    // Its id is free again once it ended.
    expect(tasks.kindOf('reg-test-0001')).toBeUndefined();
  });
});
