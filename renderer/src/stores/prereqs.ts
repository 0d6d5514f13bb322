// Prerequisites: the engine's tool report, an install task (one tool or all missing) with its live
// progress per tool, and the install log (the `prerequisites` step log: replayed, then appended).
import { create } from 'zustand';
import type { PrereqProgress, PrereqReport, ToolName } from '../../../shared/api/engine.js';
import { api } from '../api/index.js';
import { newTaskId } from '../api/task-ids.js';
import type { Api } from '../api/client.js';
import { useLogs } from './logs.js';

export const PREREQ_LOG = 'prerequisites';

export interface ToolProgress {
  phase: PrereqProgress['phase'];
  bytes?: number;
  totalBytes?: number;
  message?: string;
}

interface PrereqState {
  report?: PrereqReport;
  loading: boolean;
  error?: { message: string; hint?: string };
  /** The running install task, and the tool it was asked for (undefined = every missing tool). */
  task?: { taskId: string; tool?: ToolName };
  progress: Partial<Record<ToolName, ToolProgress>>;
  /** How the last install ended, when it did not succeed. */
  installError?: string;
  /** What the last install put in place (its task's result), also when it stopped part-way (installedJustNow). */
  installed?: ToolName[];
  check(): Promise<void>;
  install(tool?: ToolName): Promise<void>;
  cancel(): Promise<void>;
}

export const usePrereqs = create<PrereqState>((set, get) => ({
  loading: false,
  progress: {},
  async check() {
    set({ loading: true, error: undefined });
    const r = await api().invoke('prereqs.check', {});
    if (r.ok) set({ report: r.value, loading: false });
    else set({ loading: false, error: { message: r.error.message, ...(r.error.hint ? { hint: r.error.hint } : {}) } });
  },
  async install(tool) {
    if (get().task) return;
    set({ installError: undefined, installed: undefined, progress: {} });
    void useLogs.getState().load(PREREQ_LOG);
    // Our own task id, known before the request goes out: progress and a fast failure that outrun the
    // reply belong to this install, and nobody else's events are taken for it.
    const taskId = newTaskId('ui-prereqs');
    set({ task: { taskId, ...(tool ? { tool } : {}) } });
    const r = await api().invoke('prereqs.install', { ...(tool ? { tool } : {}), taskId });
    if (!r.ok) set((s) => ({ installError: r.error.message, ...(s.task?.taskId === taskId ? { task: undefined } : {}) }));
  },
  async cancel() {
    const task = get().task;
    if (task) await api().invoke('task.cancel', { taskId: task.taskId });
  },
}));

/**
 * Whether the Prerequisites page marks a tool "Installed just now": its download reached `done`, or the last
 * install's result lists it — a package-manager install (podman on Linux) sends no `done` phase of its own.
 */
export const installedJustNow = (tool: ToolName, s: Pick<PrereqState, 'progress' | 'installed'>): boolean =>
  s.progress[tool]?.phase === 'done' || (s.installed?.includes(tool) ?? false);

/** Feeds the store from the engine's events; called once at start-up. */
export function attachPrereqEvents(a: Api): () => void {
  const offs = [
    a.on('prereqs.progress', (p) => {
      const task = usePrereqs.getState().task;
      if (!task || p.taskId !== task.taskId) return;
      usePrereqs.setState((s) => ({
        progress: {
          ...s.progress,
          [p.tool]: {
            phase: p.phase,
            ...(p.bytes !== undefined ? { bytes: p.bytes } : {}),
            ...(p.totalBytes !== undefined ? { totalBytes: p.totalBytes } : {}),
            // Byte updates carry no message: keep the phase's last words.
            ...(p.message ? { message: p.message } : s.progress[p.tool]?.message && s.progress[p.tool]?.phase === p.phase ? { message: s.progress[p.tool]!.message! } : {}),
          },
        },
      }));
    }),
    a.on('task.progress', (t) => {
      const task = usePrereqs.getState().task;
      // An install started elsewhere (another window, before a reload) is followed from its first event.
      if (!task && t.kind === 'prereqs' && t.state === 'running') {
        usePrereqs.setState({ task: { taskId: t.taskId }, installError: undefined, installed: undefined, progress: {} });
        return;
      }
      if (!task || t.taskId !== task.taskId || t.state === 'running') return;
      usePrereqs.setState({
        task: undefined,
        installed: t.result.kind === 'prereqs' ? t.result.installed : [],
        installError: t.state === 'succeeded' ? undefined : t.state === 'cancelled' ? 'The install was cancelled.' : (t.message ?? 'The install failed.'),
      });
      void usePrereqs.getState().check();
    }),
  ];
  return () => offs.forEach((off) => off());
}
