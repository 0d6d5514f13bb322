// Packaging check (docs/architecture.md §7 "Static"): packs the built app with the project's electron-builder.yml
// exactly as `npm run dist:linux` would, but `--dir` only and with a STUB Electron distribution — no
// Electron binary can be downloaded on our machines — then opens the packed app.asar and asserts what
// the installers will contain:
//   - main, preload, renderer (index.html and every asset it references), the web host, package.json;
//   - every package the main process and the web host import at run time (esbuild leaves node_modules
//     external), and none of the build tools;
//   - no source maps; the resources/ stack as extraResources at <resources>/resources, file for file;
//   - the executable under its Linux name; the afterPack fuse hook ran (and skipped the stub, saying so).
// Offline: target `dir` needs neither fpm nor app-builder downloads; `npmRebuild: false` skips installs.
// Run: `tsx scripts/package-check.ts` (part of `npm run test:static`).
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { listPackage } from '@electron/asar';
import { execa } from 'execa';

/** Files every installer must carry inside app.asar (paths as the asar lists them). */
export const REQUIRED_IN_ASAR = ['/package.json', '/out/main/main.js', '/out/preload/preload.cjs', '/out/renderer/index.html', '/out/web/web.js'];
/** Build and test tools that must never ship. */
export const FORBIDDEN_PACKAGES = ['electron', 'electron-builder', 'vitest', 'typescript', 'esbuild', 'vite', '@playwright/test', '@doyensec/electronegativity', 'tsx', 'eslint'];
export const LINUX_EXECUTABLE = 'llm-d-installer';

/** Bare package names a bundle imports at run time (node: built-ins and electron excluded). */
export function runtimePackages(code: string): string[] {
  const names = new Set<string>();
  // A side-effect `import "x"` only counts at a statement start: an argv like ['--import', `file://…`]
  // in the bundle is not an import.
  const patterns = [/\bfrom\s*["']([^"'./][^"']*)["']/g, /\bimport\s*\(\s*["']([^"'./][^"']*)["']\s*\)/g, /(?:^|[;{}])\s*import\s*["']([^"'./][^"']*)["']/gm, /\brequire\s*\(\s*["']([^"'./][^"']*)["']\s*\)/g];
  for (const re of patterns) {
    for (const m of code.matchAll(re)) {
      const spec = m[1]!;
      if (spec.startsWith('node:') || builtinModules.includes(spec.split('/')[0]!) || spec === 'electron') continue;
      const parts = spec.split('/');
      names.add(spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!);
    }
  }
  return [...names].sort();
}

/** Asset paths the built index.html loads (./assets/…), as asar paths. */
export function referencedAssets(html: string): string[] {
  const refs = [...html.matchAll(/\b(?:src|href)="\.\/([^"]+)"/g)].map((m) => `/out/renderer/${m[1]}`);
  return [...new Set(refs)].sort();
}

export interface PackageFacts {
  /** app.asar listing, '/'-separated with a leading slash */
  asar: string[];
  /** files under <resources>/resources in the packed app, relative */
  packedResources: string[];
  /** files under the repo's resources/, relative */
  sourceResources: string[];
  /** files in the app output dir (top level) */
  appDirEntries: string[];
  mainCode: string;
  webCode: string;
  indexHtml: string;
}

/** Everything wrong with a packed app; empty when it is right. */
export function checkPackage(f: PackageFacts): string[] {
  const problems: string[] = [];
  const asar = new Set(f.asar);
  for (const file of REQUIRED_IN_ASAR) if (!asar.has(file)) problems.push(`app.asar lacks ${file}`);
  for (const asset of referencedAssets(f.indexHtml)) if (!asar.has(asset)) problems.push(`app.asar lacks ${asset}, which index.html loads`);
  const needed = [...new Set([...runtimePackages(f.mainCode), ...runtimePackages(f.webCode)])].sort();
  for (const pkg of needed) if (!asar.has(`/node_modules/${pkg}/package.json`)) problems.push(`app.asar lacks node_modules/${pkg}, which main or the web host imports at run time`);
  for (const pkg of FORBIDDEN_PACKAGES) if (asar.has(`/node_modules/${pkg}/package.json`)) problems.push(`app.asar ships the build tool ${pkg}`);
  const maps = f.asar.filter((p) => p.endsWith('.map'));
  if (maps.length > 0) problems.push(`app.asar ships source maps: ${maps.slice(0, 3).join(', ')}`);
  if (f.sourceResources.length === 0) problems.push('the repo has no resources/ to package');
  const packed = new Set(f.packedResources);
  for (const r of f.sourceResources) if (!packed.has(r)) problems.push(`extra resources lack resources/${r}`);
  if (!f.appDirEntries.includes(LINUX_EXECUTABLE)) problems.push(`the app dir has no ${LINUX_EXECUTABLE} executable`);
  return problems;
}

function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

/** The least electron-builder accepts as an unpacked Electron for Linux: an `electron` executable. */
export function makeStubElectronDist(dir: string, version: string): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'electron'), '#!/bin/sh\necho "stub Electron distribution used by scripts/package-check.ts; not runnable" >&2\nexit 1\n', { mode: 0o755 });
  fs.writeFileSync(path.join(dir, 'version'), version);
  fs.writeFileSync(path.join(dir, 'LICENSE'), 'Stub for the packaging check; real builds use the Electron distribution.\n');
}

