import { describe, expect, it } from 'vitest';
import type { JournalDoc, JournalView } from '../../shared/api/engine.js';
import { quitDecision } from './quit-guard.js';

const PID = 4242;
const doc = (over: Partial<JournalDoc>): JournalDoc => ({
  version: 1, runId: 'r1', kind: 'up', status: 'running', pid: PID, startedAt: '2026-01-01T00:00:00Z', settings: {}, steps: [], ...over,
});
const view = (journal: JournalDoc | null, over: Partial<JournalView> = {}): JournalView => ({ journal, resumable: false, interrupted: false, ...over });

describe('quitting while a run is active', () => {
  it('quits at once when no run of this process is active', () => {
    expect(quitDecision(view(null), PID)).toEqual({ action: 'quit' });
    expect(quitDecision(view(doc({ status: 'succeeded' })), PID)).toEqual({ action: 'quit' });
    expect(quitDecision(view(doc({ status: 'failed' }), { resumable: true }), PID)).toEqual({ action: 'quit' });
    // Another process's run (the CLI) does not stop when the app quits.
    expect(quitDecision(view(doc({ pid: PID + 1 })), PID)).toEqual({ action: 'quit' });
    // A corrupt journal or a failed read: nothing is known to be running here.
    expect(quitDecision(undefined, PID)).toEqual({ action: 'quit' });
  });

  it('asks before stopping an install, and says it resumes next time', () => {
    const d = quitDecision(view(doc({})), PID);
    expect(d.action).toBe('ask');
    if (d.action !== 'ask') return;
    expect(d.prompt.message).toMatch(/install is running/i);
    expect(d.prompt.detail).toMatch(/resume/i);
    expect(d.prompt.buttons[d.prompt.quitButton]).toMatch(/quit/i);
    // Escape / closing the dialog keeps the app open.
    expect(d.prompt.cancelId).not.toBe(d.prompt.quitButton);
    expect(d.prompt.defaultId).toBe(d.prompt.cancelId);
  });

  it('asks before stopping a teardown, and says to run it again', () => {
    const d = quitDecision(view(doc({ kind: 'down' })), PID);
    expect(d.action).toBe('ask');
    if (d.action === 'ask') expect(d.prompt.detail).toMatch(/tear.*down again|run .*again/i);
  });
});
