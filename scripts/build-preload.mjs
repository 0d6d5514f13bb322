// esbuild options for the sandboxed preload. A sandboxed preload may require only 'electron', and it
// runs on every page load, so it must stay small: instead of bundling the whole contract (and zod with
// it), the preload gets a generated module holding just the names it checks against — taken from the
// real contract at build time, so they can never drift.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

/** Loads shared/contract.ts (bundled on the fly) and returns what the preload needs from it. */
export async function contractNames(root) {
  const result = await build({
    absWorkingDir: root,
    entryPoints: ['shared/contract.ts'],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    packages: 'external',
    logLevel: 'silent',
  });
  // Written inside the project so the bundle's bare imports (zod) resolve from node_modules.
  const dir = await mkdtemp(path.join(root, 'node_modules', '.llmd-contract-'));
  try {
    const file = path.join(dir, 'contract.mjs');
    await writeFile(file, result.outputFiles[0].text);
    const c = await import(pathToFileURL(file).href);
    return {
      PRELOAD_GLOBAL: c.PRELOAD_GLOBAL,
      IPC_INVOKE_CHANNEL: c.IPC_INVOKE_CHANNEL,
      IPC_EVENT_CHANNEL: c.IPC_EVENT_CHANNEL,
      methodNames: c.methodNames,
      topicNames: c.topicNames,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The names-only stand-in for shared/contract.ts inside the preload bundle. */
export function contractNamesModule(names) {
  return [
    `export const PRELOAD_GLOBAL = ${JSON.stringify(names.PRELOAD_GLOBAL)};`,
    `export const IPC_INVOKE_CHANNEL = ${JSON.stringify(names.IPC_INVOKE_CHANNEL)};`,
    `export const IPC_EVENT_CHANNEL = ${JSON.stringify(names.IPC_EVENT_CHANNEL)};`,
    `export const methodNames = ${JSON.stringify(names.methodNames)};`,
    `export const topicNames = ${JSON.stringify(names.topicNames)};`,
    'const methodSet = new Set(methodNames);',
    'const topicSet = new Set(topicNames);',
    "export const isMethodName = (n) => typeof n === 'string' && methodSet.has(n);",
    "export const isTopic = (n) => typeof n === 'string' && topicSet.has(n);",
  ].join('\n');
}

export async function preloadBuildOptions(root) {
  const names = await contractNames(root);
  const contents = contractNamesModule(names);
  return {
    absWorkingDir: root,
    entryPoints: ['electron/preload/preload.ts'],
    outfile: 'out/preload/preload.cjs',
    bundle: true,
    sourcemap: true,
    logLevel: 'warning',
    platform: 'node',
    format: 'cjs',
    target: 'chrome130',
    minify: true,
    external: ['electron'],
    plugins: [{
      name: 'contract-names',
      setup(b) {
        b.onResolve({ filter: /[\\/]shared[\\/]contract(\.js|\.ts)?$/ }, () => ({ path: 'contract-names', namespace: 'contract-names' }));
        b.onLoad({ filter: /.*/, namespace: 'contract-names' }, () => ({ contents, loader: 'js' }));
      },
    }],
  };
}
