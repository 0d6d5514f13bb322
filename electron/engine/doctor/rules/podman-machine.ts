// The podman machine that hosts minikube (guide "Using Podman": Important Requirements, Troubleshooting
// Podman, Common Issues): rootless where Kubernetes needs rootful, smaller than the settings need (minikube's
// size plus the machine's margin, shared/api/settings.ts podmanMachineSize), stuck in "starting" (a known
// macOS applehv hang), and the two errors of the guide's "Common Issues" as the tools word them in the last
// install's minikube start. Only for plans that use a podman machine (macOS with podman, or Linux when chosen).
// The repair commands are the podman-machine step's own (podman/machine.ts), so what the doctor tells a
// person to run is what the install would run.
import type { DoctorFix, Evidence, Finding } from '../../../../shared/api/doctor.js';
import { actionCommands, decideMachineAction, initArgs } from '../../podman/machine.js';
import { PODMAN_MACHINE_FLAGS } from '../../steps/minikube-start.js';
import type { Snapshot } from '../snapshot.js';
import { cliCommand, type Rule } from './rule.js';

/**
 * Guide "Common Issues" 1, "rlimits permission errors: Podman machine must be in rootful mode". In the
 * tools' words: crun refusing a container's rlimits in a rootless machine, e.g. "crun: setrlimit
 * `RLIMIT_NOFILE`: Operation not permitted: OCI permission denied" (crun src/libcrun/linux.c).
 */
export const RLIMIT_ERROR = /setrlimit[^\n]*(operation not permitted|permission denied)|rlimit[^\n]*permission denied/i;
/**
 * Guide "Common Issues" 2, "cpuset cgroup missing … handled by
 * --extra-config=kubeadm.ignore-preflight-errors=SystemVerification". kubeadm's preflight says
 * "[ERROR SystemVerification]: missing required cgroups: cpuset" (kubernetes/system-validators cgroup_validator.go).
 */
export const CPUSET_ERROR = /missing required cgroups?:[^\n]*\bcpuset\b/i;
/** The flags that handle it are the cluster step's (steps/minikube-start.ts). */
export const CPUSET_FLAGS = PODMAN_MACHINE_FLAGS;

/** The failed step of the last install and the lines of its error (message, then the tool's last output lines). */
function failedLines(s: Snapshot): { id: string; at?: string; runId: string; lines: string[]; command: string[] } | undefined {
  const j = s.journal;
  const step = j?.kind === 'up' ? j.steps.find((st) => st.state === 'failed' && st.error) : undefined;
  if (!j || !step?.error) return undefined;
  const details = step.error.details as { lastLines?: unknown; command?: unknown } | undefined;
  const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((l): l is string => typeof l === 'string') : []);
  return { id: step.id, ...(step.endedAt ? { at: step.endedAt } : {}), runId: j.runId, lines: [step.error.message, ...strings(details?.lastLines)], command: strings(details?.command) };
}

