// Scheduling (issue #16): the executor's bound is for local work. The image pre-pull — minutes of
// download — must not hold a slot that monitoring (on the critical path to the stack) waits for. The
// real plan's steps, with the run service's configured bound, and stand-in work so it takes milliseconds.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PlanProgress } from '../../../shared/api/engine.js';
import { testServices } from '../services.testkit.js';
import { STEPS } from '../steps/index.js';
import { execute } from './executor.js';
import { Journal } from './journal.js';
import type { Step, StepContext } from './step.js';

const dirs: string[] = [];
const tmp = () => { const d = fs.mkdtempSync(path.join(os.tmpdir(), 'sched-')); dirs.push(d); return d; };
afterEach(() => { for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true }); });

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The step as the plan has it (id, needs, include, load), its work replaced by a wait. */
const standIn = (step: Step, ms: number): Step => ({ ...step, detect: async () => ({ state: 'todo' }), run: () => sleep(ms) });

const runningSets = (progress: PlanProgress[]): string[][] =>
  progress.map((p) => p.steps.filter((s) => s.state === 'running').map((s) => s.id).sort());

describe('executor scheduling', () => {
  it('starts monitoring beside the CRDs while the image pre-pull runs, and still bounds local work', async () => {
    const work: Record<string, number> = { 'image-prepull': 800, crds: 150, istio: 150, monitoring: 200 };
    const progress: PlanProgress[] = [];
    const services = testServices({
      home: tmp(), steps: STEPS.map((s) => standIn(s, work[s.id] ?? 5)),
      onEvent: (topic, payload) => { if (topic === 'plan.progress') progress.push(payload as PlanProgress); },
    });
    const res = await (await services.runs.startUp('fresh')).result;
    await services.dispose();
    expect(res.status).toBe('succeeded');
    const sets = runningSets(progress);
    // The moment the cluster answers, all three of its dependants run: the pull takes no slot.
    expect(sets).toContainEqual(['crds', 'image-prepull', 'monitoring']);
    // The bound (2) still holds for everything else.
    const prepullLoad = STEPS.find((s) => s.id === 'image-prepull')?.load;
    expect(prepullLoad).toBe('network');
    for (const set of sets) expect(set.filter((id) => id !== 'image-prepull').length).toBeLessThanOrEqual(2);
    const step = (id: string) => res.journal.steps.find((s) => s.id === id)!;
    expect(Date.parse(step('monitoring').startedAt!)).toBeLessThan(Date.parse(step('image-prepull').endedAt!));
  });

  it('bounds network steps during teardown like any other (an undo is local work)', async () => {
    const order: string[] = [];
    let running = 0;
    let most = 0;
    const step = (id: string, load?: 'network'): Step => ({
      id, title: id, needs: [], ...(load ? { load } : {}), describe: () => ({ commands: [] }), detect: async () => ({ state: 'done' }), run: async () => {},
      async undo() {
        running++;
        most = Math.max(most, running);
        order.push(id);
        await sleep(30);
        running--;
      },
    });
    const res = await execute({
      runId: 'r', kind: 'down', steps: [step('a', 'network'), step('b'), step('c', 'network')], concurrency: 1,
      journal: new Journal(path.join(tmp(), 'j.json')), settings: {}, signal: new AbortController().signal,
      open: () => ({ logPath: '', ctx: { log: () => {} } as unknown as StepContext }), onProgress: () => {},
    });
    expect(res.status).toBe('succeeded');
    expect(most).toBe(1);
    expect(order).toEqual(['a', 'b', 'c']);
  });
});
