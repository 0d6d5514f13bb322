// Launching the desktop app under Playwright's `_electron` (electron-security-testing-facts.md §3).
// Two ways to run it, where an Electron binary exists:
//   - the sources' build: ELECTRON_PATH (or node_modules/electron/dist from a normal install) + out/;
//   - a packaged TEST build: LLMD_PACKAGED_APP=<dist/linux-unpacked/llm-d-installer or
//     dist/mac-arm64/llm-d Installer.app/Contents/MacOS/llm-d Installer> from `npm run dist:test`, whose
//     inspect fuse is on (production builds switch it off, and _electron.launch cannot attach to those).
// Our build machines have neither (electron is installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1): the specs
// skip and print why.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { _electron as electron, test, type ElectronApplication, type Page } from '@playwright/test';
import { ROOT } from '../support/web-host.js';

export interface ElectronTarget {
  executablePath: string;
  /** Arguments: the project folder for a sources build, nothing for a packaged app. */
  args: string[];
}

export function electronTarget(env: NodeJS.ProcessEnv = process.env): ElectronTarget | undefined {
  const packaged = env.LLMD_PACKAGED_APP;
  if (packaged && fs.existsSync(packaged)) return { executablePath: packaged, args: [] };
  const dist = path.join(ROOT, 'node_modules', 'electron', 'dist');
  const candidates = [env.ELECTRON_PATH, path.join(dist, 'electron'), path.join(dist, 'Electron.app', 'Contents', 'MacOS', 'Electron')];
  const binary = candidates.find((c): c is string => Boolean(c) && fs.existsSync(c!));
  return binary ? { executablePath: binary, args: [ROOT] } : undefined;
}

export const SKIP_REASON =
  'No Electron binary here: set ELECTRON_PATH (or install electron without ELECTRON_SKIP_BINARY_DOWNLOAD), ' +
  'or LLMD_PACKAGED_APP to a test build from `npm run dist:test`.';

/** Skips the calling test, saying why in the output, when there is nothing to launch. */
export function requireElectron(): ElectronTarget {
  const target = electronTarget();
  if (!target) console.log(`[electron spec skipped] ${test.info().title}: ${SKIP_REASON}`);
  test.skip(!target, SKIP_REASON);
  if (target && target.args.length > 0 && !fs.existsSync(path.join(ROOT, 'out', 'main', 'main.js'))) throw new Error('run `npm run build` first');
  return target!;
}

export interface LaunchedApp {
  app: ElectronApplication;
  page: Page;
  close(): Promise<void>;
}

export async function launchApp(target: ElectronTarget): Promise<LaunchedApp> {
  const dataDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'llmd-electron-'));
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  // Rehearsal mode: the simulated world stands in for minikube & co., and the data dir is thrown away.
  Object.assign(env, { LLMD_INSTALLER_HOME: dataDir, LLMD_REHEARSAL: '1' });
  const app = await electron.launch({ executablePath: target.executablePath, args: target.args, cwd: ROOT, env });
  const page = await app.firstWindow();
  return {
    app,
    page,
    async close() {
      await app.close();
      await fsp.rm(dataDir, { recursive: true, force: true });
    },
  };
}
