// Real process groups on this machine: a "CLI" process runs a tool through runProcess with a ledger, is
// killed with SIGKILL (as issue #14 did), and its tool's group — leader and grandchild — keeps running
// until the next run stops it.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pidAlive } from '../plan/journal.js';
import { processStartTime } from '../plan/run-lock.js';
import { groupAlive, groupsFileFor, ProcessGroupLedger, stopOrphanedGroups, type GroupEntry } from './process-groups.js';
import { runProcess } from './runner.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const dirs: string[] = [];
const leftovers: number[] = [];
const tmp = () => { const d = fs.mkdtempSync(path.join(os.tmpdir(), 'pgroups-')); dirs.push(d); return d; };
afterEach(() => {
  for (const pgid of leftovers.splice(0)) { try { process.kill(-pgid, 'SIGKILL'); } catch { /* gone */ } }
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

async function until<T>(get: () => T | undefined, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = get();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}
const entries = (file: string): GroupEntry[] => {
  try { return (JSON.parse(fs.readFileSync(file, 'utf8')) as { groups: GroupEntry[] }).groups; } catch { return []; }
};
const exited = (child: ChildProcess) => new Promise<void>((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', () => r())));

/** A process that has already exited: its pid stands for a dead owner. */
async function deadPid(): Promise<number> {
  const c = spawn(process.execPath, ['-e', '0']);
  await exited(c);
  return c.pid!;
}

/** A detached `sleep` group, as the runner starts tools. */
function sleeper(): number {
  const c = spawn('sleep', ['300'], { detached: true, stdio: 'ignore' });
  c.unref();
  leftovers.push(c.pid!);
  return c.pid!;
}

describe('process groups of a killed run', () => {
  it('records the group a tool runs in, and stops it (leader and grandchild) after the CLI is killed with SIGKILL', async () => {
    const dir = tmp();
    const file = groupsFileFor(dir);
    const grandchildFile = path.join(dir, 'grandchild.pid');
    // The tool: a node process (like helmfile) that starts a child (like helm) and waits.
    const tool = `const c = require('node:child_process').spawn('sleep', ['300'], { stdio: 'ignore' }); require('node:fs').writeFileSync(${JSON.stringify(grandchildFile)}, String(c.pid)); setInterval(() => {}, 1000);`;
    const script = path.join(dir, 'cli.mts');
    fs.writeFileSync(script, [
      `import { runProcess } from ${JSON.stringify(path.join(ROOT, 'electron/engine/process/runner.ts'))};`,
      `import { ProcessGroupLedger } from ${JSON.stringify(path.join(ROOT, 'electron/engine/process/process-groups.ts'))};`,
      `await runProcess(process.execPath, ['-e', ${JSON.stringify(tool)}], { groups: new ProcessGroupLedger(${JSON.stringify(file)}) });`,
    ].join('\n'));
    const cli = spawn(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, stdio: 'ignore' });
    const recorded = await until(() => entries(file)[0]);
    leftovers.push(recorded.pgid);
    const grandchild = await until(() => (fs.existsSync(grandchildFile) ? Number(fs.readFileSync(grandchildFile, 'utf8')) : undefined));
    expect(recorded).toMatchObject({ owner: { pid: cli.pid }, command: expect.stringContaining('-e') });

    cli.kill('SIGKILL');
    await exited(cli);
    // What issue #14 saw: the tool's group outlives the CLI.
    expect(groupAlive(recorded.pgid)).toBe(true);
    expect(pidAlive(grandchild)).toBe(true);

    const outcomes = await stopOrphanedGroups(file, { graceMs: 2000 });
    expect(outcomes).toEqual([{ pgid: recorded.pgid, command: recorded.command, outcome: 'stopped' }]);
    expect(groupAlive(recorded.pgid)).toBe(false);
    await until(() => (pidAlive(grandchild) ? undefined : true), 5000);
    expect(entries(file)).toEqual([]);
  }, 60_000);

  it('forgets a tool once it exits normally', async () => {
    const file = groupsFileFor(tmp());
    const ledger = new ProcessGroupLedger(file);
    let seen: GroupEntry[] = [];
    await runProcess(process.execPath, ['-e', 'setTimeout(() => {}, 300)'], { groups: { record: async (pgid, c) => { await ledger.record(pgid, c); seen = entries(file); }, forget: (pgid) => ledger.forget(pgid) } });
    expect(seen).toHaveLength(1);
    expect(entries(file)).toEqual([]);
  });

  it('leaves groups of a live owner alone', async () => {
    const file = groupsFileFor(tmp());
    const pgid = sleeper();
    await new ProcessGroupLedger(file).record(pgid, 'sleep 300');
    expect(await stopOrphanedGroups(file, { graceMs: 200 })).toEqual([]);
    expect(groupAlive(pgid)).toBe(true);
    expect(entries(file)).toHaveLength(1);
  });

  it('leaves alone a group whose leader pid was reused by an unrelated process (start time differs)', async () => {
    const file = groupsFileFor(tmp());
    const pgid = sleeper();
    const owner = await deadPid();
    fs.writeFileSync(file, JSON.stringify({ version: 1, groups: [{ pgid, leaderStart: 'another-process', owner: { pid: owner, startTime: null }, command: 'helmfile sync', startedAt: new Date().toISOString() }] }));
    expect(await stopOrphanedGroups(file, { graceMs: 200 })).toEqual([{ pgid, command: 'helmfile sync', outcome: 'reused' }]);
    expect(groupAlive(pgid)).toBe(true);
    expect(entries(file)).toEqual([]);
  });

  it('uses SIGKILL on a group that ignores SIGTERM', async () => {
    const file = groupsFileFor(tmp());
    const c = spawn(process.execPath, ['-e', "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)"], { detached: true, stdio: 'ignore' });
    c.unref();
    leftovers.push(c.pid!);
    await new Promise((r) => setTimeout(r, 300));
    const leaderStart = (await processStartTime(c.pid!)) ?? null;
    fs.writeFileSync(file, JSON.stringify({ version: 1, groups: [{ pgid: c.pid, leaderStart, owner: { pid: await deadPid(), startTime: null }, command: 'stubborn', startedAt: new Date().toISOString() }] }));
    expect(await stopOrphanedGroups(file, { graceMs: 300 })).toEqual([{ pgid: c.pid, command: 'stubborn', outcome: 'killed' }]);
    expect(groupAlive(c.pid!)).toBe(false);
  });
});
