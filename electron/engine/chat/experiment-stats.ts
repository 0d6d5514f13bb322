// Statistics for the routing experiment (docs/architecture.md §4 "Chat and routing insight"): N requests sharing a
// long prefix vs N distinct ones; per replica count, time to first token and latency distribution, and a
// short plain-language reading of what the EPP did.

export type ExperimentArm = 'shared-prefix' | 'distinct';

export interface ExperimentSample {
  arm: ExperimentArm;
  /** Pod that served it, or undefined when attribution was unknown. */
  replica?: string;
  ttftMs?: number;
  latencyMs: number;
  ok: boolean;
}

export interface Distribution {
  count: number;
  min: number;
  p50: number;
  p90: number;
  max: number;
  mean: number;
}

export interface ReplicaStats {
  replica: string;
  count: number;
  share: number;
  ttft?: Distribution;
  /** Absent when the count came from replica counters and no reply was attributed to it one by one. */
  latency?: Distribution;
}

export interface ArmStats {
  arm: ExperimentArm;
  total: number;
  failed: number;
  unattributed: number;
  replicas: ReplicaStats[];
  /** Share of attributed requests on the busiest replica (1 = all on one). */
  concentration: number;
}

/** Nearest-rank percentile on a sorted copy. */
export function distribution(values: readonly number[]): Distribution | undefined {
  if (values.length === 0) return undefined;
  const s = [...values].sort((a, b) => a - b);
  const rank = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
  return { count: s.length, min: s[0]!, p50: rank(50), p90: rank(90), max: s[s.length - 1]!, mean: s.reduce((a, b) => a + b, 0) / s.length };
}

export function armStats(arm: ExperimentArm, samples: readonly ExperimentSample[]): ArmStats {
  const mine = samples.filter((s) => s.arm === arm);
  const ok = mine.filter((s) => s.ok);
  const attributed = ok.filter((s) => s.replica);
  const byReplica = new Map<string, ExperimentSample[]>();
  for (const s of attributed) byReplica.set(s.replica!, [...(byReplica.get(s.replica!) ?? []), s]);
  const replicas: ReplicaStats[] = [...byReplica.entries()]
    .map(([replica, list]) => {
      const ttft = distribution(list.flatMap((s) => (s.ttftMs === undefined ? [] : [s.ttftMs])));
      return {
        replica,
        count: list.length,
        share: list.length / attributed.length,
        ...(ttft ? { ttft } : {}),
        latency: distribution(list.map((s) => s.latencyMs))!,
      };
    })
    .sort((a, b) => b.count - a.count || a.replica.localeCompare(b.replica));
  return {
    arm,
    total: mine.length,
    failed: mine.length - ok.length,
    unattributed: ok.length - attributed.length,
    replicas,
    concentration: replicas.length ? replicas[0]!.share : 0,
  };
}

/** A short reading of what the EPP did, in words a person can check against the table. */
export function readExperiment(shared: ArmStats, distinct: ArmStats, replicaCount: number): string[] {
  const lines: string[] = [];
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  const attributedShared = shared.total - shared.failed - shared.unattributed;
  const attributedDistinct = distinct.total - distinct.failed - distinct.unattributed;
  if (attributedShared === 0 && attributedDistinct === 0) {
    return ['No request could be attributed to a replica, so the routing cannot be read. See why on any reply in the chat.'];
  }
  if (replicaCount < 2) lines.push('Only one replica is serving, so every request goes to it; run with 2 or more replicas to see routing choices.');
  if (attributedShared > 0) {
    const top = shared.replicas[0]!;
    lines.push(
      shared.concentration >= 0.75
        ? `Shared-prefix requests stayed together: ${pct(shared.concentration)} went to ${top.replica}. The EPP's prefix-cache scorer keeps requests that share a prompt prefix on the replica that has it cached.`
        : `Shared-prefix requests were spread: at most ${pct(shared.concentration)} on one replica (${top.replica}). Queue depth outweighed prefix affinity at this concurrency.`,
    );
  }
  if (attributedDistinct > 0) {
    lines.push(
      distinct.replicas.length > 1
        ? `Distinct prompts were spread over ${distinct.replicas.length} replicas (busiest took ${pct(distinct.concentration)}): with no prefix to reuse, the queue and KV-cache scorers balance load.`
        : `Distinct prompts all went to ${distinct.replicas[0]!.replica}.`,
    );
  }
  const failed = shared.failed + distinct.failed;
  if (failed > 0) lines.push(`${failed} request${failed === 1 ? '' : 's'} failed; their replicas are not counted.`);
  const unknown = shared.unattributed + distinct.unattributed;
  if (unknown > 0) lines.push(`${unknown} request${unknown === 1 ? '' : 's'} could not be attributed to a replica.`);
  return lines;
}
