// Engine methods and events (docs/architecture.md §2–4): settings, prerequisites, plan (dry run, run, resume),
// journal and step logs. Long operations return a taskId; progress arrives as events; task.cancel stops them.
import { z } from 'zod';
import { Accelerator, Arch, ImageRole } from '../release.js';
import { ClientTaskId, TaskId } from './tasks.js';
import { ToolName } from '../tool-name.js';
import { SettingsOverrides, settingsMethods } from './settings.js';

// ---- prerequisites ---------------------------------------------------------------------------------

export { ToolName } from '../tool-name.js';

export const ToolStatus = z.object({
  name: ToolName,
  /** The tool the chosen settings need (the runtime not chosen is reported but not required). */
  required: z.boolean(),
  installed: z.boolean(),
  version: z.string().optional(),
  minimum: z.string(),
  /** The version the app installs (absent for runtimes, which come from the system). */
  pinned: z.string().optional(),
  path: z.string().optional(),
  /** 'app' = the app's own bin dir, 'system' = found on PATH. */
  source: z.enum(['app', 'system']).optional(),
  /** docker daemon reachable / podman service or machine running. */
  running: z.boolean().optional(),
  /** installed, at least the minimum and (for runtimes) running. */
  ok: z.boolean(),
  problem: z.string().optional(),
  /** How it can be installed: download into the app bin dir, the system package manager (admin), or by hand. */
  install: z.enum(['download', 'admin', 'manual', 'none']),
});
export type ToolStatus = z.infer<typeof ToolStatus>;

export const PrereqReport = z.object({
  tools: z.array(ToolStatus),
  /** The driver `auto` resolves to on this host. */
  driver: z.enum(['docker', 'podman']),
  ok: z.boolean(),
  binDir: z.string(),
});
export type PrereqReport = z.infer<typeof PrereqReport>;

export const PrereqPhase = z.enum(['download', 'verify', 'extract', 'install', 'admin', 'done', 'failed']);
export const PrereqProgress = z.object({
  taskId: TaskId,
  tool: ToolName,
  phase: PrereqPhase,
  bytes: z.number().nonnegative().optional(),
  totalBytes: z.number().nonnegative().optional(),
  message: z.string().optional(),
});
export type PrereqProgress = z.infer<typeof PrereqProgress>;

// ---- plan --------------------------------------------------------------------------------------------

export const PlanStepDescription = z.object({
  id: z.string(),
  title: z.string(),
  needs: z.array(z.string()),
  /** Exact argv arrays the step may run. */
  commands: z.array(z.array(z.string())),
  manifests: z.array(z.object({ name: z.string(), yaml: z.string() })),
  notes: z.array(z.string()),
});
export type PlanStepDescription = z.infer<typeof PlanStepDescription>;

/** One image the plan's stack runs, with where its reference came from (release manifest or an override). */
export const PlanImage = z.object({
  role: ImageRole,
  label: z.string(),
  ref: z.string(),
  defaultRef: z.string(),
  overridden: z.boolean(),
  source: z.string(),
  vllmVersion: z.string().optional(),
});
export type PlanImage = z.infer<typeof PlanImage>;

export const PlanDescription = z.object({
  release: z.object({ id: z.string(), title: z.string(), date: z.string(), upstreamVersion: z.string() }),
  arch: Arch,
  accelerator: Accelerator,
  /** The CPU model server's --dtype and why (follows the CPU's bf16 support), when the release lets it. */
  dtype: z.object({ value: z.string(), reason: z.string() }).optional(),
  images: z.array(PlanImage),
  steps: z.array(PlanStepDescription),
});
export type PlanDescription = z.infer<typeof PlanDescription>;

export const StepState = z.enum(['pending', 'running', 'done', 'failed', 'skipped', 'cancelled']);
export type StepState = z.infer<typeof StepState>;

export const StepProgress = z.object({
  id: z.string(),
  state: StepState,
  startedAt: z.string().optional(),
  endedAt: z.string().optional(),
  message: z.string().optional(),
  fraction: z.number().min(0).max(1).optional(),
});
export type StepProgress = z.infer<typeof StepProgress>;

export const PlanProgress = z.object({
  runId: z.string(),
  steps: z.array(StepProgress),
  fraction: z.number().min(0).max(1),
});
export type PlanProgress = z.infer<typeof PlanProgress>;

export const StepLogEvent = z.object({
  stepId: z.string(),
  /** Increases by one per batch, per step, so a consumer can spot a gap. */
  seq: z.number().int().nonnegative(),
  lines: z.array(z.string()),
  /** The run the lines belong to (absent for output outside a run): a teardown's steps are not the install's. */
  runId: z.string().optional(),
});
export type StepLogEvent = z.infer<typeof StepLogEvent>;

// ---- journal -----------------------------------------------------------------------------------------

export const StepOutcome = z.enum(['done', 'already-done', 'failed', 'cancelled', 'blocked']);
export const JournalStep = z.object({
  id: z.string(),
  state: StepState,
  outcome: StepOutcome.optional(),
  startedAt: z.string().optional(),
  endedAt: z.string().optional(),
  durationMs: z.number().nonnegative().optional(),
  logPath: z.string().optional(),
  /** details: the error's structured data when it has some (e.g. the ImagesReport of IMAGE_UNAVAILABLE). */
  error: z.object({ code: z.string(), message: z.string(), hint: z.string().optional(), details: z.unknown().optional() }).optional(),
});
export type JournalStep = z.infer<typeof JournalStep>;

