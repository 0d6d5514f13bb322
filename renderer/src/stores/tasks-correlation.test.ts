// The renderer sends its own task id with every start (api/task-ids.ts), so events that outrun the
// engine's reply are matched as they come: a run that fails before plan.run answers still ends in the
// Install store, a pod's first log lines before pod.logs.start answers are shown, and a run started
// elsewhere (the CLI, another window) is recognised by its kind, not by parsing its id.
import { beforeEach, describe, expect, it } from 'vitest';
import { attachClusterEvents, useCluster } from './cluster.js';
import { fakeEngine, ok } from './fake-engine.testkit.js';
import { attachInstallEvents, useInstall } from './install.js';

const journal = { resumable: false, interrupted: false, journal: null };

beforeEach(() => {
  useInstall.setState({ active: undefined, outcome: undefined, progress: undefined, actionError: undefined });
  useCluster.setState({ log: undefined });
});

describe('runs by the renderer’s own task id', () => {
  it('a run that fails before plan.run answers still ends: outcome set, nothing left active', async () => {
    const e: ReturnType<typeof fakeEngine> = fakeEngine({
      'journal.get': () => ok(journal),
      'plan.run': (p) => {
        // The engine's final event comes first (a step failing at once), then the reply.
        e.emit('task.progress', { taskId: p.taskId, kind: 'plan', title: 'Install llm-d (r)', runId: 'run-1', state: 'failed', fraction: 1, message: 'boom', result: { kind: 'plan', runId: 'run-1', status: 'failed' } });
        return ok({ taskId: p.taskId, runId: 'run-1' });
      },
    });
    const off = attachInstallEvents(e.api);
    expect(await useInstall.getState().run()).toBe(true);
    expect(e.sent('plan.run').taskId).toMatch(/^ui-run-/);
    expect(useInstall.getState().active).toBeUndefined();
    expect(useInstall.getState().outcome).toEqual({ runId: 'run-1', kind: 'up', state: 'failed', message: 'boom' });
    off();
  });

  it('a refused start leaves nothing active and says why', async () => {
    const e = fakeEngine({ 'plan.teardown': () => ({ ok: false, error: { code: 'CONFLICT', message: 'A run is already in progress (run-9).', hint: 'Wait for it.' } }) });
    const off = attachInstallEvents(e.api);
    expect(await useInstall.getState().teardown({ stopCluster: false, deleteCluster: false, stopMachine: false })).toBe(false);
    expect(useInstall.getState().active).toBeUndefined();
    expect(useInstall.getState().actionError).toBe('A run is already in progress (run-9). Wait for it.');
    off();
  });

  it('adopts a run started elsewhere by its kind and run id, whatever its id looks like', () => {
    const e = fakeEngine({ 'journal.get': () => ok(journal) });
    const off = attachInstallEvents(e.api);
    e.emit('task.progress', { taskId: 'cli-7f0c2a3e-0000-4000-8000-000000000000', kind: 'teardown', title: 'Teardown (llm-d)', runId: 'down-1', state: 'running', fraction: 0.1 });
    expect(useInstall.getState().active).toEqual({ taskId: 'cli-7f0c2a3e-0000-4000-8000-000000000000', runId: 'down-1', kind: 'down' });
    // A chat reply's task is not a run.
    useInstall.setState({ active: undefined });
    e.emit('task.progress', { taskId: 'plan-lookalike', kind: 'chat', title: 'Chat with m', state: 'running' });
    expect(useInstall.getState().active).toBeUndefined();
    off();
  });
});

describe('pod logs by the renderer’s own stream id', () => {
  it('shows lines that arrive before pod.logs.start answers', async () => {
    const e: ReturnType<typeof fakeEngine> = fakeEngine({
      'pod.logs.start': (p) => {
        e.emit('pod.log', { streamId: p.streamId, lines: ['first line', 'second line'] });
        return ok({ streamId: p.streamId });
      },
    });
    const off = attachClusterEvents(e.api);
    await useCluster.getState().followLog({ namespace: 'llm-d', pod: 'decode-0', container: 'vllm' }, true);
    expect(useCluster.getState().log).toMatchObject({ streamId: e.sent('pod.logs.start').streamId, lines: ['first line', 'second line'], ended: false });
    off();
  });

  it('closes a stream stopped while it opened', async () => {
    let answer: (v: unknown) => void = () => {};
    const e = fakeEngine({ 'pod.logs.start': (p) => new Promise((r) => (answer = () => r(ok({ streamId: p.streamId })))), 'pod.logs.stop': () => ok({ stopped: true }) });
    const off = attachClusterEvents(e.api);
    const opening = useCluster.getState().followLog({ namespace: 'llm-d', pod: 'decode-0', container: 'vllm' }, true);
    await Promise.resolve();
    await useCluster.getState().stopLog();
    answer(undefined);
    await opening;
    expect(e.calls.filter((c) => c.method === 'pod.logs.stop').map((c) => c.payload.streamId)).toContain(e.sent('pod.logs.start').streamId);
    off();
  });
});

