import { beforeEach, describe, expect, it } from 'vitest';
import { renderToString } from 'react-dom/server';
import type { Api } from '../api/client.js';
import { setApi } from '../api/index.js';
import { WholeLogAction } from '../components/terminal/WholeLogAction.js';
import { STEP_LIMIT, useLogs } from './logs.js';

beforeEach(() => useLogs.setState({ runId: undefined, steps: {}, allLines: [], allIds: [], allEpoch: 0, allTotal: 0 }));

describe('step log store', () => {
  it('appends batches in order and keeps the arrival order across steps for the combined view', () => {
    const s = useLogs.getState();
    expect(s.apply({ stepId: 'a', seq: 1, lines: ['a1'] })).toBe(true);
    expect(s.apply({ stepId: 'b', seq: 1, lines: ['b1'] })).toBe(true);
    expect(s.apply({ stepId: 'a', seq: 2, lines: ['a2', 'a3'] })).toBe(true);
    expect(useLogs.getState().steps.a!.lines).toEqual(['a1', 'a2', 'a3']);
    expect(useLogs.getState().allLines).toEqual(['a1', 'b1', 'a2', 'a3']);
  });

  it('reports a missed batch so the replay is read again, and drops batches the replay already holds', () => {
    const s = useLogs.getState();
    s.replace('a', 3, ['1', '2', '3']);
    expect(s.apply({ stepId: 'a', seq: 2, lines: ['2'] })).toBe(true);
    expect(useLogs.getState().steps.a!.lines).toEqual(['1', '2', '3']);
    expect(s.apply({ stepId: 'a', seq: 5, lines: ['5'] })).toBe(false);
    expect(useLogs.getState().steps.a!.lines).toEqual(['1', '2', '3']);
  });

  it('ignores a replay older than what events already brought, and redraws on a newer one', () => {
    const s = useLogs.getState();
    s.apply({ stepId: 'a', seq: 1, lines: ['x'] });
    s.apply({ stepId: 'a', seq: 2, lines: ['y'] });
    s.replace('a', 1, ['x']);
    expect(useLogs.getState().steps.a!.lines).toEqual(['x', 'y']);
    const epoch = useLogs.getState().steps.a!.epoch;
    s.replace('a', 3, ['x', 'y', 'z']);
    expect(useLogs.getState().steps.a).toEqual({ seq: 3, lines: ['x', 'y', 'z'], epoch: epoch + 1, total: 3 });
  });

  it('keeps what it has when the engine restarts and its sequence starts again at 1', () => {
    const s = useLogs.getState();
    s.replace('a', 7, ['old']);
    expect(s.apply({ stepId: 'a', seq: 1, lines: ['new'] })).toBe(true);
    expect(useLogs.getState().steps.a!.lines).toEqual(['old', 'new']);
    expect(s.apply({ stepId: 'a', seq: 2, lines: ['next'] })).toBe(true);
  });

  it('bounds a step’s live lines and the combined view, counting every line so a terminal appends only what is new', () => {
    const s = useLogs.getState();
    const batch = (seq: number) => ({ stepId: 'flood', seq, lines: Array.from({ length: 5000 }, (_, i) => `${seq}:${i}`) });
    for (let seq = 1; seq <= 10; seq++) expect(s.apply(batch(seq))).toBe(true);
    const log = useLogs.getState().steps.flood!;
    expect(log.lines.length).toBeGreaterThanOrEqual(STEP_LIMIT);
    expect(log.lines.length).toBeLessThanOrEqual(2 * STEP_LIMIT);
    expect(log.lines.at(-1)).toBe('10:4999');
    expect(log.lines[0]).toBe(`${Math.floor((50_000 - log.lines.length) / 5000) + 1}:${(50_000 - log.lines.length) % 5000}`);
    expect(log.total).toBe(50_000);
    expect(log.epoch).toBe(0); // trimmed, not replaced: the terminal does not redraw
    expect(useLogs.getState().allTotal).toBe(50_000);
    expect(useLogs.getState().allEpoch).toBe(0);
  });

  it('appends a batch without copying what it holds: O(1) per line, a new array only when trimming', () => {
    const s = useLogs.getState();
    const arrays = new Set<readonly string[]>();
    const allArrays = new Set<readonly string[]>();
    for (let seq = 1; seq <= 400; seq++) {
      s.apply({ stepId: 'flood', seq, lines: Array.from({ length: 500 }, (_, i) => `${seq}:${i}`) });
      arrays.add(useLogs.getState().steps.flood!.lines);
      allArrays.add(useLogs.getState().allLines);
    }
    // 200,000 lines through a bound of 20,000: a fresh array every 20,000 lines or so, not every batch
    // (copying 20,000 lines per batch of a flood made 100+ ms tasks).
    expect(arrays.size).toBeLessThanOrEqual(12);
    expect(allArrays.size).toBeLessThanOrEqual(12);
    const { allLines, allIds } = useLogs.getState();
    expect(allLines.at(-1)).toBe('400:499');
    expect(allIds).toHaveLength(allLines.length);
    expect(new Set(allIds)).toEqual(new Set(['flood']));
  });

  it('shows the whole log from the step’s file on demand, page by page, beyond what live events and the replay kept', async () => {
    const file = new PagedFile(200_000);
    setApi(file.api);
    const s = useLogs.getState();
    s.replace('flood', 4, ['… 198,000 lines of fast output not shown live (all are in this step\'s log file)', 'line 199999', 'line 200000']);
    // The step's terminal offers the whole log until it is shown.
    expect(renderToString(<WholeLogAction stepId="flood" log={useLogs.getState().steps.flood} />)).toContain('Show the whole log');
    const progress: string[] = [];
    file.onPage = () => progress.push(renderToString(<WholeLogAction stepId="flood" log={useLogs.getState().steps.flood} />));
    expect(await s.loadWhole('flood')).toBeUndefined();
    // Every page once, in order, each from where the last one ended.
    expect(file.offsets).toEqual(Array.from({ length: 50 }, (_, i) => i * 4000));
    const log = useLogs.getState().steps.flood!;
    expect(log.lines).toEqual(file.lines);
    expect(log.whole).toMatchObject({ state: 'done', loaded: 200_000, totalLines: 200_000, path: '/logs/run/flood.log' });
    expect(progress[1]).toMatch(/Loading 4,000 of 200,000 lines…/);
    expect(progress[1]).toContain('Stop');
    // Later live batches append to it, untrimmed.
    expect(s.apply({ stepId: 'flood', seq: 5, lines: ['after'] })).toBe(true);
    expect(useLogs.getState().steps.flood!.lines).toHaveLength(200_001);
    const shown = renderToString(<WholeLogAction stepId="flood" log={useLogs.getState().steps.flood} />);
    expect(shown).toContain('The whole log, from its file (200,000 lines)');
    expect(shown).not.toContain('Show the whole log');
  });

  it('keeps the file’s order while a step still prints: live batches during the read are left to the file’s pages', async () => {
    const file = new PagedFile(12_000);
    setApi(file.api);
    const s = useLogs.getState();
    s.replace('flood', 4, ['line 11999', 'line 12000']);
    file.onPage = (offset) => {
      if (offset !== 4000) return;
      // The step prints on: the line reaches the file and, as a batch, the store.
      file.lines.push('line 12001');
      expect(s.apply({ stepId: 'flood', seq: 5, lines: ['line 12001'] })).toBe(true);
    };
    await s.loadWhole('flood');
    expect(useLogs.getState().steps.flood!.lines).toEqual(file.lines);
    expect(useLogs.getState().steps.flood!.seq).toBe(5);
    // A re-read of the replay buffer (after a missed batch) does not swap the whole log for it.
    s.replace('flood', 6, ['line 12001', 'line 12002']);
    expect(useLogs.getState().steps.flood!.lines).toHaveLength(12_001);
  });

  it('stops after the page in flight, keeps what it read, and goes on from there', async () => {
    const file = new PagedFile(20_000);
    setApi(file.api);
    const s = useLogs.getState();
    file.onPage = (offset) => { if (offset === 8000) s.stopWhole('flood'); };
    await s.loadWhole('flood');
    expect(useLogs.getState().steps.flood!.whole).toMatchObject({ state: 'stopped', loaded: 8000, next: 8000 });
    expect(useLogs.getState().steps.flood!.lines).toEqual(file.lines.slice(0, 8000));
    const stopped = renderToString(<WholeLogAction stepId="flood" log={useLogs.getState().steps.flood} />);
    expect(stopped).toContain('Stopped at 8,000 of 20,000 lines');
    expect(stopped).toContain('Load the rest');
    file.onPage = () => {};
    await s.loadWhole('flood');
    expect(file.offsets).toEqual([0, 4000, 8000, 8000, 12000, 16000]);
    expect(useLogs.getState().steps.flood!.lines).toEqual(file.lines);
    expect(useLogs.getState().steps.flood!.whole!.state).toBe('done');
  });

  it('says why when a page cannot be read, and offers to go on', async () => {
    setApi({ invoke: async () => ({ ok: false, error: { code: 'BAD_REQUEST', message: 'Refused: the journal names a log outside the logs folder (/etc/passwd).' } }) } as unknown as Api);
    expect(await useLogs.getState().loadWhole('flood')).toContain('Refused');
    const shown = renderToString(<WholeLogAction stepId="flood" log={useLogs.getState().steps.flood} />);
    expect(shown).toContain('role="alert"');
    expect(shown).toContain('Load the rest');
  });
});

