import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultSettings } from '../../../shared/api/settings.js';
import type { PlanProgress } from '../../../shared/api/engine.js';
import { ApiException } from '../../../shared/result.js';
import { MemorySecretStore } from '../secrets/secret-store.js';
import { testServices } from '../services.testkit.js';
import { execute, checkDag } from './executor.js';
import { Journal } from './journal.js';
import type { Detection, Step, StepContext } from './step.js';
import { buildPlan, planContext } from './build-plan.js';

const dirs: string[] = [];
const tmp = () => { const d = fs.mkdtempSync(path.join(os.tmpdir(), 'exec-')); dirs.push(d); return d; };
afterEach(() => { for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true }); });

/** A step whose work is a marker file: detect = the file exists, run = a real process that creates it. */
function fileStep(id: string, needs: string[], dir: string, opts: { sleepMs?: number; fail?: boolean; calls?: string[] } = {}): Step {
  const marker = path.join(dir, `${id}.done`);
  return {
    id, title: `Step ${id}`, needs,
    describe: () => ({ commands: [[process.execPath, '-e', `touch ${id}`]] }),
    async detect(): Promise<Detection> {
      opts.calls?.push(`detect:${id}`);
      return fs.existsSync(marker) ? { state: 'done' } : { state: 'todo', reason: 'marker missing' };
    },
    async run(ctx: StepContext) {
      opts.calls?.push(`run:${id}`);
      const script = `console.log('working on ${id}'); setTimeout(() => { ${opts.fail ? `console.error('boom ${id}'); process.exit(4)` : `require('fs').writeFileSync(${JSON.stringify(marker)}, 'x')`} }, ${opts.sleepMs ?? 0});`;
      await ctx.run(process.execPath, ['-e', script]);
    },
  };
}

function makeRuns(steps: Step[], events: { progress: PlanProgress[] } = { progress: [] }) {
  const home = tmp();
  const { runs, ctx } = testServices({ home, steps, onEvent: (topic, payload) => { if (topic === 'plan.progress') events.progress.push(payload as PlanProgress); } });
  return { runs, tasks: ctx.tasks, home };
}

