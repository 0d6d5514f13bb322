// The environment tools run with. GUI apps on macOS start with launchd's minimal PATH, not the shell's
// (DESIGN.md §4 step 2), so Homebrew's /opt/homebrew/bin and /usr/local/bin are added there; the app's own
// bin dir comes first everywhere so the pinned tools it installed win over older system copies.
import path from 'node:path';

export const MACOS_EXTRA_PATHS = ['/opt/homebrew/bin', '/usr/local/bin'] as const;

export function toolPath(currentPath: string | undefined, binDir: string, platform: NodeJS.Platform | string = process.platform): string {
  const current = (currentPath ?? '').split(path.delimiter).filter(Boolean);
  const extra = platform === 'darwin' ? [...MACOS_EXTRA_PATHS] : [];
  const ordered = [binDir, ...current, ...extra];
  return [...new Set(ordered)].join(path.delimiter);
}

export function toolEnv(base: NodeJS.ProcessEnv, binDir: string, platform: NodeJS.Platform | string = process.platform): NodeJS.ProcessEnv {
  return { ...base, PATH: toolPath(base.PATH, binDir, platform) };
}