export const JournalDoc = z.object({
  version: z.literal(1),
  runId: z.string(),
  kind: z.enum(['up', 'down']),
  /** running until the run ends; a `running` journal whose pid is gone was interrupted (crash, kill, quit). */
  status: z.enum(['running', 'succeeded', 'failed', 'cancelled']),
  pid: z.number().int(),
  /**
   * The process's start time as the OS reports it, so a pid the OS later gives to an unrelated process is
   * not taken for the run (electron/engine/process/process-identity.ts); null when it could not be read,
   * absent in journals written before it was recorded.
   */
  pidStartTime: z.string().nullable().optional(),
  startedAt: z.string(),
  endedAt: z.string().optional(),
  /** The settings the run used (resume continues with the same ones); never holds a secret. */
  settings: z.record(z.string(), z.unknown()),
  /** The install deletes the cluster first when its size differs from the settings' (a recreating doctor fix); resume keeps it. */
  recreateCluster: z.literal(true).optional(),
  steps: z.array(JournalStep),
});
export type JournalDoc = z.infer<typeof JournalDoc>;

export const JournalView = z.object({
  journal: JournalDoc.nullable(),
  /** The last run stopped before finishing (crash, kill, failure, cancel): plan.resume continues it. */
  resumable: z.boolean(),
  /** The last run's process died mid-run (as opposed to failing or being cancelled). */
  interrupted: z.boolean(),
  /**
   * journal.json exists but cannot be read: whether an install was interrupted is unknown, so nothing can
   * be resumed automatically. The step log files in logsDir are separate files and survive.
   */
  corrupt: z.object({ file: z.string(), reason: z.string(), logsDir: z.string().optional() }).optional(),
  /** Where a corrupt journal was moved (`journal.json.corrupt-<time>`) before a new run replaced it. */
  movedAside: z.string().optional(),
});
export type JournalView = z.infer<typeof JournalView>;

export const TeardownOptions = z.object({
  stopCluster: z.boolean().default(false),
  deleteCluster: z.boolean().default(false),
  stopMachine: z.boolean().default(false),
}).strict();
export type TeardownOptions = z.output<typeof TeardownOptions>;

/**
 * Options of a call that starts a run. `settings` overrides saved fields for this run only (CLI flags);
 * `takeOver` takes the run lock from a live process that cannot be shown to own it (CLI `--take-over`).
 */
const RunOptions = { settings: SettingsOverrides.optional(), takeOver: z.boolean().optional(), taskId: ClientTaskId.optional() };

export const StepStatus = z.object({
  id: z.string(),
  title: z.string(),
  state: z.enum(['done', 'todo', 'blocked']),
  reason: z.string().optional(),
});

/** A page of a step's log file (`step.logFile`): what the renderer asks for, and the most one reply holds. */
export const STEP_LOG_PAGE_BYTES = 256 * 1024;
export const STEP_LOG_PAGE_MAX_BYTES = 1024 * 1024;

const TaskStarted = z.object({ taskId: TaskId, runId: z.string() });

export const engineMethods = {
  ...settingsMethods,
  'prereqs.check': { request: z.object({ settings: SettingsOverrides.optional() }).strict(), response: PrereqReport },
  'prereqs.install': {
    request: z.object({ tool: ToolName.optional(), taskId: ClientTaskId.optional() }).strict(),
    response: z.object({ taskId: TaskId }),
  },
  'plan.describe': {
    request: z.object({ settings: SettingsOverrides.optional() }).strict(),
    response: PlanDescription,
  },
  /** Detect only: where each step stands, nothing changed. */
  'plan.status': { request: z.object({ settings: SettingsOverrides.optional() }).strict(), response: z.object({ steps: z.array(StepStatus) }) },
  'plan.run': { request: z.object(RunOptions).strict(), response: TaskStarted },
  'plan.resume': { request: z.object({ takeOver: RunOptions.takeOver, taskId: RunOptions.taskId }).strict(), response: TaskStarted },
  'plan.teardown': { request: TeardownOptions.extend(RunOptions), response: TaskStarted },
  'journal.get': { request: z.object({}).strict(), response: JournalView },
  'step.logs': {
    request: z.object({ stepId: z.string().min(1).max(100) }).strict(),
    response: z.object({ stepId: z.string(), seq: z.number().int().nonnegative(), lines: z.array(z.string()), runId: z.string().optional() }),
  },
  /**
   * A step's whole log, read from its file (the last run that ran the step): what `step.log` events and
   * the replay buffer leave out of a flood. Served a page at a time (at most STEP_LOG_PAGE_MAX_BYTES of
   * whole lines per reply, issue #16): ask from `offset` 0, then from each reply's `next` until it equals
   * `size`; a file still being written has grown by then, so asking again follows it.
   */
  'step.logFile': {
    request: z.object({
      stepId: z.string().min(1).max(100),
      /** 0, or an earlier reply's `next` (past the end of the file: BAD_REQUEST). */
      offset: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).default(0),
      maxBytes: z.number().int().min(1024).max(STEP_LOG_PAGE_MAX_BYTES).default(STEP_LOG_PAGE_BYTES),
    }).strict(),
    response: z.object({
      stepId: z.string(),
      /** The seq of the step's live log when the page was read: later `step.log` batches follow it. */
      seq: z.number().int().nonnegative(),
      lines: z.array(z.string()),
      offset: z.number().int().nonnegative(),
      next: z.number().int().nonnegative(),
      size: z.number().int().nonnegative(),
      /** Lines in the whole file when it was read; on the first page (offset 0) only. */
      totalLines: z.number().int().nonnegative().optional(),
      /** Where the file is, for a person who wants it in an editor. */
      path: z.string().optional(),
    }),
  },
} as const;

export const engineEvents = {
  'step.log': StepLogEvent,
  'plan.progress': PlanProgress,
  'prereqs.progress': PrereqProgress,
} as const;