describe('executor', () => {
  it('runs a DAG with independent steps in parallel, honouring needs, and journals every step', async () => {
    const dir = tmp();
    const calls: string[] = [];
    const steps = [fileStep('a', [], dir, { calls }), fileStep('b', ['a'], dir, { sleepMs: 300, calls }), fileStep('c', ['a'], dir, { sleepMs: 300, calls }), fileStep('d', ['b', 'c'], dir, { calls })];
    const events = { progress: [] as PlanProgress[] };
    const { runs } = makeRuns(steps, events);
    const started = Date.now();
    const res = await (await runs.startUp('fresh')).result;
    expect(res.status).toBe('succeeded');
    // b and c overlap: both running at once in some progress event.
    expect(events.progress.some((p) => p.steps.filter((s) => s.state === 'running').map((s) => s.id).sort().join() === 'b,c')).toBe(true);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(calls.indexOf('run:d')).toBeGreaterThan(Math.max(calls.indexOf('run:b'), calls.indexOf('run:c')));
    const j = runs.journal.read()!;
    expect(j.status).toBe('succeeded');
    for (const s of j.steps) {
      expect(s).toMatchObject({ state: 'done', outcome: 'done' });
      expect(s.durationMs).toBeGreaterThanOrEqual(0);
      expect(fs.readFileSync(s.logPath!, 'utf8')).toContain(`working on ${s.id}`);
    }
    expect(events.progress.at(-1)!.fraction).toBe(1);
  });

  it('re-running a finished plan only runs the detects and touches nothing', async () => {
    const dir = tmp();
    const calls: string[] = [];
    const steps = [fileStep('a', [], dir, { calls }), fileStep('b', ['a'], dir, { calls })];
    const { runs } = makeRuns(steps);
    await (await runs.startUp('fresh')).result;
    const before = fs.statSync(path.join(dir, 'a.done')).mtimeMs;
    calls.length = 0;
    const res = await (await runs.startUp('fresh')).result;
    expect(res.status).toBe('succeeded');
    expect(calls).toEqual(['detect:a', 'detect:b']);
    expect(res.journal.steps.map((s) => s.outcome)).toEqual(['already-done', 'already-done']);
    expect(fs.statSync(path.join(dir, 'a.done')).mtimeMs).toBe(before);
  });

  it('surfaces a tool failure with its exit code and last lines, and starts nothing after it', async () => {
    const dir = tmp();
    const calls: string[] = [];
    const { runs } = makeRuns([fileStep('a', [], dir, { fail: true, calls }), fileStep('b', ['a'], dir, { calls })]);
    const res = await (await runs.startUp('fresh')).result;
    expect(res.status).toBe('failed');
    expect(res.error?.code).toBe('TOOL_FAILED');
    expect(res.error?.message).toMatch(/exited with code 4: boom a/);
    expect(calls).not.toContain('detect:b');
    expect(res.journal.steps[0]).toMatchObject({ state: 'failed', outcome: 'failed', error: { code: 'TOOL_FAILED' } });
    expect(res.journal.steps[1]).toMatchObject({ state: 'pending' });
    expect(await runs.journalView()).toMatchObject({ resumable: true, interrupted: false });
  });

  it('reports a blocked step with its reason and hint', async () => {
    const blocked: Step = { id: 'x', title: 'X', needs: [], describe: () => ({ commands: [] }), detect: async () => ({ state: 'blocked', reason: 'Docker is not running', hint: 'Start Docker' }), run: async () => {} };
    const { runs } = makeRuns([blocked]);
    const res = await (await runs.startUp('fresh')).result;
    expect(res.status).toBe('failed');
    expect(res.error).toMatchObject({ message: 'X: Docker is not running', hint: 'Start Docker' });
    expect(res.journal.steps[0]).toMatchObject({ outcome: 'blocked' });
  });

  it('journals a failed step’s structured error details (the UI shows them, e.g. the image report)', async () => {
    const details = { images: [{ role: 'epp', verdict: 'blocker' }] };
    const failing: Step = { id: 'x', title: 'X', needs: [], describe: () => ({ commands: [] }), detect: async () => ({ state: 'todo' }),
      run: async () => { throw new ApiException('IMAGE_UNAVAILABLE', 'An image cannot be pulled', 'Choose another', details); } };
    const { runs } = makeRuns([failing]);
    const res = await (await runs.startUp('fresh')).result;
    expect(res.journal.steps[0]!.error).toEqual({ code: 'IMAGE_UNAVAILABLE', message: 'An image cannot be pulled', hint: 'Choose another', details });
    expect((await runs.journalView()).journal!.steps[0]!.error!.details).toEqual(details);
  });

  it('cancel mid-step kills the tool and leaves no process behind', async () => {
    const dir = tmp();
    const marker = `llmd-cancel-${process.pid}-${Date.now()}`;
    const slow: Step = {
      ...fileStep('slow', [], dir),
      async run(ctx) { await ctx.run(process.execPath, ['-e', `setInterval(() => {}, 1000); console.log('${marker}')`, marker]); },
    };
    const { runs, tasks } = makeRuns([slow, fileStep('after', ['slow'], dir)]);
    const run = await runs.startUp('fresh');
    await new Promise((r) => setTimeout(r, 400));
    tasks.cancelAll();
    const res = await run.result;
    expect(res.status).toBe('cancelled');
    expect(res.journal.steps.map((s) => s.state)).toEqual(['cancelled', 'pending']);
    const ps = execFileSync('ps', ['-eo', 'args='], { encoding: 'utf8' });
    expect(ps.split('\n').filter((l) => l.includes(marker))).toEqual([]);
    expect((await runs.journalView()).resumable).toBe(true);
  });

  it('resume skips the steps the journal finished, without detecting them, and continues', async () => {
    const dir = tmp();
    const calls: string[] = [];
    const a = fileStep('a', [], dir, { calls });
    const failing = fileStep('b', ['a'], dir, { fail: true, calls });
    const { runs, home } = makeRuns([a, failing]);
    await (await runs.startUp('fresh')).result;
    // Same data dir, the step now works (the person fixed the cause).
    const fixed = testServices({ home, steps: [a, fileStep('b', ['a'], dir, { calls })] }).runs;
    calls.length = 0;
    const res = await (await fixed.startUp('resume')).result;
    expect(res.status).toBe('succeeded');
    expect(calls).toEqual(['detect:b', 'run:b']);
    expect(res.journal.runId).toBe(runs.journal.read()!.runId);
    expect((await fixed.journalView()).resumable).toBe(false);
    await expect(fixed.startUp('resume')).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('refuses a second run while one is active', async () => {
    const dir = tmp();
    const { runs, tasks } = makeRuns([fileStep('a', [], dir, { sleepMs: 500 })]);
    const first = await runs.startUp('fresh');
    await expect(runs.startUp('fresh')).rejects.toMatchObject({ code: 'CONFLICT' });
    tasks.cancelAll();
    await first.result;
  });

  it('redacts the HF token in logs, events and the journal', async () => {
    const home = tmp();
    const secrets = new MemorySecretStore();
    await secrets.set('hfToken', 'hf_verysecrettoken');
    const lines: string[] = [];
    const step: Step = {
      id: 's', title: 'S', needs: [], describe: () => ({ commands: [] }), detect: async () => ({ state: 'todo' }),
      async run(ctx) { await ctx.run(process.execPath, ['-e', 'console.log("token hf_verysecrettoken"); process.exit(2)']); },
    };
    const { runs, ctx } = testServices({
      home, secrets, steps: [step],
      onEvent: (topic, payload) => { if (topic === 'step.log') lines.push(...(payload as { lines: string[] }).lines); },
    });
    const res = await (await runs.startUp('fresh')).result;
    expect(lines.join('\n')).toContain('token ***');
    const files = [ctx.paths.journalFile, res.journal.steps[0]!.logPath!];
    for (const f of files) expect(fs.readFileSync(f, 'utf8')).not.toContain('hf_verysecrettoken');
    expect(JSON.stringify(res.journal)).toContain('token ***');
  });

  it('replays a step’s output after an engine restart from its log file', async () => {
    const home = tmp();
    const step: Step = {
      id: 'istio', title: 'Istio', needs: [], describe: () => ({ commands: [] }), detect: async () => ({ state: 'todo' }),
      async run(ctx) { ctx.log('Upgrading release=istiod'); ctx.log('UPDATED RELEASES:'); },
    };
    const first = testServices({ home, steps: [step] });
    await (await first.runs.startUp('fresh')).result;
    await first.ctx.logs.close();
    expect(first.runs.replayLogs('istio').lines).toEqual(expect.arrayContaining(['Upgrading release=istiod', 'UPDATED RELEASES:']));
    // A new engine (the app restarted) has no buffer in memory: the journal's log file answers.
    const again = testServices({ home, steps: [step] });
    const restarted = again.runs;
    expect(again.ctx.logs.replay('istio').lines).toEqual([]);
    expect(restarted.replayLogs('istio').lines).toEqual(expect.arrayContaining(['Upgrading release=istiod', 'UPDATED RELEASES:']));
    expect(restarted.replayLogs('istio').lines.every((l) => !/^\d{4}-\d\d-\d\dT/.test(l))).toBe(true);
  });

  it('teardown runs undo in reverse order of needs', async () => {
    const order: string[] = [];
    const mk = (id: string, needs: string[]): Step => ({ id, title: id, needs, describe: () => ({ commands: [] }), detect: async () => ({ state: 'done' }), run: async () => {}, undo: async () => { order.push(id); } });
    const { runs } = makeRuns([mk('a', []), mk('b', ['a']), mk('c', ['b'])]);
    const res = await (await runs.startTeardown({ stopCluster: false, deleteCluster: false, stopMachine: true })).result;
    expect(res.status).toBe('succeeded');
    expect(order).toEqual(['c', 'b', 'a']);
  });

  it('teardown marks the steps with nothing to undo as skipped in its very first progress event', async () => {
    const mk = (id: string, needs: string[], undo: boolean): Step => ({ id, title: id, needs, describe: () => ({ commands: [] }), detect: async () => ({ state: 'done' }), run: async () => {}, ...(undo ? { undo: async () => {} } : {}) });
    const events = { progress: [] as PlanProgress[] };
    const { runs } = makeRuns([mk('a', [], true), mk('b', ['a'], false), mk('c', ['b'], true)], events);
    const res = await (await runs.startTeardown({ stopCluster: false, deleteCluster: false, stopMachine: false })).result;
    expect(res.status).toBe('succeeded');
    expect(events.progress[0]!.steps.map((s: { id: string; state: string }) => [s.id, s.state])).toEqual([['a', 'pending'], ['b', 'skipped'], ['c', 'pending']]);
    expect(res.journal.steps.map((s) => [s.id, s.state, s.outcome])).toEqual([['a', 'done', 'done'], ['b', 'skipped', 'already-done'], ['c', 'done', 'done']]);
  });

  it('teardown still undoes in order through a step with nothing to undo', async () => {
    const order: string[] = [];
    const mk = (id: string, needs: string[], undo: boolean): Step => ({
      id, title: id, needs, describe: () => ({ commands: [] }), detect: async () => ({ state: 'done' }), run: async () => {},
      ...(undo ? { undo: async () => { order.push(`start:${id}`); await new Promise((r) => setTimeout(r, 50)); order.push(`end:${id}`); } } : {}),
    });
    // c needs b needs a; b has no undo: a must still wait until c is undone.
    const { runs } = makeRuns([mk('a', [], true), mk('b', ['a'], false), mk('c', ['b'], true)]);
    const res = await (await runs.startTeardown({ stopCluster: false, deleteCluster: false, stopMachine: false })).result;
    expect(res.status).toBe('succeeded');
    expect(order).toEqual(['start:c', 'end:c', 'start:a', 'end:a']);
  });
});

describe('plan shape', () => {
  it('rejects cycles and unknown needs', () => {
    expect(() => checkDag([{ id: 'a', needs: ['b'] }, { id: 'b', needs: ['a'] }])).toThrow(/cycle/);
    expect(() => checkDag([{ id: 'a', needs: ['zz'] }])).toThrow(/unknown/);
  });

  it('includes the podman machine on macOS with podman, and on Linux only when chosen', () => {
    const ids = (platform: string, over: object) =>
      buildPlan(planContext({ ...defaultSettings(), ...over }, { platform, arch: 'arm64', runtimes: { docker: true, podman: true } })).map((s) => s.id);
    expect(ids('darwin', {}).slice(0, 5)).toEqual(['host-check', 'prerequisites', 'image-check', 'podman-machine', 'minikube-start']);
    expect(ids('linux', {}).slice(0, 4)).toEqual(['host-check', 'prerequisites', 'image-check', 'minikube-start']);
    expect(ids('linux', { driver: 'podman', podmanMachine: true })).toContain('podman-machine');
    expect(ids('darwin', { driver: 'docker' })).not.toContain('podman-machine');
  });

  it('a step left out hands its needs on to the steps that needed it', () => {
    const s = (id: string, needs: string[], include = true): Step => ({ id, title: id, needs, include: () => include, describe: () => ({ commands: [] }), detect: async () => ({ state: 'done' }), run: async () => {} });
    const plan = buildPlan(planContext(defaultSettings(), { platform: 'linux', arch: 'x64', runtimes: { docker: true, podman: false } }), [s('a', []), s('m', ['a'], false), s('k', ['m'])]);
    expect(plan.map((p) => [p.id, p.needs])).toEqual([['a', []], ['k', ['a']]]);
  });

  it('auto driver prefers podman when installed, like deploy.sh', () => {
    const base = { platform: 'linux', arch: 'x64' };
    expect(planContext(defaultSettings(), { ...base, runtimes: { docker: true, podman: true } }).driver).toBe('podman');
    expect(planContext(defaultSettings(), { ...base, runtimes: { docker: true, podman: false } }).driver).toBe('docker');
  });
});

describe('journal', () => {
  it('writes atomically and reads back; a journal of a dead process is interrupted and resumable', async () => {
    const file = path.join(tmp(), 'journal.json');
    const j = new Journal(file);
    expect(await j.view()).toEqual({ journal: null, resumable: false, interrupted: false });
    j.write({ version: 1, runId: 'r', kind: 'up', status: 'running', pid: 2 ** 22 + 12345, startedAt: 'x', settings: {}, steps: [] });
    expect(fs.readdirSync(path.dirname(file))).toEqual(['journal.json']);
    expect(await j.view()).toMatchObject({ resumable: true, interrupted: true });
    fs.writeFileSync(file, '{broken');
    expect(j.read()).toBeNull();
  });

  it('execute passes a cancellation error through as cancelled, not failed', async () => {
    const c = new AbortController();
    const step: Step = { id: 'a', title: 'a', needs: [], describe: () => ({ commands: [] }), detect: async () => ({ state: 'todo' }), run: async () => { c.abort(); throw new ApiException('CANCELLED', 'x'); } };
    const res = await execute({
      runId: 'r', kind: 'up', steps: [step], journal: new Journal(path.join(tmp(), 'j.json')), settings: {}, signal: c.signal,
      open: () => ({ logPath: '', ctx: { log: () => {} } as unknown as StepContext }), onProgress: () => {},
    });
    expect(res.status).toBe('cancelled');
  });
});