describe('a task’s end read from its typed result', () => {
  it('a run whose progress this window never saw ends with the run id and failed step its result names', async () => {
    const e: ReturnType<typeof fakeEngine> = fakeEngine({
      'journal.get': () => ok(journal),
      'plan.run': (p) => {
        // Only the start and the final event: the run ended before any plan.progress reached this window.
        e.emit('task.progress', { taskId: p.taskId, kind: 'plan', title: 'Install llm-d (r)', state: 'running' });
        e.emit('task.progress', { taskId: p.taskId, kind: 'plan', title: 'Install llm-d (r)', state: 'failed', fraction: 1, message: 'helmfile sync failed', result: { kind: 'plan', runId: 'run-7', status: 'failed', failedStep: 'stack' } });
        return ok({ taskId: p.taskId, runId: 'run-7' });
      },
    });
    const off = attachInstallEvents(e.api);
    await useInstall.getState().run();
    expect(useInstall.getState().outcome).toEqual({ runId: 'run-7', kind: 'up', state: 'failed', message: 'helmfile sync failed', failedStep: 'stack' });
    off();
  });

  it('podman put in place by the package manager (no download, no done phase) is marked installed just now from the result', async () => {
    const { installedJustNow } = await import('./prereqs.js');
    expect(installedJustNow('podman', { progress: { podman: { phase: 'admin', message: 'Asking for administrator rights' } }, installed: ['podman'] })).toBe(true);
    expect(installedJustNow('podman', { progress: { podman: { phase: 'admin' } } })).toBe(false);
  });

  it('a prerequisite install that succeeded says which tools it installed; the next install starts without them', async () => {
    const { usePrereqs, attachPrereqEvents, installedJustNow } = await import('./prereqs.js');
    usePrereqs.setState({ task: undefined, installError: undefined, installed: undefined, progress: {} });
    const e: ReturnType<typeof fakeEngine> = fakeEngine({
      'prereqs.check': () => ({ ok: false, error: { code: 'INTERNAL', message: 'not here' } }),
      'step.logs': () => ok({ stepId: 'prerequisites', seq: 0, lines: [] }),
      'prereqs.install': (p) => {
        e.emit('task.progress', { taskId: p.taskId, kind: 'prereqs', title: 'Install the missing prerequisites', state: 'succeeded', fraction: 1, result: { kind: 'prereqs', installed: ['helm', 'helmfile'], ok: true } });
        return ok({ taskId: p.taskId });
      },
    });
    const off = attachPrereqEvents(e.api);
    await usePrereqs.getState().install();
    expect(usePrereqs.getState()).toMatchObject({ task: undefined, installError: undefined, installed: ['helm', 'helmfile'] });
    expect(installedJustNow('helm', usePrereqs.getState())).toBe(true);
    expect(installedJustNow('kubectl', usePrereqs.getState())).toBe(false);
    e.emit('task.progress', { taskId: 'cli-install-00000002', kind: 'prereqs', title: 'Install prerequisite: kubectl', state: 'running' });
    expect(usePrereqs.getState().installed).toBeUndefined();
    off();
  });
});

describe('prerequisite installs by the renderer’s own task id', () => {
  it('takes only its own install’s progress, ends on a failure that outran the reply, and follows one started elsewhere', async () => {
    const { usePrereqs, attachPrereqEvents } = await import('./prereqs.js');
    usePrereqs.setState({ task: undefined, installError: undefined, progress: {} });
    const e: ReturnType<typeof fakeEngine> = fakeEngine({
      'prereqs.check': () => ({ ok: false, error: { code: 'INTERNAL', message: 'not here' } }),
      'step.logs': () => ok({ stepId: 'prerequisites', seq: 0, lines: [] }),
      'prereqs.install': (p) => {
        e.emit('prereqs.progress', { taskId: 'someone-elses-install', tool: 'helm', phase: 'download' });
        e.emit('prereqs.progress', { taskId: p.taskId, tool: 'kubectl', phase: 'download', bytes: 10, totalBytes: 100 });
        e.emit('task.progress', { taskId: p.taskId, kind: 'prereqs', title: 'Install the missing prerequisites', state: 'failed', message: 'checksum mismatch', result: { kind: 'prereqs', installed: [] } });
        return ok({ taskId: p.taskId });
      },
    });
    const off = attachPrereqEvents(e.api);
    await usePrereqs.getState().install();
    expect(e.sent('prereqs.install').taskId).toMatch(/^ui-prereqs-/);
    expect(Object.keys(usePrereqs.getState().progress)).toEqual(['kubectl']);
    expect(usePrereqs.getState().task).toBeUndefined();
    expect(usePrereqs.getState().installError).toBe('checksum mismatch');
    e.emit('task.progress', { taskId: 'cli-install-00000001', kind: 'prereqs', title: 'Install the missing prerequisites', state: 'running', fraction: 0 });
    expect(usePrereqs.getState().task).toEqual({ taskId: 'cli-install-00000001' });
    off();
  });
});
