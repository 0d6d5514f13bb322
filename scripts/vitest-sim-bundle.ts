// Vitest global setup: builds the sim and the port-forward helper into plain JS once per test run
// (scripts/sim-bundle.mjs) in a fresh temporary folder and names them in LLMD_SIM_BUNDLE and
// LLMD_FORWARDER_SCRIPT, which the test workers inherit and pass on to every process they start. Removed
// again when the run ends.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleSim, FORWARDER_ENTRY, SIM_BUNDLE_ENTRIES } from './sim-bundle.mjs';

export default async function setup(): Promise<() => void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llmd-sim-bundle-'));
  await bundleSim(dir, { ...SIM_BUNDLE_ENTRIES, ...FORWARDER_ENTRY });
  process.env.LLMD_SIM_BUNDLE = dir;
  process.env.LLMD_FORWARDER_SCRIPT = path.join(dir, 'forwarder.mjs');
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
