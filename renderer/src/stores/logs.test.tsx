import { beforeEach, describe, expect, it } from 'vitest';
import { useLogs } from './logs.js';

beforeEach(() => useLogs.setState({ steps: {}, all: [], allEpoch: 0 }));

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
    expect(useLogs.getState().steps.a).toEqual({ seq: 3, lines: ['x', 'y', 'z'], epoch: epoch + 1 });
  });

  it('keeps what it has when the engine restarts and its sequence starts again at 1', () => {
    const s = useLogs.getState();
    s.replace('a', 7, ['old']);
    expect(s.apply({ stepId: 'a', seq: 1, lines: ['new'] })).toBe(true);
    expect(useLogs.getState().steps.a!.lines).toEqual(['old', 'new']);
    expect(s.apply({ stepId: 'a', seq: 2, lines: ['next'] })).toBe(true);
  });
});
