// Step logs (docs/architecture.md §3): the engine keeps a bounded replay buffer per step and pushes new lines as
// batched `step.log` events with a per-step sequence number. This store holds what the terminals show:
// the replay on first use, then every batch in order. A gap in the sequence (a missed batch) re-reads the
// replay buffer, so a terminal never silently skips lines. Pages come and go; this store stays, so a
// terminal that is opened again shows everything so far. What it keeps is bounded (a step's live lines
// and the combined view alike, as the terminals' scrollback is): a flood of 200,000 lines copied whole
// on every batch made each batch cost more than the last. `total` counts the lines ever appended, so a
// terminal appends what is new even after the front was trimmed. Appending costs O(1) per line (issue
// #16: copying 20,000 lines on every batch of a flood made 100+ ms tasks): the arrays are append-only —
// a line once in one is never changed, new lines are pushed in place and a new StepLog object (with a new
// `total`) says so; trimming keeps up to twice the bound and then starts a new array of the last
// `limit`. So whoever holds an array may read what it held, and `total` tells what is new. The whole log of a step (`loadWhole`,
// from its file) is kept whole, on demand: read a page at a time (step.logFile serves bounded pages,
// issue #16 — one reply of 200,000 lines cost the page a 376 ms task), with its progress in `whole` and
// a way to stop and go on.
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
  /** Set once the whole log is being read from the step's file: `lines` are then the file's, not trimmed. */
  whole?: WholeLog;
}

export interface WholeLog {
  state: 'loading' | 'done' | 'stopped';
  /** Lines read from the file so far, and how many it had when its first page was read. */
  loaded: number;
  totalLines?: number | undefined;
  /** Byte offset of the next page. */
  next: number;
  path?: string | undefined;
  error?: string | undefined;
}

interface LogState {
  /** The run the lines belong to: a batch or replay of another run (the teardown after the install) starts afresh. */
  runId?: string;
  steps: Record<string, StepLog>;
  /** Every line of every step in arrival order (the "All steps" terminal), and each one's step. */
  allLines: string[];
  allIds: string[];
  allEpoch: number;
  allTotal: number;
  load(stepId: string): Promise<void>;
  /**
   * Reads the step's whole log from its file (step.logFile), page by page; after a stop, goes on where it
   * stopped. An error message when it could not.
   */
  loadWhole(stepId: string): Promise<string | undefined>;
  /** Stops reading the whole log after the page in flight; what was read stays shown. */
  stopWhole(stepId: string): void;
  /** Applies a batch; returns false when it does not follow the last one (caller re-reads). */
  apply(e: StepLogEvent): boolean;
  replace(stepId: string, seq: number, lines: string[], runId?: string): void;
}

/** A step not seen yet (its own array: arrays are appended to in place). */
const empty = (): StepLog => ({ seq: 0, lines: [], epoch: 0, total: 0 });
/** What the combined terminal keeps, and each step's live log: the terminals' scrollback. */
export const ALL_LIMIT = 20_000;
export const STEP_LIMIT = 20_000;

/**
 * Appends `more` to `xs` in place and returns the array to keep: `xs`, or once it holds over twice
 * `limit`, a new array of its last `limit` (so the copying is O(1) per line over time).
 */
export function appendBounded<T>(xs: T[], more: readonly T[], limit = Infinity): T[] {
  for (const x of more) xs.push(x);
  return xs.length > 2 * limit ? xs.slice(xs.length - limit) : xs;
}

/** Per step, the whole-log read under way: a stop, a new run or a new read ends the older one. */
const reads = new Map<string, symbol>();

