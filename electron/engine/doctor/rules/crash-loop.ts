// A container that keeps exiting, explained from its own last words where the app knows them: Grafana
// refusing two default datasources (llm-d issue #494, fixed by PR #557), vLLM stopping on an instruction
// the CPU lacks (bf16 without AVX512-BF16/AMX, or an image built for AVX-512), vLLM's argparse refusing a
// flag its version does not have, Prometheus unable to open its TSDB (its emptyDir outlives container
// restarts, so only a new pod clears it). A model server killed by its startup probe is decode-starting's
// story, not this one's. Anything else: the exit code and the last lines, and where to read more.
import type { DoctorFix, Finding } from '../../../../shared/api/doctor.js';
import type { ContainerSnapshot, PodSnapshot, Snapshot } from '../snapshot.js';
import { startupProbeKill } from './decode-starting.js';
import { isDecodePod, lastLines, needsCluster, podSource, releaseImageFix, type Rule } from './rule.js';

/**
 * Prometheus's last words before it exits: `err="…"` of its fatal line (Prometheus 3 logs through slog:
 * `level=ERROR … msg="Fatal error" err="opening storage failed: …"`; prometheus/prometheus#13390, #4761).
 */
const prometheusError = (text: string): string | undefined => /level=(?:ERROR|error)\b.*\berr="((?:[^"\\]|\\.)*)"/.exec(text)?.[1];

/** Keeps exiting on its own; a container the kernel OOMKilled is the oom-killed rule's, not this one's. */
const crashed = (c: ContainerSnapshot): boolean =>
  c.lastTerminated?.reason !== 'OOMKilled' && !c.ready
  && ((c.state.kind === 'waiting' && c.state.reason === 'CrashLoopBackOff') || (c.restartCount > 0 && c.lastTerminated !== undefined && c.lastTerminated.exitCode !== 0));

function explain(s: Snapshot, p: PodSnapshot, c: ContainerSnapshot, log: string[]): { summary: string; fixes: DoctorFix[] } {
  const text = log.join('\n');
  const { settings, release } = s.plan;
  if (/Only one datasource per organization can be marked as default/.test(text)) {
    const mon = release.charts.monitoring;
    return {
      summary: `Grafana (${p.name}) will not start: two datasources are marked as default (kube-prometheus-stack's own and one from the values; llm-d issue #494).`,
      fixes: [{ kind: 'commands', id: 'one-default-datasource', label: 'Turn the chart’s default datasource off', commands: [['helm', 'upgrade', mon.release, mon.chart, '--version', mon.version, '-n', release.monitoringNamespace, '--kube-context', settings.profile, '--reuse-values', '--set', 'grafana.sidecar.datasources.defaultDatasourceEnabled=false']] }],
    };
  }
  if (c.lastTerminated?.exitCode === 132 || /Illegal instruction/.test(text)) {
    const bf16 = s.plan.dtype?.value === 'bfloat16' || /--dtype[= ](bfloat16|bf16)/.test(c.args.join(' '));
    return {
      summary: bf16
        ? `vLLM in ${p.name} stops on an instruction this CPU lacks: it runs the model in bfloat16, which needs bf16 in the CPU (AVX512-BF16 or AMX on x86, FEAT_BF16 on Arm).`
        : `vLLM in ${p.name} stops on an instruction this CPU lacks: its image is built for AVX-512 (vllm-project/vllm#18660).`,
      fixes: bf16 && settings.dtype !== 'float32'
        ? [{ kind: 'settings', id: 'float32', label: 'Run the model in float32', does: 'Sets the model precision to float32 (Configure → Advanced) and runs the install again: the model servers restart with --dtype=float32.', settings: { dtype: 'float32' } }]
        : [],
    };
  }
  if (p.labels['app.kubernetes.io/name'] === 'prometheus' && c.name === 'prometheus') {
    const err = prometheusError(text);
    const kubectl = ['kubectl', '--context', settings.profile, '-n', p.namespace];
    return {
      summary: `Prometheus (${p.name}) keeps exiting${err ? `: ${err}` : ` (exit ${c.lastTerminated?.exitCode ?? '?'})`}.${err?.startsWith('opening storage failed') ? ' Its data directory is an emptyDir that outlives container restarts, so it fails the same way until the pod is recreated (the operator\'s StatefulSet makes a new one with an empty directory; the metrics collected so far are lost).' : ''}`,
      fixes: err?.startsWith('opening storage failed')
        ? [{ kind: 'commands', id: 'recreate-prometheus', label: 'Recreate the Prometheus pod', commands: [[...kubectl, 'delete', 'pod', p.name]] }]
        : [{ kind: 'commands', id: 'read-logs', label: 'Read its logs', commands: [[...kubectl, 'logs', p.name, '-c', c.name, '--previous', '--tail=200']] }],
    };
  }
  const refused = /unrecognized arguments: (.*)$/m.exec(text);
  if (refused) {
    const vllm = s.plan.images.find((i) => i.role === 'vllm');
    return {
      summary: `vLLM in ${p.name} refuses its command line (unrecognized arguments: ${refused[1]}): the image's vLLM is older or newer than the one the release's arguments were chosen for.`,
      fixes: vllm?.overridden
        ? [releaseImageFix(s, vllm, 'Use the release’s model server image', ` (vLLM ${vllm.vllmVersion ?? '?'})`)]
        : [],
    };
  }
  return {
    summary: `Container ${c.name} of ${p.name} keeps exiting (exit ${c.lastTerminated?.exitCode ?? '?'}${c.lastTerminated?.reason ? `, ${c.lastTerminated.reason}` : ''}).`,
    fixes: [{ kind: 'commands', id: 'read-logs', label: 'Read its logs', commands: [['kubectl', '--context', settings.profile, 'logs', '-n', p.namespace, p.name, '-c', c.name, '--previous', '--tail=200']] }],
  };
}

export const crashLoop: Rule = {
  id: 'crash-loop',
  title: 'No container keeps crashing',
  applies: needsCluster,
  check(s): Finding | undefined {
    const probeKilled = (p: PodSnapshot, c: ContainerSnapshot) =>
      isDecodePod(s, p) && c.name === s.plan.release.containers.modelServer && startupProbeKill(s, p, c.name) !== undefined;
    const hits = s.pods.flatMap((p) => p.containers.filter((c) => crashed(c) && !probeKilled(p, c)).map((c) => ({ p, c })));
    if (hits.length === 0) return undefined;
    const { p, c } = hits[0]!;
    const log = [...lastLines(s, p, c, 20, true), ...lastLines(s, p, c, 20)];
    const { summary, fixes } = explain(s, p, c, log);
    return {
      severity: 'error',
      summary: hits.length > 1 ? `${summary} (${hits.length - 1} more crashing container${hits.length > 2 ? 's' : ''} below.)` : summary,
      evidence: hits.map((h) => ({
        source: podSource(h.p),
        ...(h.c.lastTerminated?.finishedAt ? { at: h.c.lastTerminated.finishedAt } : {}),
        lines: [`container ${h.c.name}: ${h.c.state.reason ?? h.c.state.kind}, exit ${h.c.lastTerminated?.exitCode ?? '?'}, ${h.c.restartCount} restarts`, ...lastLines(s, h.p, h.c, 6, true)],
      })),
      fixes,
    };
  },
};
