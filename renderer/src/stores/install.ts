// The plan and its runs (Plan, Install and Manage pages): what the plan will do (plan.describe), the
// live state of a run (plan.progress), the journal (past durations, failures with their hint, whether
// an unfinished run can be resumed), and the actions: run, resume (also Retry of a failed step),
// cancel and teardown.
import { create } from 'zustand';
import type { JournalView, PlanDescription, PlanProgress, TeardownOptions } from '../../../shared/api/engine.js';
import type { Result } from '../../../shared/result.js';
import type { Api } from '../api/client.js';
import { api } from '../api/index.js';
import { newTaskId } from '../api/task-ids.js';
import { isFinished, type ActiveRun, type RunKind, type RunOutcome } from '../run-view.js';
import { useLogs } from './logs.js';

export type { RunKind };

interface InstallState {
  plan?: PlanDescription;
  planError?: string;
  planLoading: boolean;
  progress?: PlanProgress;
  journal?: JournalView;
  /** The journal as it was before the current run started: its durations feed the ETA. */
  previousJournal?: JournalView;
  active?: ActiveRun;
  /** How the last run of this session ended (task.progress), with the engine's message. */
  outcome?: RunOutcome;
  actionError?: string;
  loadPlan(): Promise<void>;
  loadJournal(): Promise<void>;
  run(): Promise<boolean>;
  /**
   * Applies a doctor fix (`rule:fix`) and runs the install again with the changed settings; `deleteCluster`
   * says the person confirmed losing the cluster a recreating fix deletes (the engine refuses one without it).
   */
  applyFix(ref: string, opts?: { deleteCluster: true }): Promise<boolean>;
  resume(): Promise<boolean>;
  teardown(opts: TeardownOptions): Promise<boolean>;
  cancel(): Promise<void>;
}

export const useInstall = create<InstallState>((set, get) => {
  const start = async (kind: RunKind, call: (taskId: string) => Promise<Result<{ taskId: string; runId: string }>>): Promise<boolean> => {
    if (get().active) return false;
    // The run's task id is ours and active before the request goes out: a run that ends before the reply
    // (a step failing at once) is still seen to end.
    const taskId = newTaskId('ui-run');
    set({ actionError: undefined, outcome: undefined, previousJournal: get().journal, active: { taskId, kind } });
    const r = await call(taskId);
    if (!r.ok) {
      set((s) => ({ actionError: r.error.hint ? `${r.error.message} ${r.error.hint}` : r.error.message, ...(s.active?.taskId === taskId ? { active: undefined } : {}) }));
      return false;
    }
    const { runId } = r.value;
    set((s) => ({
      ...(s.active?.taskId === taskId ? { active: { taskId, runId, kind } } : {}),
      progress: s.progress?.runId === runId ? s.progress : undefined,
    }));
    return true;
  };
  return {
    planLoading: false,
    async loadPlan() {
      set({ planLoading: true });
      const r = await api().invoke('plan.describe', {});
      if (r.ok) set({ plan: r.value, planError: undefined, planLoading: false });
      else set({ planError: r.error.message, planLoading: false });
    },
    async loadJournal() {
      const r = await api().invoke('journal.get', {});
      if (!r.ok) return;
      set({ journal: r.value });
      // Show the journal's last run until live progress arrives (e.g. after a restart).
      const j = r.value.journal;
      if (j && !get().progress) {
        set({ progress: { runId: j.runId, steps: j.steps.map((s) => ({ id: s.id, state: s.state, ...(s.startedAt ? { startedAt: s.startedAt } : {}), ...(s.endedAt ? { endedAt: s.endedAt } : {}), ...(s.error ? { message: s.error.message } : {}) })), fraction: j.steps.length ? j.steps.filter((s) => isFinished(s.state)).length / j.steps.length : 0 } });
      }
      for (const s of j?.steps ?? []) void useLogs.getState().load(s.id);
    },
    run: () => start('up', (taskId) => api().invoke('plan.run', { taskId })),
    applyFix: (ref, opts) => start('up', (taskId) => api().invoke('doctor.fix', { fix: ref, taskId, ...(opts?.deleteCluster ? { deleteCluster: true } : {}) })),
    // The engine resumes installs only (a teardown is started again from Manage with its options).
    resume: () => start('up', (taskId) => api().invoke('plan.resume', { taskId })),
    teardown: (opts) => start('down', (taskId) => api().invoke('plan.teardown', { ...opts, taskId })),
    async cancel() {
      const a = get().active;
      if (!a) return;
      const r = await api().invoke('task.cancel', { taskId: a.taskId });
      if (!r.ok) set({ actionError: r.error.message });
    },
  };
});

export function attachInstallEvents(a: Api): () => void {
  const offs = [
    a.on('plan.progress', (p) => {
      useInstall.setState({ progress: p });
    }),
    a.on('task.progress', (t) => {
      const s = useInstall.getState();
      const run = t.kind === 'plan' || t.kind === 'teardown';
      // A run started elsewhere (another window, the CLI, before a reload) still shows up here by its kind.
      if (!s.active && run && t.state === 'running') {
        const runId = t.runId ?? s.progress?.runId;
        useInstall.setState({ active: { taskId: t.taskId, ...(runId ? { runId } : {}), kind: t.kind === 'plan' ? 'up' : 'down' } });
        return;
      }
      if (!s.active || t.taskId !== s.active.taskId) return;
      if (t.state === 'running') {
        if (t.runId && !s.active.runId) useInstall.setState({ active: { ...s.active, runId: t.runId } });
        return;
      }
      // The final event's result says which run ended and how, whatever progress of it this window saw.
      const result = t.result.kind === 'plan' || t.result.kind === 'teardown' ? t.result : undefined;
      useInstall.setState({
        active: undefined,
        outcome: {
          runId: result?.runId ?? t.runId ?? s.active.runId ?? '', kind: s.active.kind, state: t.state,
          ...(t.message ? { message: t.message } : {}), ...(result?.failedStep ? { failedStep: result.failedStep } : {}),
        },
      });
      void useInstall.getState().loadJournal();
    }),
  ];
  return () => offs.forEach((off) => off());
}
