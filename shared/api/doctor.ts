// The doctor (docs/architecture.md §4 "Doctor"): rules over one snapshot of the install, each passed / a finding /
// not applicable, a finding with the evidence that proved it and the fixes — an action the engine performs
// (a settings change, then the plan again) or exact commands to copy.
import { z } from 'zod';
import { ClientTaskId } from './tasks.js';
import { SettingsOverrides } from './settings.js';

export const Severity = z.enum(['error', 'warning', 'info']);
export type Severity = z.infer<typeof Severity>;

/** What proved a finding: the object it is about and its own words (event messages, log lines, tool output). */
export const Evidence = z.object({
  /** The object or source: `pod/llm-d-cpu-inference/optimized-baseline-cpu-vllm-decode-…`, `event`, `host`. */
  source: z.string(),
  /** When it was seen (the event's last time, the container's finish time), ISO. */
  at: z.string().optional(),
  lines: z.array(z.string()),
});
export type Evidence = z.infer<typeof Evidence>;

export const DoctorFix = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('settings'),
    /** Unique within the rule: `doctor.fix` and `cli doctor --fix <rule>:<id>` name it. */
    id: z.string(),
    label: z.string(),
    /** Exactly what it will do, shown before it runs. */
    does: z.string(),
    /** The settings fields it changes; the plan then runs again and redeploys what they touch. */
    settings: z.record(z.string(), z.unknown()),
    /**
     * The install it starts deletes the minikube profile first and creates it at the settings' size: minikube
     * cannot resize a cluster (a CPUs or memory change on an existing one is ignored with a warning). Everything
     * in the cluster is lost, so `does` says so and `doctor.fix` applies it only when the caller confirmed that.
     */
    recreatesCluster: z.literal(true).optional(),
  }).strict(),
  z.object({ kind: z.literal('commands'), id: z.string(), label: z.string(), commands: z.array(z.array(z.string())) }).strict(),
]);
export type DoctorFix = z.infer<typeof DoctorFix>;

export const Finding = z.object({
  severity: Severity,
  summary: z.string(),
  evidence: z.array(Evidence),
  fixes: z.array(DoctorFix),
});
export type Finding = z.infer<typeof Finding>;

export const RuleOutcome = z.enum(['passed', 'finding', 'not-applicable', 'error']);
export const RuleResult = z.object({
  id: z.string(),
  title: z.string(),
  outcome: RuleOutcome,
  /** Set for `finding`. */
  finding: Finding.optional(),
  /** Why the rule did not apply, or the rule's own error. */
  note: z.string().optional(),
});
export type RuleResult = z.infer<typeof RuleResult>;

export const DoctorReport = z.object({
  at: z.string(),
  release: z.string(),
  /** What could not be collected (cluster unreachable, …): rules needing it say not applicable. */
  gaps: z.array(z.string()),
  results: z.array(RuleResult),
});
export type DoctorReport = z.infer<typeof DoctorReport>;

export const doctorMethods = {
  'doctor.run': { request: z.object({ settings: SettingsOverrides.optional() }).strict(), response: DoctorReport },
  /**
   * Applies a settings fix (`<rule>:<fix>` of a fresh report) and runs the install again as a task; answers
   * with the fix it applied, so a caller can say what changed without running the doctor a second time. A fix
   * that recreates the cluster is refused unless `deleteCluster` says the person agreed to lose what is in it.
   */
  'doctor.fix': {
    request: z.object({
      fix: z.string().regex(/^[a-z0-9-]+:[a-z0-9-]+$/, 'must name a fix as rule:fix'), settings: SettingsOverrides.optional(), taskId: ClientTaskId.optional(),
      deleteCluster: z.literal(true).optional(),
    }).strict(),
    response: z.object({ taskId: z.string(), runId: z.string(), fix: DoctorFix }),
  },
} as const;
export const doctorEvents = {} as const;
