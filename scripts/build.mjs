// Builds everything the app runs: the renderer (Vite), the Electron main process (ESM), the sandboxed
// preload (CJS, bundled: it may require only 'electron') and the web host (ESM). Output in out/.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as esbuild } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'out');
const only = process.argv.slice(2);
const wanted = (name) => only.length === 0 || only.includes(name);

const common = {
  absWorkingDir: root,
  bundle: true,
  sourcemap: true,
  logLevel: 'warning',
  target: 'node22',
};

const targets = {
  async renderer() {
    // Loaded here, not at the top: the CLI's quick rebuild (scripts/cli.mjs) must not pay for Vite.
    const { build: viteBuild } = await import('vite');
    await viteBuild({ configFile: path.join(root, 'vite.config.ts'), logLevel: 'warn' });
  },
  async main() {
    await esbuild({
      ...common,
      entryPoints: ['electron/main/main.ts'],
      outfile: 'out/main/main.js',
      platform: 'node',
      format: 'esm',
      packages: 'external',
      external: ['electron'],
    });
  },
  async preload() {
    // Sandboxed: only 'electron' may be required at run time (see build-preload.mjs).
    const { preloadBuildOptions } = await import('./build-preload.mjs');
    await esbuild(await preloadBuildOptions(root));
  },
  async web() {
    await esbuild({
      ...common,
      entryPoints: ['electron/web/web.ts'],
      outfile: 'out/web/web.js',
      platform: 'node',
      format: 'esm',
      packages: 'external',
    });
  },
  async cli() {
    // `npm run cli`: plain bundled JS starts several times faster than tsx compiling the sources, which
    // matters for a re-run of `up` that should be a quick check.
    await esbuild({
      ...common,
      entryPoints: ['electron/cli/main.ts'],
      outfile: 'out/cli/cli.js',
      platform: 'node',
      format: 'esm',
      packages: 'external',
    });
  },
  async forwarder() {
    // The detached port-forward helper (electron/engine/forward/forwards.ts looks for
    // <bundle dir>/../forwarder/forwarder.js): plain JS starts in a fraction of the time tsx needs.
    await esbuild({
      ...common,
      entryPoints: ['electron/engine/forward/forwarder-main.ts'],
      outfile: 'out/forwarder/forwarder.js',
      platform: 'node',
      format: 'esm',
      packages: 'external',
    });
  },
  async sim() {
    // The simulated tools as plain JS (scripts/sim-bundle.mjs) for the e2e web host's rehearsal world, which
    // names out/sim in LLMD_SIM_BUNDLE (e2e/support/sim-host.ts); the app itself never uses it.
    const { bundleSim } = await import('./sim-bundle.mjs');
    await bundleSim(path.join(out, 'sim'));
  },
};

const started = Date.now();
if (only.length === 0) await rm(out, { recursive: true, force: true });
for (const [name, run] of Object.entries(targets)) {
  if (!wanted(name)) continue;
  await run();
}
if (!process.env.LLMD_BUILD_QUIET) console.log(`build: ${Object.keys(targets).filter(wanted).join(', ')} → out/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
