// The podman machine step against the simulated podman (sim/bin/podman), which keeps its machines under
// LLMD_SIM_STATE and seeds a rootless or undersized machine from the scenario's faults.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { testServices } from '../services.testkit.js';
import { podmanMachine } from './podman-machine.js';

const SIM_BIN = path.resolve(import.meta.dirname, '../../../sim/bin');
const dirs: string[] = [];
const tmp = () => { const d = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-')); dirs.push(d); return d; };
afterEach(() => { for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true }); });

function world(faults: string) {
  const home = tmp();
  const state = tmp();
  const scenario = path.join(state, 'scenario.yaml');
  fs.writeFileSync(scenario, `name: t\ntimeScale: 0.002\nfaults:\n${faults || '  []'}\n`);
  const env = { ...process.env, PATH: `${SIM_BIN}${path.delimiter}${process.env.PATH}`, LLMD_SIM_STATE: state, LLMD_SIM_SCENARIO: scenario };
  const { runs, plans, ctx } = testServices({ home, env, steps: [podmanMachine], platform: 'linux' });
  ctx.settings.save({ driver: 'podman', podmanMachine: true });
  // The step tests drive runs and detect-only status alike.
  const installer = { startUp: runs.startUp.bind(runs), startTeardown: runs.startTeardown.bind(runs), status: () => plans.status() };
  const machines = () => JSON.parse(fs.readFileSync(path.join(state, 'podman', 'machines.json'), 'utf8')) as Array<Record<string, unknown>>;
  return { installer, machines };
}

describe('podman machine step (sim podman)', { timeout: 90_000 }, () => {
  it('creates a missing machine rootful with the guide sizes and starts it; then detect says done', async () => {
    const { installer, machines } = world('');
    expect((await installer.status()).steps[0]).toMatchObject({ id: 'podman-machine', state: 'todo', reason: expect.stringContaining('no podman machine') });
    const res = await (await installer.startUp('fresh')).result;
    expect(res.status).toBe('succeeded');
    expect(machines()[0]).toMatchObject({ Name: 'podman-machine-default', CPUs: 10, MemoryMiB: 28672, DiskGiB: 120, Rootful: true, State: 'running' });
    expect(fs.readFileSync(res.journal.steps[0]!.logPath!, 'utf8')).toContain('podman machine init --cpus 10 --memory 28672 --disk-size 120 --rootful');
    expect((await installer.status()).steps[0]).toMatchObject({ state: 'done' });
  });

  it('repairs a rootless machine: set --rootful, start', async () => {
    const { installer, machines } = world('  - kind: podmanRootless');
    expect((await installer.status()).steps[0]?.reason).toMatch(/rootless/);
    const res = await (await installer.startUp('fresh')).result;
    expect(res.status).toBe('succeeded');
    expect(machines()[0]).toMatchObject({ Rootful: true, State: 'running' });
  });

  it('resizes an undersized machine (4 CPUs, 8 GiB, 100 GB) to 10 / 28672 / 120', async () => {
    const { installer, machines } = world('  - kind: podmanTooSmall\n    cpus: 4\n    memoryMiB: 8192\n    diskGiB: 100');
    const res = await (await installer.startUp('fresh')).result;
    expect(res.status).toBe('succeeded');
    expect(machines()[0]).toMatchObject({ CPUs: 10, MemoryMiB: 28672, DiskGiB: 120, State: 'running' });
  });

  it('surfaces a podman failure with its exit code and message', async () => {
    const { installer } = world('  - tool: podman\n    match: "machine init"\n    exitCode: 125\n    stderr: "Error: qemu not found"');
    const res = await (await installer.startUp('fresh')).result;
    expect(res.status).toBe('failed');
    expect(res.error).toMatchObject({ code: 'TOOL_FAILED', message: expect.stringMatching(/exited with code 125: Error: qemu not found/) });
  });

  it('stops the machine on teardown only when asked', async () => {
    const { installer, machines } = world('');
    await (await installer.startUp('fresh')).result;
    await (await installer.startTeardown({ stopCluster: false, deleteCluster: false, stopMachine: false })).result;
    expect(machines()[0]?.State).toBe('running');
    await (await installer.startTeardown({ stopCluster: false, deleteCluster: false, stopMachine: true })).result;
    expect(machines()[0]?.State).toBe('stopped');
  });
});
