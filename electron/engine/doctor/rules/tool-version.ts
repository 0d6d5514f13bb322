// A tool older than its minimum (shared/tools.ts TOOLS / RUNTIMES hold the minimums and why; the
// prerequisites check, prereqs/detect.ts, reads the version each tool prints). The install step puts the
// pinned minikube / helm / helmfile / kubectl into the app's bin dir, which comes first on the app's PATH;
// docker and podman come from the system and are the person's to update.
import semver from 'semver';
import type { ToolStatus } from '../../../../shared/api/engine.js';
import type { DoctorFix, Finding } from '../../../../shared/api/doctor.js';
import { cliCommand, type Rule } from './rule.js';

/** The version read is below the minimum (versions compared as semver, "v1.31.2+g…" coerced). */
export function tooOld(t: ToolStatus): boolean {
  const v = t.version ? semver.coerce(t.version) : null;
  const min = semver.coerce(t.minimum);
  return t.installed && v !== null && min !== null && semver.lt(v, min);
}

function updateFix(t: ToolStatus, platform: string): DoctorFix | undefined {
  if (t.name === 'docker') return { kind: 'commands', id: `update-${t.name}`, label: 'Update Docker (Docker Desktop: Check for updates; Linux: your package manager’s docker-ce), then check again', commands: [['docker', 'version']] };
  if (t.name === 'podman') {
    return platform === 'darwin'
      ? { kind: 'commands', id: 'update-podman', label: 'Update podman (Homebrew; or the installer from podman.io)', commands: [['brew', 'upgrade', 'podman'], ['podman', '--version']] }
      : { kind: 'commands', id: 'update-podman', label: 'Update podman with your distribution’s package manager, then check again', commands: [['podman', '--version']] };
  }
  return undefined; // downloaded by the app: the install's prerequisites step (below)
}

export const toolVersion: Rule = {
  id: 'tool-version',
  title: 'Every tool is at least its minimum version',
  applies: (s) => (s.tools ? true : 'the prerequisite tools were not looked at'),
  check(s): Finding | undefined {
    const old = s.tools!.filter(tooOld);
    if (old.length === 0) return undefined;
    const required = old.filter((t) => t.required);
    const first = required[0] ?? old[0]!;
    const fixes = old.flatMap((t) => updateFix(t, s.plan.platform) ?? []);
    const pinned = old.filter((t) => t.install === 'download');
    if (pinned.length) {
      fixes.push({
        kind: 'commands', id: 'install-pinned',
        label: `Install again: its prerequisites step puts the pinned ${pinned.map((t) => `${t.name}${t.pinned ? ` ${t.pinned}` : ''}`).join(', ')} into the app’s bin dir, which comes first on the app’s PATH`,
        commands: [cliCommand(s, 'up', '--yes')],
      });
    }
    return {
      // A tool the settings do not use (kubectl, the other runtime) is only worth saying.
      severity: required.length ? 'error' : 'info',
      summary: `${first.name} ${first.version} is older than the minimum ${first.minimum} the installer needs${first.path ? ` (${first.path})` : ''}.`
        + `${old.length > 1 ? ` ${old.length - 1} more tool${old.length > 2 ? 's are' : ' is'} too old (below).` : ''}`,
      evidence: old.map((t) => ({
        source: `tool/${t.name}`,
        lines: [
          `found ${t.version} at ${t.path ?? '?'} (${t.source === 'app' ? 'the app’s bin dir' : 'on PATH'}); minimum ${t.minimum}${t.pinned ? `, the app installs ${t.pinned}` : ''}`,
          ...(t.problem ? [t.problem] : []),
          t.required ? 'the settings need it' : 'optional for these settings',
        ],
      })),
      fixes,
    };
  },
};
