// The one place admin rights are asked for (docs/architecture.md §4 step 2): only where a system package is the only
// way (podman on Linux). Each command is explained in the log first, then run through the desktop's own
// prompt — pkexec on Linux, osascript on macOS — with its output streamed to the step log.
import fs from 'node:fs';
import { formatCommand } from '../process/runner.js';

export interface AdminPlan {
  /** Why admin rights are needed, in one sentence a person can judge. */
  reason: string;
  commands: string[][];
}

/** Package managers we know, probed in this order; each installs podman in one command. */
const PACKAGE_MANAGERS: { bin: string; install: (pkg: string) => string[] }[] = [
  { bin: 'apt-get', install: (p) => ['apt-get', 'install', '-y', p] },
  { bin: 'dnf', install: (p) => ['dnf', 'install', '-y', p] },
  { bin: 'zypper', install: (p) => ['zypper', '--non-interactive', 'install', p] },
  { bin: 'pacman', install: (p) => ['pacman', '-S', '--noconfirm', p] },
];

/** The podman install command for this Linux host, or undefined when no known package manager exists. */
export function linuxPackageInstall(pkg: string, exists: (file: string) => boolean = defaultExists): AdminPlan | undefined {
  for (const pm of PACKAGE_MANAGERS) {
    const bin = ['/usr/bin', '/bin', '/usr/sbin'].map((d) => `${d}/${pm.bin}`).find(exists);
    if (bin) {
      const [, ...args] = pm.install(pkg);
      return { reason: `${pkg} is installed through the system package manager (${pm.bin}), which needs administrator rights.`, commands: [[bin, ...args]] };
    }
  }
  return undefined;
}

const defaultExists = (file: string): boolean => {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** POSIX single-quoting of one argument, for the one place a command line is unavoidable (osascript). */
const shQuote = (a: string): string => `'${a.replace(/'/g, `'\\''`)}'`;
const appleScriptString = (s: string): string => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/**
 * The argv that runs `command` with admin rights through the desktop prompt. On macOS `do shell script`
 * takes one command line (Apple offers no argv form), so each argument is quoted; the argv comes from
 * the engine, never from user input.
 */
export function elevate(platform: string, command: string[]): string[] {
  if (platform === 'darwin') {
    return ['osascript', '-e', `do shell script ${appleScriptString(command.map(shQuote).join(' '))} with administrator privileges`];
  }
  return ['pkexec', ...command];
}

/** The lines shown before the prompt, so a person knows exactly what will run as admin. */
export function explain(plan: AdminPlan): string[] {
  return [
    `Administrator rights needed: ${plan.reason}`,
    ...plan.commands.map((c) => `  will run as admin: ${formatCommand(c)}`),
    'Your system will ask for your password once for each command above.',
  ];
}
