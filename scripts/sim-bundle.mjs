// Builds the simulated tools (sim/tools/<tool>.ts) and the simulated cluster process (sim/cluster/main.ts)
// into plain JS files, one per entry, dependencies included. A sim tool run from its sources pays tsx's
// compile of the sim and its imports at every start (~0.4 s of CPU); one install starts ~25 of them, and on
// the 2-core CI machine that was a large share of the tests' time. The bundle starts in ~0.1 s.
//
// Only the tests (vitest's global setup, into a temporary folder) and `npm run build` (out/sim, for the
// e2e web host) build it; the launchers use it only when LLMD_SIM_BUNDLE names the folder, so a stale
// bundle is never picked up by someone running the sim from its sources.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The entries: each sim tool the launchers run, and the cluster process `minikube start` spawns. */
export const SIM_BUNDLE_ENTRIES = {
  docker: 'sim/tools/docker.ts',
  helm: 'sim/tools/helm.ts',
  helmfile: 'sim/tools/helmfile.ts',
  minikube: 'sim/tools/minikube.ts',
  podman: 'sim/tools/podman.ts',
  cluster: 'sim/cluster/main.ts',
};

/**
 * The app's detached port-forward helper, which the unit tests otherwise start through tsx three times per
 * install; they name this bundle in LLMD_FORWARDER_SCRIPT (`npm run build` makes the app's own).
 */
export const FORWARDER_ENTRY = { forwarder: 'electron/engine/forward/forwarder-main.ts' };

/** Writes <outDir>/<name>.mjs for every entry (name → source file), dependencies included. */
export async function bundleSim(outDir, entries = SIM_BUNDLE_ENTRIES) {
  await build({
    absWorkingDir: root,
    entryPoints: entries,
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    logLevel: 'warning',
    // Some dependencies are CommonJS and call require(); an ES module has none of its own.
    banner: { js: "import { createRequire as __simCreateRequire } from 'node:module'; const require = __simCreateRequire(import.meta.url);" },
  });
}
