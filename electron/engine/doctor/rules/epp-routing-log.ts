// The EPP logs one line per routed request only from the release's routing verbosity on (`--v=3` for both
// releases today); below it the Playground's "why this replica" has nothing to read. The stack step renders
// the flag, so an EPP without it was deployed by something else (an older app, or a `helm upgrade` by hand
// that kept the stack record's hash the same — then the install again skips the stack, and helm is the fix).
import type { DoctorFix, Finding } from '../../../../shared/api/doctor.js';
import { releaseSelectors } from '../../../../shared/release.js';
import { labelMatcher } from '../../kube/pod-summary.js';
import type { ContainerSnapshot, PodSnapshot, Snapshot } from '../snapshot.js';
import { cliCommand, needsCluster, podSource, type Rule } from './rule.js';

/**
 * The klog verbosity a command line sets (`--v=3`, `--v 3`, `-v=3`, `-v 3`), the last one winning as in
 * Go's flag package; undefined when there is no such flag (klog's default, 0).
 */
export function verbosityOf(args: string[]): number | undefined {
  const tokens = args.flatMap((a) => a.split(/\s+/)).filter(Boolean);
  let v: number | undefined;
  tokens.forEach((t, i) => {
    const m = /^--?v(?:=(.*))?$/.exec(t);
    if (!m) return;
    const raw = m[1] ?? tokens[i + 1];
    if (raw !== undefined && /^\d+$/.test(raw)) v = Number(raw);
  });
  return v;
}

const eppContainers = (s: Snapshot): Array<{ p: PodSnapshot; c: ContainerSnapshot }> => {
  const { release } = s.plan;
  const isEpp = labelMatcher(releaseSelectors(release).epp);
  return s.pods.filter((p) => isEpp(p.labels)).flatMap((p) => p.containers.filter((c) => c.name === release.containers.epp).map((c) => ({ p, c })));
};

/** The helm values key the stack step sets the flag with (electron/engine/stack/render.ts), by stack kind. */
function helmFix(s: Snapshot, want: number): DoctorFix | undefined {
  const { release, settings } = s.plan;
  const [chart, key] = release.stack.kind === 'router' ? [release.charts.router, 'router.epp.flags.v'] : [release.charts.gaie, 'inferenceExtension.flags.v'];
  if (!chart) return undefined;
  return {
    kind: 'commands', id: 'helm-verbosity', label: `Set the EPP's verbosity to ${want} in helm release ${chart.release} (keeps its other values)`,
    commands: [['helm', 'upgrade', chart.release, chart.chart, '--version', chart.version, '--namespace', settings.namespace, '--kube-context', settings.profile, '--reuse-values', '--set', `${key}=${want}`]],
  };
}

export const eppRoutingLog: Rule = {
  id: 'epp-routing-log',
  title: 'The EPP logs its routing decisions',
  applies(s) {
    const cluster = needsCluster(s);
    if (cluster !== true) return cluster;
    return eppContainers(s).length ? true : `no EPP pod (${releaseSelectors(s.plan.release).epp}) yet`;
  },
  check(s): Finding | undefined {
    const want = s.plan.release.epp.routingLogVerbosity;
    const quiet = eppContainers(s).map((h) => ({ ...h, v: verbosityOf(h.c.args) })).filter((h) => (h.v ?? 0) < want);
    if (quiet.length === 0) return undefined;
    const { p, v } = quiet[0]!;
    const at = v === undefined ? `no --v flag (klog's default, 0)` : `--v=${v}`;
    const helm = helmFix(s, want);
    return {
      severity: 'warning',
      summary: `The EPP does not log its routing decisions, so the Playground cannot say why a replica answered: ${p.name} runs with ${at}, and the "Request handled" line needs --v=${want} or more.`,
      evidence: quiet.map((h) => ({
        source: podSource(h.p),
        lines: [`container ${h.c.name}: ${h.v === undefined ? 'no --v flag' : `--v=${h.v}`} (needs ${want})`, `args: ${h.c.args.join(' ')}`],
      })),
      fixes: [
        ...(helm ? [helm] : []),
        { kind: 'commands', id: 'install-again', label: `Run the install again (its stack step renders --v=${want}; it redeploys only when the app's rendering changed)`, commands: [cliCommand(s, 'up', '--yes')] },
      ],
    };
  },
};
