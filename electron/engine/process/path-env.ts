// The one PATH every tool the engine runs is found on — the plan's commands and host detection alike, so
// both see the same docker and podman and resolve `driver: auto` the same way (issue 15).
// GUI apps on macOS start with launchd's minimal PATH, not the shell's (docs/architecture.md §4 step 2), so the
// places Homebrew and podman's own installer use are added there; the app's bin dir comes first
// everywhere so the pinned tools it installed win over older system copies. On Linux the session's PATH
// is the person's (and a test's) choice: nothing is added to it.
import path from 'node:path';

/** Homebrew (Apple Silicon, Intel) and podman's macOS installer (/opt/podman/bin). */
export const MACOS_EXTRA_PATHS = ['/opt/homebrew/bin', '/usr/local/bin', '/opt/podman/bin'] as const;

export function toolPath(currentPath: string | undefined, binDir: string, platform: NodeJS.Platform | string = process.platform): string {
  const current = (currentPath ?? '').split(path.delimiter).filter(Boolean);
  const extra = platform === 'darwin' ? [...MACOS_EXTRA_PATHS] : [];
  const ordered = [binDir, ...current, ...extra];
  return [...new Set(ordered)].join(path.delimiter);
}

export function toolEnv(base: NodeJS.ProcessEnv, binDir: string, platform: NodeJS.Platform | string = process.platform): NodeJS.ProcessEnv {
  return { ...base, PATH: toolPath(base.PATH, binDir, platform) };
}
