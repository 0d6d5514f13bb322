import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['shared/**/*.test.ts', 'electron/**/*.test.ts', 'sim/**/*.test.ts', 'renderer/**/*.test.{ts,tsx}', 'scripts/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // The sim prebuilt once per run (LLMD_SIM_BUNDLE): sim tools start without tsx compiling them.
    globalSetup: ['scripts/vitest-sim-bundle.ts'],
    pool: 'forks',
    // Vitest's default on two cores is one worker (cores - 1). Most of the run's time is the sim's
    // integration tests waiting on simulated clocks and child processes, not CPU, so two files at a
    // time roughly halve the wall time without starving either.
    maxWorkers: 2,
  },
});