export const useLogs = create<LogState>((set, get) => {
  /** Lines of another run than the ones held: what is held belongs to the earlier run and is dropped. */
  const startRun = (runId: string | undefined) => {
    if (runId === undefined || runId === get().runId) return;
    set((s) => ({ runId, steps: {}, allLines: [], allIds: [], allEpoch: s.allEpoch + 1, allTotal: 0 }));
  };
  return {
    steps: {},
    allLines: [],
    allIds: [],
    allEpoch: 0,
    allTotal: 0,
    async load(stepId) {
      const r = await api().invoke('step.logs', { stepId });
      if (r.ok) get().replace(stepId, r.value.seq, r.value.lines, r.value.runId);
    },
    async loadWhole(stepId) {
      const before = get().steps[stepId]?.whole;
      const goOn = before?.state === 'stopped';
      const read = Symbol(stepId);
      reads.set(stepId, read);
      const runId = get().runId;
      set((s) => {
        const cur = s.steps[stepId] ?? empty();
        const whole: WholeLog = goOn ? { ...before, state: 'loading', error: undefined } : { state: 'loading', loaded: 0, next: 0 };
        return { steps: { ...s.steps, [stepId]: goOn ? { ...cur, whole } : { ...cur, lines: [], epoch: cur.epoch + 1, total: 0, whole } } };
      });
      const current = () => reads.get(stepId) === read && get().runId === runId && get().steps[stepId]?.whole?.state === 'loading';
      for (;;) {
        const offset = get().steps[stepId]?.whole?.next ?? 0;
        const r = await api().invoke('step.logFile', { stepId, offset });
        if (!current()) return undefined; // stopped, or another run's lines took its place
        if (!r.ok) {
          set((s) => {
            const cur = s.steps[stepId]!;
            return { steps: { ...s.steps, [stepId]: { ...cur, whole: { ...cur.whole!, state: 'stopped', error: r.error.message } } } };
          });
          return r.error.message;
        }
        const page = r.value;
        const done = page.next >= page.size;
        set((s) => {
          const cur = s.steps[stepId]!;
          const w = cur.whole!;
          const whole: WholeLog = {
            state: done ? 'done' : 'loading', loaded: w.loaded + page.lines.length, next: page.next,
            totalLines: page.totalLines ?? w.totalLines, path: page.path ?? w.path,
          };
          // Batches after the last page was read follow its seq; earlier ones are in the file.
          return { steps: { ...s.steps, [stepId]: { ...cur, seq: Math.max(page.seq, cur.seq), lines: appendBounded(cur.lines, page.lines), total: cur.total + page.lines.length, whole } } };
        });
        if (done) {
          reads.delete(stepId);
          return undefined;
        }
      }
    },
    stopWhole(stepId) {
      reads.delete(stepId);
      const cur = get().steps[stepId];
      if (cur?.whole?.state !== 'loading') return;
      set((s) => ({ steps: { ...s.steps, [stepId]: { ...cur, whole: { ...cur.whole!, state: 'stopped' } } } }));
    },
    apply(e) {
      startRun(e.runId);
      const cur = get().steps[e.stepId] ?? empty();
      // A first batch after we already hold lines: the engine restarted (its buffers start again at 1).
      // Keep what we have and carry on from there.
      const restarted = e.seq === 1 && cur.seq >= 1;
      if (!restarted && e.seq <= cur.seq) return true; // already in the replay we hold
      if (!restarted && e.seq !== cur.seq + 1) return false;
      if (cur.whole && cur.whole.state !== 'done') {
        // Being read from the file (or stopped part way): these lines are in the file, after the pages
        // read so far, and would land out of order. The file's pages bring them.
        set((s) => ({ steps: { ...s.steps, [e.stepId]: { ...cur, seq: e.seq } } }));
        return true;
      }
      set((s) => {
        const lines = appendBounded(cur.lines, e.lines, cur.whole ? Infinity : STEP_LIMIT);
        const allLines = appendBounded(s.allLines, e.lines, ALL_LIMIT);
        const allIds = appendBounded(s.allIds, e.lines.map(() => e.stepId), ALL_LIMIT);
        return {
          steps: { ...s.steps, [e.stepId]: { ...cur, seq: e.seq, lines, total: cur.total + e.lines.length } },
          allLines,
          allIds,
          allTotal: s.allTotal + e.lines.length,
        };
      });
      return true;
    },
    replace(stepId, seq, lines, runId) {
      startRun(runId);
      const cur = get().steps[stepId] ?? empty();
      if (seq < cur.seq) return; // an older answer than what events already brought
      if (seq === cur.seq && lines.length === cur.lines.length) return;
      // The whole log from the file holds more than the replay buffer: a re-read of the buffer (after a
      // missed batch) must not swap it back for the bounded buffer.
      if (cur.whole && (runId === undefined || runId === get().runId)) {
        set((s) => ({ steps: { ...s.steps, [stepId]: { ...cur, seq: Math.max(seq, cur.seq) } } }));
        return;
      }
      set((s) => {
        // The combined view takes the step's lines in place of what it had of that step (new arrays: a
        // terminal may still be reading the old ones).
        const allLines: string[] = [];
        const allIds: string[] = [];
        for (let i = 0; i < s.allLines.length; i++) {
          if (s.allIds[i] !== stepId) {
            allLines.push(s.allLines[i]!);
            allIds.push(s.allIds[i]!);
          }
        }
        const keptLines = appendBounded(allLines, lines, ALL_LIMIT);
        const keptIds = appendBounded(allIds, lines.map(() => stepId), ALL_LIMIT);
        return {
          steps: { ...s.steps, [stepId]: { seq, lines: [...lines], epoch: cur.epoch + 1, total: lines.length } },
          allLines: keptLines,
          allIds: keptIds,
          allEpoch: s.allEpoch + 1,
          allTotal: keptLines.length,
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