export const podmanMachine: Rule = {
  id: 'podman-machine',
  title: 'The podman machine is rootful, large enough and running',
  applies(s) {
    if (!s.plan.usesPodmanMachine) return `the plan uses no podman machine (driver ${s.plan.driver} on ${s.plan.platform})`;
    if (!s.podman) return 'the podman machine was not looked at';
    if (s.podman.error) return `podman did not answer: ${s.podman.error}`;
    return true;
  },
  check(s): Finding | undefined {
    const pm = s.podman!;
    const m = pm.machine;
    const want = { name: pm.name, ...pm.want };
    const problems: string[] = [];
    const evidence: Evidence[] = [];
    const fixes: DoctorFix[] = [];
    const failed = failedLines(s);
    const rlimit = failed?.lines.filter((l) => RLIMIT_ERROR.test(l)) ?? [];
    const cpuset = failed?.lines.filter((l) => CPUSET_ERROR.test(l)) ?? [];

    if (m) {
      const action = decideMachineAction(m, want);
      if (m.rootful === false) problems.push(`it is rootless, and Kubernetes needs a rootful machine to set resource limits (rlimits)`);
      if (m.cpus !== undefined && m.cpus < want.cpus) problems.push(`it has ${m.cpus} CPUs where the settings need ${want.cpus}`);
      if (m.memoryMiB !== undefined && m.memoryMiB < want.memoryMiB) problems.push(`it has ${m.memoryMiB} MiB of memory where the settings need ${want.memoryMiB}`);
      if (m.diskGB !== undefined && m.diskGB < want.diskGB) problems.push(`it has a ${m.diskGB} GB disk where the settings need ${want.diskGB}`);
      if (action.kind === 'repair') {
        fixes.push({ kind: 'commands', id: 'repair', label: `Repair ${m.name} (stop, change, start — what the install does)`, commands: actionCommands(action, want) });
      } else if (m.state === 'starting') {
        problems.push('it is stuck in "starting" (a known podman hang on macOS): minikube cannot reach it');
        fixes.push({ kind: 'commands', id: 'restart', label: `Stop and start ${m.name}`, commands: [['podman', 'machine', 'stop', m.name], ['podman', 'machine', 'start', m.name]] });
      }
      if (problems.length) {
        evidence.push({ source: `podman-machine/${m.name}`, at: pm.at, lines: [
          `state ${m.state}, ${m.rootful === undefined ? 'rootful unknown' : m.rootful ? 'rootful' : 'rootless'}, ${m.cpus ?? '?'} CPUs, ${m.memoryMiB ?? '?'} MiB, ${m.diskGB ?? '?'} GB`,
          `the settings need: rootful, ${want.cpus} CPUs, ${want.memoryMiB} MiB, ${want.diskGB} GB (minikube's size plus the machine's margin)`,
          ...pm.commands.map((c) => `$ ${c.join(' ')}`), ...pm.output,
        ] });
      }
    }
    if (rlimit.length && m?.rootful === true) {
      // Rootful now: the machine was switched since that run, or podman's default connection is still the
      // rootless one (a rootful machine keeps both; `machine set --rootful` moves the default, a hand-made
      // connection default does not follow).
      problems.push(`the last install's step ${failed!.id} failed with an rlimits permission error, which the guide traces to a rootless machine — ${m.name} is rootful now, so check that podman's default connection is its root one`);
      fixes.push({ kind: 'commands', id: 'root-connection', label: `Make ${m.name}'s root connection podman's default`, commands: [['podman', 'system', 'connection', 'list'], ['podman', 'system', 'connection', 'default', `${m.name}-root`]] });
    } else if (rlimit.length) {
      problems.push(`the last install's step ${failed!.id} failed with an rlimits permission error, which the guide traces to a rootless machine`);
      if (!fixes.some((f) => f.id === 'repair')) {
        fixes.push({ kind: 'commands', id: 'rootful', label: `Make ${pm.name} rootful`, commands: [['podman', 'machine', 'stop', pm.name], ['podman', 'machine', 'set', '--rootful', pm.name], ['podman', 'machine', 'start', pm.name]] });
      }
    }
    if (cpuset.length) {
      problems.push(`the last install's step ${failed!.id} failed because kubeadm looks for the cpuset cgroup where cgroup v2 does not put it`);
      const profile = s.plan.settings.profile;
      if (CPUSET_FLAGS.every((f) => failed!.command.includes(f))) {
        // The start already skipped the check and still failed: the machine itself is broken; the guide's
        // last resort is to remove and recreate it.
        fixes.push({
          kind: 'commands', id: 'recreate-machine', label: `Remove and recreate ${pm.name} (everything in it, the cluster too, is lost)`,
          commands: [['minikube', 'delete', '-p', profile], ['podman', 'machine', 'rm', '-f', pm.name], ['podman', ...initArgs(want)], ['podman', 'machine', 'start', pm.name]],
        });
      } else {
        fixes.push({
          kind: 'commands', id: 'cpuset', label: 'Start minikube with the guide’s flags (kubeadm skips the cgroup check; the kubelet uses systemd cgroups)',
          commands: [['minikube', 'delete', '-p', profile], ['minikube', 'start', '-p', profile, `--driver=${s.plan.driver}`, `--memory=${s.plan.settings.memoryMiB}`, `--cpus=${s.plan.settings.cpus}`, `--disk-size=${s.plan.settings.diskGB}g`, ...CPUSET_FLAGS]],
        });
      }
    }
    if (rlimit.length || cpuset.length) {
      evidence.push({ source: `journal/${failed!.runId}`, ...(failed!.at ? { at: failed!.at } : {}), lines: [`step ${failed!.id} failed:`, ...new Set([...rlimit, ...cpuset])] });
    }
    if (problems.length === 0) return undefined;
    // The install's podman-machine step makes the same repair itself; after a manual minikube start it
    // reuses the cluster.
    const repairs = fixes.some((f) => f.id === 'repair');
    fixes.push({ kind: 'commands', id: 'install-again', label: repairs ? 'Or install again: its podman-machine step makes the same repair' : 'Then install again', commands: [cliCommand(s, 'up', '--yes')] });
    return {
      severity: 'error',
      summary: `The podman machine ${m?.name ?? pm.name} cannot host minikube as set: ${problems.join('; ')}.`,
      evidence,
      fixes,
    };
  },
};
