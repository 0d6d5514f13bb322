// The app data dir (settings, journal, logs, bin) and nothing outside it or a temp dir is ever written.
// Per-OS default: macOS ~/Library/Application Support/llm-d Installer, Linux $XDG_DATA_HOME/llm-d-installer
// (~/.local/share when unset); LLMD_INSTALLER_HOME overrides both (tests use it).
import os from 'node:os';
import path from 'node:path';

export const APP_DIR_NAME_MAC = 'llm-d Installer';
export const APP_DIR_NAME_LINUX = 'llm-d-installer';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: string = os.homedir()): string {
  const override = env.LLMD_INSTALLER_HOME?.trim();
  if (override) return path.resolve(override);
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', APP_DIR_NAME_MAC);
  const xdg = env.XDG_DATA_HOME?.trim();
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(home, '.local', 'share');
  return path.join(base, APP_DIR_NAME_LINUX);
}

export interface AppPaths {
  dataDir: string;
  settingsFile: string;
  journalFile: string;
  logsDir: string;
  binDir: string;
  downloadsDir: string;
  runDir: string;
  /** Images kept across clusters (`minikube image save` tarballs; settings imageCache). */
  imageCacheDir: string;
  /** The model weights cache bound into the node (settings modelCache; shared/stack.ts MODEL_CACHE). */
  modelCacheDir: string;
}

export function appPaths(dataDir: string = defaultDataDir()): AppPaths {
  return {
    dataDir,
    settingsFile: path.join(dataDir, 'settings.json'),
    journalFile: path.join(dataDir, 'journal.json'),
    logsDir: path.join(dataDir, 'logs'),
    binDir: path.join(dataDir, 'bin'),
    downloadsDir: path.join(dataDir, 'downloads'),
    runDir: path.join(dataDir, 'run'),
    imageCacheDir: path.join(dataDir, 'cache', 'images'),
    modelCacheDir: path.join(dataDir, 'cache', 'models'),
  };
}
