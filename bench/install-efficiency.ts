// Install efficiency on the sim (issue #16): wall time of `up` against
//   - the floor: the plan DAG's critical path, each step weighted by the duration the sim gave it in
//     this very run (journal durationMs) — what a scheduler with no slot waits could reach, and
//   - the anchor: the guide's deploy.sh way, the same steps one after another without the pre-pull,
//     run for real on a second, fresh world (the engine's run service with a bound of 1 and no pre-pull)
//     up to Ready; the port-forward and smoke test are the same work in both, and an in-process engine
//     under tsx cannot find the built forwarder helper, so the anchor adds `up`'s own durations for them.
// Then `up` again on the installed stack (a re-run should be only detects) and `status`.
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { createEngineContext } from '../electron/engine/context.js';
import { createServices } from '../electron/engine/services.js';
import { STEPS } from '../electron/engine/steps/index.js';
import { runCliOk } from './cli-run.js';
import { criticalPath } from './dag.js';
import { startSimWorld } from './sim-world.js';

const Journal = z.object({
  status: z.string(),
  startedAt: z.string(),
  endedAt: z.string().optional(),
  steps: z.array(z.object({ id: z.string(), state: z.string(), durationMs: z.number().optional() })),
});
type Journal = z.infer<typeof Journal>;
const PlanJson = z.object({ steps: z.array(z.object({ id: z.string(), needs: z.array(z.string()) })) });

const readJournal = (dataDir: string): Journal => Journal.parse(JSON.parse(fs.readFileSync(path.join(dataDir, 'journal.json'), 'utf8')));
const engineMs = (j: Journal): number => (j.endedAt ? Date.parse(j.endedAt) - Date.parse(j.startedAt) : NaN);

export interface InstallEfficiency {
  timeScale: number;
  upMs: number;
  upEngineMs: number;
  floorMs: number;
  floorPath: string[];
  anchorMs: number;
  /** up ÷ floor: 1 is perfect; the target is ≤ 1.05. */
  upOverFloor: number;
  /** anchor ÷ up: how many times faster than one-by-one; the target is ≥ 1.3. */
  anchorOverUp: number;
  stepMs: Record<string, number>;
  rerunMs: number;
  rerunEngineMs: number;
  /** Per step of the re-run: a detect each, so this says which detects cost the most. */
  rerunStepMs: Record<string, number>;
  statusMs: number;
}

const TAIL = ['access', 'smoke-test'];

async function anchorRun(timeScale: number): Promise<number> {
  const world = await startSimWorld(timeScale);
  try {
    const dataDir = world.dataDir;
    // The engine's own context and run service, with one step at a time and no pre-pull (deploy.sh's order).
    const { ctx, dispose } = createEngineContext({ dataDir, transport: 'cli', rehearsal: false, env: world.env });
    const { runs } = createServices(ctx, { steps: STEPS.filter((s) => s.id !== 'image-prepull' && !TAIL.includes(s.id)), concurrency: 1 });
    const started = performance.now();
    const res = await (await runs.startUp('fresh')).result.finally(dispose);
    const ms = performance.now() - started;
    if (res.status !== 'succeeded') throw new Error(`anchor run ${res.status}: ${res.error?.message ?? ''}`);
    return ms;
  } finally {
    await world.dispose();
  }
}

export async function installEfficiency(timeScale: number): Promise<InstallEfficiency> {
  const world = await startSimWorld(timeScale);
  let up;
  let plan;
  let journal;
  let rerun;
  let rerunJournal;
  let status;
  try {
    plan = PlanJson.parse(JSON.parse((await runCliOk(['plan', '--json'], world.env)).stdout));
    up = await runCliOk(['up', '--yes'], world.env);
    journal = readJournal(world.dataDir);
    rerun = await runCliOk(['up', '--yes'], world.env);
    rerunJournal = readJournal(world.dataDir);
    status = await runCliOk(['status', '--json'], world.env);
  } finally {
    await world.dispose();
  }
  const stepMs = Object.fromEntries(journal.steps.map((s) => [s.id, s.durationMs ?? 0]));
  const floor = criticalPath(plan.steps.map((s) => ({ id: s.id, needs: s.needs, ms: stepMs[s.id] ?? 0 })));
  const anchorMs = (await anchorRun(timeScale)) + TAIL.reduce((n, id) => n + (stepMs[id] ?? 0), 0);
  return {
    timeScale,
    upMs: up.ms,
    upEngineMs: engineMs(journal),
    floorMs: floor.ms,
    floorPath: floor.steps,
    anchorMs,
    upOverFloor: up.ms / floor.ms,
    anchorOverUp: anchorMs / up.ms,
    stepMs,
    rerunMs: rerun.ms,
    rerunEngineMs: engineMs(rerunJournal),
    rerunStepMs: Object.fromEntries(rerunJournal.steps.map((s) => [s.id, s.durationMs ?? 0])),
    statusMs: status.ms,
  };
}

// `npx tsx bench/install-efficiency.ts` runs this figure alone (`BENCH_RERUN_ONLY=1`: `up`, then the re-run,
// with each re-run step's time — the detects — without the anchor's second install).
if (import.meta.url === `file://${process.argv[1]}`) {
  const timeScale = Number(process.env.BENCH_TIME_SCALE ?? 0.05);
  if (process.env.BENCH_RERUN_ONLY === '1') {
    const world = await startSimWorld(timeScale);
    try {
      const up = await runCliOk(['up', '--yes'], world.env);
      const first = readJournal(world.dataDir);
      console.log(`up: wall ${up.ms.toFixed(0)} ms, engine ${engineMs(first)} ms; ${first.steps.map((s) => `${s.id} ${s.durationMs ?? 0}`).join(', ')}`);
      const rerun = await runCliOk(['up', '--yes'], world.env);
      const j = readJournal(world.dataDir);
      console.log(`re-run: wall ${rerun.ms.toFixed(0)} ms, engine ${engineMs(j)} ms`);
      for (const s of j.steps) console.log(`  ${s.id.padEnd(16)} ${String(s.durationMs ?? 0).padStart(6)} ms  ${s.state}`);
    } finally {
      await world.dispose();
    }
  } else {
    const r = await installEfficiency(timeScale);
    console.log(JSON.stringify(r, null, 2));
  }
}
