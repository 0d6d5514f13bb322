import { beforeEach, describe, expect, it } from 'vitest';
import { renderToString } from 'react-dom/server';
import type { Api } from '../api/client.js';
import { setApi } from '../api/index.js';
import { WholeLogAction } from '../components/run/RunLogs.js';
import { STEP_LIMIT, useLogs } from './logs.js';

beforeEach(() => useLogs.setState({ runId: undefined, steps: {}, all: [], allEpoch: 0, allTotal: 0 }));

describe('step log store', () => {
  it('appends batches in order and keeps the arrival order across steps for the combined view', () => {
    const s = useLogs.getState();
    expect(s.apply({ stepId: 'a', seq: 1, lines: ['a1'] })).toBe(true);
    expect(s.apply({ stepId: 'b', seq: 1, lines: ['b1'] })).toBe(true);
    expect(s.apply({ stepId: 'a', seq: 2, lines: ['a2', 'a3'] })).toBe(true);
    expect(useLogs.getState().steps.a!.lines).toEqual(['a1', 'a2', 'a3']);
    expect(useLogs.getState().all.map((l) => l.line)).toEqual(['a1', 'b1', 'a2', 'a3']);
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
    expect(log.lines).toHaveLength(STEP_LIMIT);
    expect(log.lines.at(-1)).toBe('10:4999');
    expect(log.total).toBe(50_000);
    expect(log.epoch).toBe(0); // trimmed, not replaced: the terminal does not redraw
    expect(useLogs.getState().allTotal).toBe(50_000);
    expect(useLogs.getState().allEpoch).toBe(0);
  });

  it('shows the whole log from the step’s file on demand, beyond what live events and the replay kept, and keeps it whole', async () => {
    const fileLines = Array.from({ length: 200_000 }, (_, i) => `line ${i + 1}`);
    const calls: string[] = [];
    const fake = {
      invoke: async (method: string, req: { stepId: string }) => {
        calls.push(`${method} ${req.stepId}`);
        return { ok: true, value: { stepId: req.stepId, seq: 4, lines: fileLines, omittedLines: 0, path: '/logs/run/flood.log' } };
      },
    } as unknown as Api;
    setApi(fake);
    const s = useLogs.getState();
    s.replace('flood', 4, ['… 198,000 lines of fast output not shown live (all are in this step\'s log file)', 'line 199999', 'line 200000']);
    // The step's terminal offers the whole log until it is shown.
    expect(renderToString(<WholeLogAction stepId="flood" log={useLogs.getState().steps.flood} />)).toContain('Show the whole log');
    expect(await s.loadWhole('flood')).toBeUndefined();
    expect(calls).toEqual(['step.logFile flood']);
    const log = useLogs.getState().steps.flood!;
    expect(log.lines).toHaveLength(200_000);
    expect(log.lines[0]).toBe('line 1');
    expect(log.whole).toEqual({ omittedLines: 0, path: '/logs/run/flood.log' });
    // Later live batches append to it, untrimmed.
    expect(s.apply({ stepId: 'flood', seq: 5, lines: ['after'] })).toBe(true);
    expect(useLogs.getState().steps.flood!.lines).toHaveLength(200_001);
    const shown = renderToString(<WholeLogAction stepId="flood" log={useLogs.getState().steps.flood} />);
    expect(shown).toContain('The whole log, from its file');
    expect(shown).not.toContain('Show the whole log');
  });
});

describe('step log store across runs', () => {
  beforeEach(() => useLogs.setState({ runId: undefined, steps: {}, all: [], allEpoch: 0, allTotal: 0 }));

  it("a teardown's lines replace the install's: the \"All steps\" view shows one run", () => {
    const s = useLogs.getState();
    s.apply({ stepId: 'stack', seq: 1, lines: ['helmfile sync'], runId: 'run-1' });
    s.apply({ stepId: 'ready', seq: 1, lines: ['2/2 Ready'], runId: 'run-1' });
    // The engine's sequence for the step keeps counting across runs; the store reads the replay for the gap.
    expect(s.apply({ stepId: 'stack', seq: 2, lines: ['helmfile destroy'], runId: 'down-1' })).toBe(false);
    s.replace('stack', 2, ['helmfile destroy'], 'down-1');
    expect(useLogs.getState().all.map((l) => l.line)).toEqual(['helmfile destroy']);
    expect(Object.keys(useLogs.getState().steps)).toEqual(['stack']);
    // A resume of the same run appends.
    expect(s.apply({ stepId: 'stack', seq: 3, lines: ['Deleted namespace'], runId: 'down-1' })).toBe(true);
    expect(useLogs.getState().all.map((l) => l.line)).toEqual(['helmfile destroy', 'Deleted namespace']);
  });
});
