// Whether a `running` journal's run is still going is decided by its process's identity, not its pid alone:
// after a crash the OS may give the pid to an unrelated process, and the dead run must still be offered to resume.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { JournalDoc } from '../../../shared/api/engine.js';
import { appPaths } from '../paths.js';
import { processStartTime } from '../process/process-identity.js';
import { testServices } from '../services.testkit.js';
import { Journal } from './journal.js';
import type { Step } from './step.js';

const dirs: string[] = [];
const children: ChildProcess[] = [];
const tmp = () => { const d = fs.mkdtempSync(path.join(os.tmpdir(), 'journal-')); dirs.push(d); return d; };
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A live process that is not this one: what an unrelated program holding a dead run's old pid looks like. */
async function otherProcess(): Promise<{ pid: number; startTime: string }> {
  const child = spawn('sleep', ['300'], { stdio: 'ignore' });
  children.push(child);
  const startTime = await processStartTime(child.pid!);
  if (!startTime) throw new Error('this OS did not report the start time of a live process');
  return { pid: child.pid!, startTime };
}

const running = (pid: number, pidStartTime?: string | null): JournalDoc => ({
  version: 1, runId: 'run-1', kind: 'up', status: 'running', pid, ...(pidStartTime !== undefined ? { pidStartTime } : {}),
  startedAt: new Date().toISOString(), settings: {}, steps: [],
});

describe('a running journal and the process it names', () => {
  it('a live pid with another start time is not the run: interrupted and resumable', async () => {
    const other = await otherProcess();
    const j = new Journal(path.join(tmp(), 'journal.json'));
    j.write(running(other.pid, `${other.startTime}0`));
    expect(await j.view()).toMatchObject({ interrupted: true, resumable: true });
  });

  it('the same pid and start time is the run, still going: neither interrupted nor resumable', async () => {
    const other = await otherProcess();
    const j = new Journal(path.join(tmp(), 'journal.json'));
    j.write(running(other.pid, other.startTime));
    expect(await j.view()).toMatchObject({ interrupted: false, resumable: false });
    // A journal without a start time (written before it was recorded, or the OS would not say) falls back to the pid.
    j.write(running(other.pid, null));
    expect(await j.view()).toMatchObject({ interrupted: false, resumable: false });
    j.write(running(other.pid));
    expect(await j.view()).toMatchObject({ interrupted: false, resumable: false });
  });

  it('a run writes its process start time beside its pid', async () => {
    const home = tmp();
    let during: JournalDoc | null = null;
    const step: Step = {
      id: 'a', title: 'A', needs: [], describe: () => ({ commands: [] }), detect: async () => ({ state: 'todo' }),
      run: async () => { during = new Journal(appPaths(home).journalFile).read(); },
    };
    const services = testServices({ home, steps: [step] });
    const run = await services.runs.startUp('fresh');
    expect((await run.result).status).toBe('succeeded');
    await services.dispose();
    expect(during).toMatchObject({ status: 'running', pid: process.pid, pidStartTime: (await processStartTime(process.pid)) ?? null });
  });
});
