// Step logs (docs/architecture.md §3): the engine keeps a bounded replay buffer per step and pushes new lines as
// batched `step.log` events with a per-step sequence number. This store holds what the terminals show:
// the replay on first use, then every batch in order. A gap in the sequence (a missed batch) re-reads the
// replay buffer, so a terminal never silently skips lines. Pages come and go; this store stays, so a
// terminal that is opened again shows everything so far. What it keeps is bounded (a step's live lines
// and the combined view alike, as the terminals' scrollback is): a flood of 200,000 lines copied whole
// on every batch made each batch cost more than the last. `total` counts the lines ever appended, so a
// terminal appends what is new even after the front was trimmed. The whole log of a step (`loadWhole`,
// from its file) is kept whole, on demand.
import { create } from 'zustand';
import type { StepLogEvent } from '../../../shared/api/engine.js';
import type { Api } from '../api/client.js';
import { api } from '../api/index.js';

export interface StepLog {
  seq: number;
  lines: string[];
  /** Bumped whenever `lines` is replaced rather than appended (a terminal then redraws). */
  epoch: number;
  /** Lines appended since the last replacement (more than `lines` holds once the front was trimmed). */
  total: number;
  /** Set once the whole log was read from the step's file: `lines` are then not trimmed. */
  whole?: { omittedLines: number; path?: string | undefined };
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
  allTotal: number;
  load(stepId: string): Promise<void>;
  /** Reads the step's whole log from its file (step.logFile); an error message when it could not. */
  loadWhole(stepId: string): Promise<string | undefined>;
  /** Applies a batch; returns false when it does not follow the last one (caller re-reads). */
  apply(e: StepLogEvent): boolean;
  replace(stepId: string, seq: number, lines: string[], runId?: string): void;
}

const EMPTY: StepLog = { seq: 0, lines: [], epoch: 0, total: 0 };
/** What the combined terminal keeps, and each step's live log: the terminals' scrollback. */
export const ALL_LIMIT = 20_000;
export const STEP_LIMIT = 20_000;

const keepLast = <T>(xs: T[], limit: number): T[] => (xs.length > limit ? xs.slice(xs.length - limit) : xs);

export const useLogs = create<LogState>((set, get) => {
  /** Lines of another run than the ones held: what is held belongs to the earlier run and is dropped. */
  const startRun = (runId: string | undefined) => {
    if (runId === undefined || runId === get().runId) return;
    set((s) => ({ runId, steps: {}, all: [], allEpoch: s.allEpoch + 1, allTotal: 0 }));
  };
  return {
    steps: {},
    all: [],
    allEpoch: 0,
    allTotal: 0,
    async load(stepId) {
      const r = await api().invoke('step.logs', { stepId });
      if (r.ok) get().replace(stepId, r.value.seq, r.value.lines, r.value.runId);
    },
    async loadWhole(stepId) {
      const r = await api().invoke('step.logFile', { stepId });
      if (!r.ok) return r.error.message;
      const { seq, lines, omittedLines, path } = r.value;
      set((s) => {
        const cur = s.steps[stepId] ?? EMPTY;
        // Batches after the file was read follow its seq; ones the store already has are in the file.
        return { steps: { ...s.steps, [stepId]: { seq: Math.max(seq, cur.seq), lines, epoch: cur.epoch + 1, total: lines.length, whole: { omittedLines, path } } } };
      });
      return undefined;
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
        const lines = [...cur.lines, ...e.lines];
        return {
          steps: { ...s.steps, [e.stepId]: { ...cur, seq: e.seq, lines: cur.whole ? lines : keepLast(lines, STEP_LIMIT), total: cur.total + e.lines.length } },
          all: keepLast([...s.all, ...e.lines.map((line) => ({ stepId: e.stepId, line }))], ALL_LIMIT),
          allTotal: s.allTotal + e.lines.length,
        };
      });
      return true;
    },
    replace(stepId, seq, lines, runId) {
      startRun(runId);
      const cur = get().steps[stepId] ?? EMPTY;
      if (seq < cur.seq) return; // an older answer than what events already brought
      if (seq === cur.seq && lines.length === cur.lines.length) return;
      set((s) => {
        // The combined view takes the step's lines in place of what it had of that step.
        const all = keepLast([...s.all.filter((l) => l.stepId !== stepId), ...lines.map((line) => ({ stepId, line }))], ALL_LIMIT);
        return {
          steps: { ...s.steps, [stepId]: { seq, lines, epoch: cur.epoch + 1, total: lines.length } },
          all,
          allEpoch: s.allEpoch + 1,
          allTotal: all.length,
        };
      });
    },
  };
});

export function attachLogEvents(a: Api): () => void {
  return a.on('step.log', (e) => {
    if (!useLogs.getState().apply(e)) void useLogs.getState().load(e.stepId);
  });
}
