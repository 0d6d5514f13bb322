// Where the deployable stack (resources/) lives: beside the sources in development, and under
// process.resourcesPath in a packaged app (electron-builder extraResources). LLMD_RESOURCES_DIR overrides.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// A resources folder holds at least one stack release (resources/releases/<id>/release.yaml).
const hasStack = (dir: string): boolean => {
  try {
    return fs.readdirSync(path.join(dir, 'releases')).some((id) => fs.existsSync(path.join(dir, 'releases', id, 'release.yaml')));
  } catch {
    return false;
  }
};

export function findResourcesDir(env: NodeJS.ProcessEnv = process.env, startFrom: string = path.dirname(fileURLToPath(import.meta.url))): string {
  const override = env.LLMD_RESOURCES_DIR?.trim();
  if (override) {
    if (!hasStack(override)) throw new Error(`LLMD_RESOURCES_DIR=${override} does not contain releases/<id>/release.yaml`);
    return override;
  }
  // Packaged: <app>/resources/resources (process.resourcesPath is only defined inside Electron).
  const resourcesPath = (process as NodeJS.Process & { resourcesPath?: string }).resourcesPath;
  if (resourcesPath && hasStack(path.join(resourcesPath, 'resources'))) return path.join(resourcesPath, 'resources');
  // Development and tests: walk up from this module (sources) or from out/<bundle>/ (built).
  for (let dir = startFrom; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'resources');
    if (hasStack(candidate)) return candidate;
    if (path.dirname(dir) === dir) break;
  }
  throw new Error('Could not find the resources/ folder with the stack templates (set LLMD_RESOURCES_DIR).');
}
