// The dispatch fuzz's other half (issue #14): the methods that start runs, given payloads their schemas
// accept, in concurrent batches — plan.run, plan.resume, plan.teardown, with task.cancel of whatever was
// started last and journal.get between. The engine runs a plan of two cheap steps (createEngine's `steps`,
// the same seam the run tests use), so thousands of runs cost no tools and no cluster. Every call answers
// a value or a typed error (never INTERNAL), no two runs ever execute steps at the same time, and the
// engine ends idle and serving.
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../shared/result.js';
import type { Engine } from '../engine/api.js';
import { fuzzEngine } from './fuzz-engine.testkit.js';
import type { Step } from '../engine/plan/step.js';

let dir: string;
let engine: Engine;
let internal: string[] = [];
/** Steps executing right now, over every run: one run at a time means never more than one. */
let inStep = 0;
let mostAtOnce = 0;

const tick = () => new Promise((r) => setImmediate(r));
const work = async () => {
  inStep++;
  mostAtOnce = Math.max(mostAtOnce, inStep);
  try {
    await tick();
    await tick();
  } finally {
    inStep--;
  }
};
const step = (id: string, needs: string[]): Step => ({
  id, title: id, needs, describe: () => ({ commands: [] }), detect: async () => ({ state: 'todo' }), run: work, undo: work,
});

beforeAll(() => {
  ({ dir, engine, internal } = fuzzEngine('llmd-fuzz-runs-', { steps: [step('a', []), step('b', ['a'])] }));
});
afterAll(async () => {
  await engine.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

const typed = (r: Result<unknown>): boolean => r.ok || (r.error.code !== 'INTERNAL' && typeof r.error.message === 'string' && r.error.message.length > 0);

// Payloads the request schemas accept; the overrides may still be settings the engine refuses (a typed error).
const overrides = fc.record({ replicas: fc.integer({ min: -1, max: 9 }), monitoring: fc.boolean() }, { requiredKeys: [] });
const runOptions = { settings: overrides, takeOver: fc.boolean() };
const acting = fc.oneof(
  fc.record({ method: fc.constant('plan.run' as const), payload: fc.record(runOptions, { requiredKeys: [] }) }),
  fc.record({ method: fc.constant('plan.resume' as const), payload: fc.record({ takeOver: fc.boolean() }, { requiredKeys: [] }) }),
  fc.record({ method: fc.constant('plan.teardown' as const), payload: fc.record({ stopCluster: fc.boolean(), deleteCluster: fc.boolean(), stopMachine: fc.boolean(), ...runOptions }, { requiredKeys: [] }) }),
  fc.record({ method: fc.constant('task.cancel' as const), payload: fc.constant('last started' as const) }),
  fc.record({ method: fc.constant('journal.get' as const), payload: fc.constant({}) }),
);

const lockFile = () => path.join(dir, 'home', 'run', 'run.lock');

/**
 * Until no run is going: the journal is in an end state and the run lock is released (the run writes its
 * journal's end, then closes its logs and releases the lock).
 */
async function idle(): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    const r = await engine.dispatcher.dispatch('journal.get', {});
    if (r.ok && (r.value as { journal: { status: string } | null }).journal?.status !== 'running' && !fs.existsSync(lockFile())) return;
    await new Promise((res) => setTimeout(res, 5));
  }
  throw new Error('a run never ended');
}

describe('fuzz of the run-starting methods with valid payloads', () => {
  it('300 concurrent batches: typed answers, never INTERNAL, never two runs at once', async () => {
    let lastTask = 'none-yet';
    await fc.assert(fc.asyncProperty(fc.array(acting, { minLength: 1, maxLength: 5 }), async (batch) => {
      const results = await Promise.all(batch.map(async ({ method, payload }) => {
        const r = await engine.dispatcher.dispatch(method, payload === 'last started' ? { taskId: lastTask } : payload);
        if (r.ok && typeof (r.value as { taskId?: unknown }).taskId === 'string') lastTask = (r.value as { taskId: string }).taskId;
        return { method, payload, r };
      }));
      for (const { method, payload, r } of results) expect(typed(r), `${method} ${JSON.stringify(payload)} → ${JSON.stringify(r)}`).toBe(true);
      await idle();
    }), { numRuns: 300 });
    expect(internal).toEqual([]);
    expect(mostAtOnce).toBe(1);
    expect(await engine.dispatcher.dispatch('app.info', {})).toMatchObject({ ok: true });
  }, 120_000);
});
