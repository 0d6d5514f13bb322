import { describe, expect, it } from 'vitest';
import { humanDuration, podSummary, toTable } from './table.js';
import type { KubeObject } from './types.js';

const pod = (status: Record<string, unknown>, extra: Partial<KubeObject['metadata']> = {}, initContainers = 0): KubeObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', ...extra },
  spec: { containers: [{ name: 'a' }, { name: 'b' }], ...(initContainers > 0 ? { initContainers: Array.from({ length: initContainers }, (_, i) => ({ name: `i${i}` })) } : {}) },
  status,
});
const running = { running: { startedAt: '2025-01-01T00:00:00Z' } };

describe('podSummary (kubectl printPod rules)', () => {
  it('counts ready containers and sums restarts', () => {
    expect(podSummary(pod({ phase: 'Running', containerStatuses: [
      { name: 'a', ready: true, restartCount: 1, state: running }, { name: 'b', ready: true, restartCount: 2, state: running }] })))
      .toEqual({ ready: '2/2', status: 'Running', restarts: 3 });
  });

  it('shows waiting and terminated reasons', () => {
    expect(podSummary(pod({ phase: 'Pending', containerStatuses: [
      { name: 'a', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }] })).status).toBe('ContainerCreating');
    expect(podSummary(pod({ phase: 'Running', containerStatuses: [
      { name: 'a', ready: false, restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } } },
      { name: 'b', ready: true, restartCount: 0, state: running }] }))).toEqual({ ready: '1/2', status: 'CrashLoopBackOff', restarts: 4 });
    expect(podSummary(pod({ phase: 'Running', containerStatuses: [
      { name: 'a', ready: false, restartCount: 1, state: { terminated: { reason: 'OOMKilled', exitCode: 137 } } }] })).status).toBe('OOMKilled');
    expect(podSummary(pod({ phase: 'Running', containerStatuses: [
      { name: 'a', ready: false, restartCount: 0, state: { terminated: { exitCode: 2 } } }] })).status).toBe('ExitCode:2');
  });

  it('shows init progress and Terminating', () => {
    expect(podSummary(pod({ phase: 'Pending', initContainerStatuses: [
      { name: 'i0', restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
      { name: 'i1', restartCount: 0, state: { running: {} } }] }, {}, 2)).status).toBe('Init:1/2');
    expect(podSummary(pod({ phase: 'Pending', initContainerStatuses: [
      { name: 'i0', restartCount: 0, state: { terminated: { exitCode: 1, reason: 'Error' } } }] }, {}, 1)).status).toBe('Init:Error');
    expect(podSummary(pod({ phase: 'Running' }, { deletionTimestamp: '2025-01-01T00:00:00Z' })).status).toBe('Terminating');
  });
});

describe('humanDuration', () => {
  it('formats ages like kubectl', () => {
    expect(humanDuration(5_000)).toBe('5s');
    expect(humanDuration(119_000)).toBe('119s');
    expect(humanDuration(150_000)).toBe('2m30s');
    expect(humanDuration(600_000)).toBe('10m');
    expect(humanDuration(3 * 3600_000 + 5 * 60_000)).toBe('3h5m');
    expect(humanDuration(30 * 3600_000)).toBe('30h');
    expect(humanDuration(3 * 86400_000 + 3600_000)).toBe('3d1h');
    expect(humanDuration(100 * 86400_000)).toBe('100d');
  });
});

describe('toTable', () => {
  it('builds a meta.k8s.io/v1 Table with the requested row objects', () => {
    const p = pod({ phase: 'Pending' }, { creationTimestamp: '2025-01-01T00:00:00Z' });
    const now = new Date('2025-01-01T00:00:42Z');
    const partial = toTable('Pod', [p], { include: 'PartialObjectMetadata', resourceVersion: '7', now });
    expect(partial).toMatchObject({ kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: { resourceVersion: '7' } });
    const rows = partial['rows'] as Array<{ cells: unknown[]; object: { kind: string } }>;
    expect(rows[0]?.cells.slice(0, 5)).toEqual(['p', '0/2', 'Pending', '0', '42s']);
    expect(rows[0]?.object.kind).toBe('PartialObjectMetadata');
    expect((toTable('Pod', [p], { include: 'Object', now })['rows'] as Array<{ object: unknown }>)[0]?.object).toEqual(p);
    expect((toTable('Pod', [p], { include: 'None', now })['rows'] as Array<Record<string, unknown>>)[0]?.['object']).toBeUndefined();
    const cols = (toTable('Widget', [], { include: 'None', now })['columnDefinitions'] as Array<{ name: string }>).map((c) => c.name);
    expect(cols).toEqual(['Name', 'Age']);
  });
});
