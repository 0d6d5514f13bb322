// Step logs (docs/architecture.md §3): the engine keeps a bounded replay buffer per step and pushes new lines as
// batched `step.log` events with a per-step sequence number. This store holds what the terminals show:
// the replay on first use, then every batch in order. A gap in the sequence (a missed batch) re-reads the
// replay buffer, so a terminal never silently skips lines. Pages come and go; this store stays, so a
// terminal that is opened again shows everything so far.
import { create } from 'zustand';
import type { StepLogEvent } from '../../../shared/api/engine.js';
import type { Api } from '../api/client.js';
import { api } from '../api/index.js';

export interface StepLog {
  seq: number;
  lines: string[];
  /** Bumped whenever `lines` is replaced rather than appended (a terminal then redraws). */
  epoch: number;
}

export interface LogLine {
  stepId: string;
  line: string;
}

interface LogState {
  /** The run the lines belong to: a batch or replay of another run (the teardown after the install) starts afresh. */
  runId?: string;
  steps: Record<string, StepLog>;
  /** Every line of every step in arrival order (the "All steps" terminal). */
  all: LogLine[];
  allEpoch: number;
  load(stepId: string): Promise<void>;
  /** Applies a batch; returns false when it does not follow the last one (caller re-reads). */
  apply(e: StepLogEvent): boolean;
  replace(stepId: string, seq: number, lines: string[], runId?: string): void;
}

const EMPTY: StepLog = { seq: 0, lines: [], epoch: 0 };
/** What the combined terminal keeps (each step's own buffer is bounded by the engine). */
const ALL_LIMIT = 20_000;

export const useLogs = create<LogState>((set, get) => {
  /** Lines of another run than the ones held: what is held belongs to the earlier run and is dropped. */
  const startRun = (runId: string | undefined) => {
    if (runId === undefined || runId === get().runId) return;
    set((s) => ({ runId, steps: {}, all: [], allEpoch: s.allEpoch + 1 }));
  };
  return {
    steps: {},
    all: [],
    allEpoch: 0,
    async load(stepId) {
      const r = await api().invoke('step.logs', { stepId });
      if (r.ok) get().replace(stepId, r.value.seq, r.value.lines, r.value.runId);
    },
    apply(e) {
      startRun(e.runId);
      const cur = get().steps[e.stepId] ?? EMPTY;
      // A first batch after we already hold lines: the engine restarted (its buffers start again at 1).
      // Keep what we have and carry on from there.
      const restarted = e.seq === 1 && cur.seq >= 1;
      if (!restarted && e.seq <= cur.seq) return true; // already in the replay we hold
      if (!restarted && e.seq !== cur.seq + 1) return false;
      set((s) => {
        const all = [...s.all, ...e.lines.map((line) => ({ stepId: e.stepId, line }))];
        const trimmed = all.length > ALL_LIMIT;
        return {
          steps: { ...s.steps, [e.stepId]: { seq: e.seq, lines: [...cur.lines, ...e.lines], epoch: cur.epoch } },
          all: trimmed ? all.slice(all.length - ALL_LIMIT) : all,
          allEpoch: trimmed ? s.allEpoch + 1 : s.allEpoch,
        };
      });
      return true;
    },
    replace(stepId, seq, lines, runId) {
      startRun(runId);
      const cur = get().steps[stepId] ?? EMPTY;
      if (seq < cur.seq) return; // an older answer than what events already brought
      if (seq === cur.seq && lines.length === cur.lines.length) return;
      set((s) => ({
        steps: { ...s.steps, [stepId]: { seq, lines, epoch: cur.epoch + 1 } },
        // The combined view takes the step's lines in place of what it had of that step.
        all: [...s.all.filter((l) => l.stepId !== stepId), ...lines.map((line) => ({ stepId, line }))],
        allEpoch: s.allEpoch + 1,
      }));
    },
  };
});

export function attachLogEvents(a: Api): () => void {
  return a.on('step.log', (e) => {
    if (!useLogs.getState().apply(e)) void useLogs.getState().load(e.stepId);
  });
}