/** A step's log file as step.logFile serves it, in pages of 4,000 lines (a "byte" per line here). */
class PagedFile {
  readonly lines: string[];
  readonly offsets: number[] = [];
  onPage: (offset: number) => void = () => {};
  constructor(n: number) {
    this.lines = Array.from({ length: n }, (_, i) => `line ${i + 1}`);
  }
  readonly api = {
    invoke: async (method: string, req: { stepId: string; offset?: number }) => {
      expect(method).toBe('step.logFile');
      const offset = req.offset ?? 0;
      this.offsets.push(offset);
      const lines = this.lines.slice(offset, offset + 4000);
      const value = { stepId: req.stepId, seq: 4, lines, offset, next: offset + lines.length, size: this.lines.length, ...(offset === 0 ? { totalLines: this.lines.length } : {}), path: '/logs/run/flood.log' };
      this.onPage(offset);
      return { ok: true, value };
    },
  } as unknown as Api;
}

describe('step log store across runs', () => {
  beforeEach(() => useLogs.setState({ runId: undefined, steps: {}, allLines: [], allIds: [], allEpoch: 0, allTotal: 0 }));

  it("a teardown's lines replace the install's: the \"All steps\" view shows one run", () => {
    const s = useLogs.getState();
    s.apply({ stepId: 'stack', seq: 1, lines: ['helmfile sync'], runId: 'run-1' });
    s.apply({ stepId: 'ready', seq: 1, lines: ['2/2 Ready'], runId: 'run-1' });
    // The engine's sequence for the step keeps counting across runs; the store reads the replay for the gap.
    expect(s.apply({ stepId: 'stack', seq: 2, lines: ['helmfile destroy'], runId: 'down-1' })).toBe(false);
    s.replace('stack', 2, ['helmfile destroy'], 'down-1');
    expect(useLogs.getState().allLines).toEqual(['helmfile destroy']);
    expect(Object.keys(useLogs.getState().steps)).toEqual(['stack']);
    // A resume of the same run appends.
    expect(s.apply({ stepId: 'stack', seq: 3, lines: ['Deleted namespace'], runId: 'down-1' })).toBe(true);
    expect(useLogs.getState().allLines).toEqual(['helmfile destroy', 'Deleted namespace']);
  });
});
