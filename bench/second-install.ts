// Issue #16, "never download the same bytes twice": `up`, `down --delete-cluster`, `up` again on one
// simulated world (realistic scenario, scaled), with the default settings (both download caches on). The
// sim counts every byte fetched from a registry or the Hugging Face Hub (sim/fetches.ts); this prints the
// bytes and the wall time of each install. What the second install still downloads is what no cache keeps.
import { performance } from 'node:perf_hooks';
import { readFetches, type FetchTotals } from '../sim/fetches.js';
import { runCliOk } from './cli-run.js';
import { startSimWorld } from './sim-world.js';

export interface InstallFetches { ms: number; imageBytes: number; modelBytes: number; modelFetches: number; images: string[] }
export interface SecondInstall { timeScale: number; first: InstallFetches; second: InstallFetches }

const summary = (ms: number, f: FetchTotals): InstallFetches => ({
  ms, imageBytes: f.imageBytes, modelBytes: f.modelBytes,
  modelFetches: f.fetches.filter((x) => x.kind === 'model').length,
  images: f.fetches.flatMap((x) => (x.kind === 'image' ? [x.name] : [])),
});

export async function secondInstall(timeScale: number): Promise<SecondInstall> {
  const world = await startSimWorld(timeScale);
  try {
    let started = performance.now();
    await runCliOk(['up', '--yes'], world.env);
    const first = summary(performance.now() - started, readFetches(world.stateDir));
    await runCliOk(['down', '--delete-cluster', '--yes'], world.env);
    const since = new Date().toISOString();
    started = performance.now();
    await runCliOk(['up', '--yes'], world.env);
    const second = summary(performance.now() - started, readFetches(world.stateDir, since));
    return { timeScale, first, second };
  } finally {
    await world.dispose();
  }
}

const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(0)} MB`;

/** One line per install: wall time, image and model bytes fetched. */
export const describeInstall = (i: InstallFetches): string =>
  `${(i.ms / 1000).toFixed(2)} s, images ${mb(i.imageBytes)}${i.images.length ? ` (${i.images.length})` : ''}, model ${mb(i.modelBytes)} in ${i.modelFetches} download${i.modelFetches === 1 ? '' : 's'}`;

// `npx tsx bench/second-install.ts` runs this figure alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await secondInstall(Number(process.env.BENCH_TIME_SCALE ?? 0.05));
  console.log(`first install:  ${describeInstall(r.first)}`);
  console.log(`second install after down --delete-cluster: ${describeInstall(r.second)}`);
  if (r.second.images.length) console.log(`still pulled the second time: ${r.second.images.join(', ')}`);
}
