// Teardown stops every forwarder we started, whether or not a state file still names it (issue #14): one
// whose state file was deleted, one whose state file another write replaced, and one whose starter died
// between spawning it and recording it. Real forwarder processes against the simulated API server.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORWARD_NS, startForwardWorld, type ForwardWorld } from './forward-world.testkit.js';
import { appPaths } from '../paths.js';
import { pidAlive } from '../process/process-identity.js';
import { testServices } from '../services.testkit.js';
import { access } from '../steps/access.js';
import { readForwardState, stateFileFor, writeForwardState } from './forward-state.js';
import { readForwarderRecords, recordForwarder, recordsDirFor, stopRecordedForwarders } from './forwarder-records.js';
import { ensureForward, nodeLauncher, type ForwardSpec } from './forwards.js';
import { closeForward } from './access.js';

let dir: string;
let env: NodeJS.ProcessEnv;
const started: number[] = [];
const NS = FORWARD_NS;

let world: ForwardWorld;
beforeAll(async () => {
  world = await startForwardWorld('fwd-down-');
  ({ dir, env } = world);
});
afterAll(async () => {
  for (const pid of started) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
  await world.close();
});

const spec = (name: string): ForwardSpec => ({ name, context: 'p', namespace: NS, service: 'gw', servicePort: 80, preferredPort: 20000 + Math.floor(Math.random() * 20000) });
const listening = (port: number) => new Promise<boolean>((resolve) => {
  const c = net.connect(port, '127.0.0.1');
  c.once('connect', () => { c.destroy(); resolve(true); });
  c.once('error', () => resolve(false));
});

describe('teardown and forwarders no state file names', () => {
  it('stops the forwarder whose state file was deleted, the one whose state file was replaced, and the one never recorded by its starter', { timeout: 60_000 }, async () => {
    const home = path.join(dir, 'home');
    const { runDir } = appPaths(home);

    // Deleted: the state file of a running gateway forwarder is gone.
    const gateway = await ensureForward(spec('gateway'), { runDir, env });
    started.push(gateway.pid);
    fs.rmSync(stateFileFor(runDir, 'gateway'));

    // Replaced: grafana's state file now names some other, dead process.
    const grafana = await ensureForward(spec('grafana'), { runDir, env });
    started.push(grafana.pid);
    writeForwardState(stateFileFor(runDir, 'grafana'), { ...grafana, pid: 2 ** 22 + 4321 });

    // Never recorded by its starter: the starter dies right after the spawn (the launcher throws, as if it
    // was killed there); once the forwarder listens, its own state file is lost too.
    let orphan = 0;
    await expect(ensureForward(spec('prometheus'), {
      runDir, env,
      launcher: async (args, e) => {
        orphan = await nodeLauncher(args, e);
        started.push(orphan);
        throw new Error('the starter died here');
      },
    })).rejects.toThrow('the starter died here');
    const deadline = Date.now() + 30_000;
    while (readForwardState(stateFileFor(runDir, 'prometheus'))?.pid !== orphan) {
      if (Date.now() > deadline) throw new Error('the unrecorded forwarder never started listening');
      await new Promise((r) => setTimeout(r, 50));
    }
    const prometheus = readForwardState(stateFileFor(runDir, 'prometheus'))!;
    fs.rmSync(stateFileFor(runDir, 'prometheus'));

    const forwarders = [gateway, grafana, prometheus];
    for (const f of forwarders) expect(await listening(f.port), f.name).toBe(true);

    const services = testServices({ home, steps: [access], env });
    const down = await services.runs.startTeardown({ stopCluster: false, deleteCluster: false, stopMachine: false });
    expect((await down.result).status).toBe('succeeded');
    await services.dispose();

    for (const f of forwarders) {
      expect(pidAlive(f.pid), `${f.name} forwarder (pid ${f.pid})`).toBe(false);
      expect(await listening(f.port), `${f.name} port ${f.port}`).toBe(false);
    }
    expect(readForwarderRecords(recordsDirFor(runDir))).toEqual([]);
  });

  it('closing one forward also stops a forwarder of that name whose state file was lost, and leaves the others', { timeout: 60_000 }, async () => {
    const runDir = appPaths(path.join(dir, 'close-one')).runDir;
    const gateway = await ensureForward(spec('gateway'), { runDir, env });
    const grafana = await ensureForward(spec('grafana'), { runDir, env });
    started.push(gateway.pid, grafana.pid);
    fs.rmSync(stateFileFor(runDir, 'gateway'));
    expect(await closeForward('gateway', runDir)).toBe(true);
    expect(pidAlive(gateway.pid)).toBe(false);
    expect(await listening(gateway.port)).toBe(false);
    expect(pidAlive(grafana.pid)).toBe(true);
    expect(readForwarderRecords(recordsDirFor(runDir)).map((r) => r.name)).toEqual(['grafana']);
    expect(await closeForward('grafana', runDir)).toBe(true);
    expect(pidAlive(grafana.pid)).toBe(false);
  });

  it('never signals a live process that has a recorded forwarder’s pid but another start time, or no start time', async () => {
    const recordsDir = recordsDirFor(path.join(dir, 'reuse'));
    const reused = spawn('sleep', ['300'], { stdio: 'ignore' });
    const unknown = spawn('sleep', ['300'], { stdio: 'ignore' });
    started.push(reused.pid!, unknown.pid!);
    // What the records of long-dead forwarders look like once the OS gave their pids to these processes.
    await recordForwarder(recordsDir, reused.pid!, 'gateway', async () => 'a start time long past');
    await recordForwarder(recordsDir, unknown.pid!, 'grafana', async () => undefined);
    const outcomes = await stopRecordedForwarders(recordsDir);
    expect(outcomes.sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { name: 'gateway', pid: reused.pid, outcome: 'gone' },
      { name: 'grafana', pid: unknown.pid, outcome: 'unverified' },
    ]);
    expect(pidAlive(reused.pid!)).toBe(true);
    expect(pidAlive(unknown.pid!)).toBe(true);
    // The reused pid's record is dropped; the unverifiable one is kept for a later look.
    expect(readForwarderRecords(recordsDir).map((r) => r.name)).toEqual(['grafana']);
  });
});