export async function packWithStub(root: string, work: string): Promise<{ appOutDir: string; log: string }> {
  const electronVersion = (JSON.parse(fs.readFileSync(path.join(root, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string }).version;
  const stub = path.join(work, 'stub-electron');
  makeStubElectronDist(stub, electronVersion);
  const output = path.join(work, 'dist');
  const bin = path.join(root, 'node_modules', '.bin', 'electron-builder');
  const env: Record<string, string | undefined> = { ...process.env, CSC_IDENTITY_AUTO_DISCOVERY: 'false', ELECTRON_ENABLE_INSPECT: undefined };
  const result = await execa(bin, ['--dir', '--linux', '--x64', '--publish', 'never', '--config', 'electron-builder.yml', `-c.electronDist=${stub}`, `-c.directories.output=${output}`], {
    cwd: root,
    env,
    extendEnv: false,
    all: true,
    reject: false,
    timeout: 180_000,
  });
  if (result.exitCode !== 0) throw new Error(`electron-builder failed (exit ${result.exitCode}):\n${result.all}`);
  return { appOutDir: path.join(output, 'linux-unpacked'), log: result.all };
}

export async function runPackageCheck(root: string): Promise<{ problems: string[]; facts: PackageFacts; log: string }> {
  for (const file of REQUIRED_IN_ASAR.filter((f) => f.startsWith('/out/'))) {
    if (!fs.existsSync(path.join(root, file))) throw new Error(`${file.slice(1)} is missing: run \`npm run build\` first (the check packs the built app).`);
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'package-check-'));
  try {
    const { appOutDir, log } = await packWithStub(root, work);
    const asarFile = path.join(appOutDir, 'resources', 'app.asar');
    const asar = fs.existsSync(asarFile) ? listPackage(asarFile, { isPack: false }).map((p) => p.split(path.sep).join('/')) : [];
    const facts: PackageFacts = {
      asar,
      packedResources: listFiles(path.join(appOutDir, 'resources', 'resources')),
      sourceResources: listFiles(path.join(root, 'resources')),
      appDirEntries: fs.existsSync(appOutDir) ? fs.readdirSync(appOutDir) : [],
      mainCode: fs.readFileSync(path.join(root, 'out', 'main', 'main.js'), 'utf8'),
      webCode: fs.readFileSync(path.join(root, 'out', 'web', 'web.js'), 'utf8'),
      indexHtml: fs.readFileSync(path.join(root, 'out', 'renderer', 'index.html'), 'utf8'),
    };
    const problems = checkPackage(facts);
    if (!/fuses: skipped: no Electron fuse wire/.test(log)) problems.push('the afterPack fuse hook did not run (or did not report on the stub binary)');
    return { problems, facts, log };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const started = Date.now();
  const { problems, facts, log } = await runPackageCheck(root);
  const fuseLine = log.split('\n').find((l) => l.startsWith('fuses:'));
  if (fuseLine) console.log(`package-check: ${fuseLine}`);
  const modules = new Set(facts.asar.filter((p) => /^\/node_modules\/(@[^/]+\/)?[^/@]+\/package\.json$/.test(p)));
  console.log(`package-check: app.asar has ${facts.asar.length} entries (${modules.size} package.json files under node_modules), extra resources ${facts.packedResources.length} files, in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (problems.length > 0) {
    for (const p of problems) console.error(`  ✗ ${p}`);
    console.error(`package-check: FAILED (${problems.length} problem(s))`);
    process.exit(1);
  }
  console.log('package-check: ok — main, preload, renderer, web host, runtime packages and the resources/ stack are packed; no build tools or source maps.');
}
