// Where the sim folder is. A sim tool run from its sources finds it beside this file; a tool run from a
// bundle (scripts/sim-bundle.mjs, one file in another folder) cannot, so the launchers (sim/bin/*) always
// set LLMD_SIM_ROOT and every path into sim/ goes through here rather than through import.meta.url.
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const simRoot = (): string => process.env.LLMD_SIM_ROOT || dirname(fileURLToPath(import.meta.url));

/** The folder of prebuilt sim tools (LLMD_SIM_BUNDLE), when the tests or the e2e web host made one. */
export const simBundleDir = (): string | undefined => process.env.LLMD_SIM_BUNDLE || undefined;
