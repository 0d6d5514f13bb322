import { describe, expect, it } from 'vitest';
import { podStatus, shortAge, type PodLike } from './pod-status.js';

// A decode pod as the modelservice chart renders it: routing-proxy as a native sidecar + vllm.
const decodePod = (status: NonNullable<PodLike['status']>, extra: Partial<PodLike> = {}): PodLike => ({
  metadata: { name: 'ms-cpu-inference-llm-d-modelservice-decode-abc' },
  spec: { initContainers: [{ name: 'routing-proxy', restartPolicy: 'Always' }], containers: [{ name: 'vllm' }] },
  status,
  ...extra,
});

describe('podStatus (kubectl printPod)', () => {
  it('shows a pending pod as Pending 0/2, counting the native sidecar', () => {
    const s = podStatus(decodePod({ phase: 'Pending' }));
    expect(s).toMatchObject({ readyText: '0/2', status: 'Pending', restarts: 0, podReady: false });
  });

  it('shows ContainerCreating while images pull', () => {
    const s = podStatus(decodePod({
      phase: 'Pending',
      initContainerStatuses: [{ name: 'routing-proxy', started: false, ready: false, state: { waiting: { reason: 'PodInitializing' } } }],
      containerStatuses: [{ name: 'vllm', ready: false, state: { waiting: { reason: 'ContainerCreating' } } }],
    }));
    // kubectl shows Init:0/1 while the only init container (the sidecar) has not started.
    expect(s.status).toBe('Init:0/1');
  });

  it('shows Running 1/2 while vLLM is still starting behind a started sidecar', () => {
    const s = podStatus(decodePod({
      phase: 'Running',
      conditions: [{ type: 'Initialized', status: 'True' }, { type: 'Ready', status: 'False' }],
      initContainerStatuses: [{ name: 'routing-proxy', started: true, ready: true, state: { running: {} } }],
      containerStatuses: [{ name: 'vllm', ready: false, started: true, state: { running: {} } }],
    }));
    expect(s).toMatchObject({ readyText: '1/2', status: 'Running', podReady: false });
  });

  it('shows Ready 2/2 when both containers are ready', () => {
    const s = podStatus(decodePod({
      phase: 'Running',
      conditions: [{ type: 'Initialized', status: 'True' }, { type: 'Ready', status: 'True' }],
      initContainerStatuses: [{ name: 'routing-proxy', started: true, ready: true, state: { running: {} } }],
      containerStatuses: [{ name: 'vllm', ready: true, started: true, state: { running: {} } }],
    }));
    expect(s).toMatchObject({ readyText: '2/2', status: 'Running', podReady: true });
  });

  it('reports CrashLoopBackOff with restarts and remembers the OOMKilled cause', () => {
    const s = podStatus(decodePod({
      phase: 'Running',
      conditions: [{ type: 'Initialized', status: 'True' }],
      initContainerStatuses: [{ name: 'routing-proxy', started: true, ready: true, state: { running: {} } }],
      containerStatuses: [{
        name: 'vllm', ready: false, restartCount: 3,
        state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s restarting failed container' } },
        lastState: { terminated: { reason: 'OOMKilled', exitCode: 137, finishedAt: '2026-01-01T00:00:00Z' } },
      }],
    }));
    expect(s).toMatchObject({ readyText: '1/2', status: 'CrashLoopBackOff', restarts: 3, lastTerminationReason: 'OOMKilled', lastRestartAt: '2026-01-01T00:00:00Z' });
    expect(s.message).toContain('back-off');
  });

  it('shows OOMKilled when the container is terminated with that reason', () => {
    const s = podStatus({ spec: { containers: [{ name: 'c' }] }, status: { phase: 'Running', containerStatuses: [{ name: 'c', state: { terminated: { reason: 'OOMKilled', exitCode: 137 } } }] } });
    expect(s.status).toBe('OOMKilled');
  });

  it('shows ImagePullBackOff from a waiting container', () => {
    const s = podStatus({ spec: { containers: [{ name: 'epp' }] }, status: { phase: 'Pending', containerStatuses: [{ name: 'epp', state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image' } } }] } });
    expect(s).toMatchObject({ status: 'ImagePullBackOff', readyText: '0/1', message: 'Back-off pulling image' });
  });

  it('shows a failing classic init container as Init:Error / Init:ExitCode', () => {
    const base = { spec: { initContainers: [{ name: 'init' }], containers: [{ name: 'c' }] } };
    expect(podStatus({ ...base, status: { phase: 'Pending', initContainerStatuses: [{ name: 'init', state: { terminated: { reason: 'Error', exitCode: 1 } } }] } }).status).toBe('Init:Error');
    expect(podStatus({ ...base, status: { phase: 'Pending', initContainerStatuses: [{ name: 'init', state: { terminated: { exitCode: 2 } } }] } }).status).toBe('Init:ExitCode:2');
  });

  it('shows Terminating once the pod has a deletion timestamp', () => {
    expect(podStatus({ metadata: { deletionTimestamp: '2026-01-01T00:00:00Z' }, spec: { containers: [{ name: 'c' }] }, status: { phase: 'Running' } }).status).toBe('Terminating');
  });

  it('shows the status reason (e.g. Evicted) over the phase', () => {
    expect(podStatus({ spec: { containers: [{ name: 'c' }] }, status: { phase: 'Failed', reason: 'Evicted' } }).status).toBe('Evicted');
  });
});

describe('shortAge', () => {
  const now = new Date('2026-01-02T00:00:00Z');
  const ago = (s: number) => new Date(now.getTime() - s * 1000);
  it('formats like kubectl', () => {
    expect(shortAge(ago(45), now)).toBe('45s');
    expect(shortAge(ago(5 * 60 + 3), now)).toBe('5m3s');
    expect(shortAge(ago(42 * 60), now)).toBe('42m');
    expect(shortAge(ago(2 * 3600 + 5 * 60), now)).toBe('125m');
    expect(shortAge(ago(5 * 3600 + 5 * 60), now)).toBe('5h5m');
    expect(shortAge(ago(30 * 3600), now)).toBe('30h');
    expect(shortAge(ago(3 * 86400), now)).toBe('3d');
    expect(shortAge(undefined, now)).toBe('<unknown>');
  });
});
