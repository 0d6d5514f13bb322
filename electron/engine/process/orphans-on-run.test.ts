// The run service's side of process-groups.ts: a run first stops the groups a dead run left, and every tool a
// step runs through ctx.run is recorded while it runs.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { appPaths } from '../paths.js';
import type { Step } from '../plan/step.js';
import { testServices } from '../services.testkit.js';
import { runWithLines } from '../steps/tool-lines.js';
import { groupAlive, groupsFileFor } from './process-groups.js';

const dirs: string[] = [];
const leftovers: number[] = [];
afterEach(() => {
  for (const pgid of leftovers.splice(0)) { try { process.kill(-pgid, 'SIGKILL'); } catch { /* gone */ } }
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('a run and the process groups of a dead one', () => {
  it('stops the dead run’s tool before any step runs, and records its own tools while they run', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'orphans-'));
    dirs.push(home);
    const paths = appPaths(home);
    const file = groupsFileFor(paths.runDir);
    // What a `kill -9`ed CLI leaves: its helmfile's group running, owned by a process that is gone.
    const orphan = spawn('sleep', ['300'], { detached: true, stdio: 'ignore' });
    orphan.unref();
    leftovers.push(orphan.pid!);
    const dead = spawn(process.execPath, ['-e', '0']);
    await new Promise((r) => dead.once('exit', r));
    fs.mkdirSync(paths.runDir, { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ version: 1, groups: [{ pgid: orphan.pid, leaderStart: null, owner: { pid: dead.pid, startTime: null }, command: 'helmfile sync', startedAt: new Date().toISOString() }] }));

    let orphanAliveAtStep: boolean | undefined;
    let ledgerDuringTool = '';
    const step: Step = {
      id: 'stack', title: 'Stack', needs: [], describe: () => ({ commands: [] }), detect: async () => ({ state: 'todo' }),
      run: async (ctx) => {
        orphanAliveAtStep = groupAlive(orphan.pid!);
        const res = await ctx.run(process.execPath, ['-e', `process.stdout.write(require('node:fs').readFileSync(${JSON.stringify(file)}, 'utf8'))`], { quiet: true });
        ledgerDuringTool = res.stdout;
      },
    };
    const services = testServices({ home, steps: [step] });
    const run = await services.runs.startUp('fresh');
    expect((await run.result).status).toBe('succeeded');
    await services.dispose();

    expect(orphanAliveAtStep).toBe(false);
    const during = JSON.parse(ledgerDuringTool) as { groups: Array<{ owner: { pid: number }; command: string }> };
    expect(during.groups).toEqual([expect.objectContaining({ owner: expect.objectContaining({ pid: process.pid }), command: expect.stringContaining('-e') })]);
    expect((JSON.parse(fs.readFileSync(file, 'utf8')) as { groups: unknown[] }).groups).toEqual([]);
  }, 30_000);

  it('a tool whose lines the step reads itself (minikube start, through runWithLines) is recorded too', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'orphans-'));
    dirs.push(home);
    const file = groupsFileFor(appPaths(home).runDir);
    const lines: string[] = [];
    // The tool prints the ledger as it stands while it runs: its own group must be in it, as for ctx.run,
    // or a `kill -9`ed run's `minikube start` would be left running beside the resumed run's.
    const step: Step = {
      id: 'minikube-start', title: 'Cluster', needs: [], describe: () => ({ commands: [] }), detect: async () => ({ state: 'todo' }),
      run: async (ctx) => {
        await runWithLines(ctx, process.execPath, ['-e', `process.stdout.write(require('node:fs').readFileSync(${JSON.stringify(file)}, 'utf8'))`], (l) => lines.push(l));
      },
    };
    const services = testServices({ home, steps: [step] });
    const run = await services.runs.startUp('fresh');
    expect((await run.result).status).toBe('succeeded');
    await services.dispose();

    const during = JSON.parse(lines.join('\n')) as { groups: Array<{ owner: { pid: number }; command: string }> };
    expect(during.groups).toEqual([expect.objectContaining({ owner: expect.objectContaining({ pid: process.pid }), command: expect.stringContaining('-e') })]);
    expect((JSON.parse(fs.readFileSync(file, 'utf8')) as { groups: unknown[] }).groups).toEqual([]);
  }, 30_000);
});
