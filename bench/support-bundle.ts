// Issue #13, "the bundle is produced in under 10 s on a sim install": `up` on a simulated world (realistic
// scenario, scaled), then `bundle --out` and `doctor --json` through the CLI a person uses, timed wall clock
// from spawn to exit (the CLI's own start included). Printed, never asserted: these machines are shared.
import fs from 'node:fs';
import path from 'node:path';
import { runCliOk } from './cli-run.js';
import { startSimWorld } from './sim-world.js';

export interface SupportBundleFigures { bundleMs: number; bundleBytes: number; doctorMs: number }

export async function supportBundle(timeScale: number): Promise<SupportBundleFigures> {
  const world = await startSimWorld(timeScale);
  try {
    await runCliOk(['up', '--yes'], world.env);
    const out = path.join(world.base, 'support.tar.gz');
    const bundle = await runCliOk(['bundle', '--out', out], world.env);
    const doctor = await runCliOk(['doctor', '--json'], world.env);
    return { bundleMs: bundle.ms, bundleBytes: fs.statSync(out).size, doctorMs: doctor.ms };
  } finally {
    await world.dispose();
  }
}

export const describeBundle = (f: SupportBundleFigures): string =>
  `${(f.bundleMs / 1000).toFixed(2)} s (${(f.bundleBytes / 1e3).toFixed(0)} kB); \`doctor --json\` ${(f.doctorMs / 1000).toFixed(2)} s`;

// `npx tsx bench/support-bundle.ts` runs this figure alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(`support bundle after a sim install: ${describeBundle(await supportBundle(Number(process.env.BENCH_TIME_SCALE ?? 0.05)))}`);
}
