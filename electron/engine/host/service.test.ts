import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HostReport } from '../../../shared/api/host.js';
import { defaultSettings } from '../../../shared/api/settings.js';
import { runtimesOf } from '../../../shared/fit.js';
import { planContext } from '../plan/build-plan.js';
import { appPaths } from '../paths.js';
import { findExecutable } from '../prereqs/detect.js';
import { toolEnv } from '../process/path-env.js';
import { dockerRunning, fakeMachine, fakeRunner, fakeSource, GiB } from './fake-machine.js';
import { createHostService } from './service.js';

describe('host service', () => {
  it('detects once per session and re-detects on refresh', async () => {
    const machine = fakeMachine();
    const calls: string[] = [];
    const service = createHostService({ dataDir: '/data', source: fakeSource(machine), run: fakeRunner(machine, calls), now: () => new Date('2026-01-01T00:00:00Z') });
    const [a, b] = await Promise.all([service.check(), service.check()]);
    expect(a).toBe(b);
    expect(HostReport.parse(a)).toEqual(a);
    expect(a.detectedAt).toBe('2026-01-01T00:00:00.000Z');
    expect(calls.filter((c) => c.startsWith('docker'))).toHaveLength(1);

    machine.memoryBytes = 8 * GiB;
    expect((await service.check()).facts.memoryBytes).toBe(64 * GiB);
    const fresh = await service.check({ refresh: true });
    expect(fresh.facts.memoryBytes).toBe(8 * GiB);
    expect(fresh.fit.level).toBe('does-not-fit');
  });

  it('does not cache a failed detection', async () => {
    const machine = fakeMachine();
    let fail = true;
    const source = { ...fakeSource(machine), cpu: async () => { if (fail) throw new Error('boom'); return machine.cpu; } };
    const service = createHostService({ dataDir: '/data', source, run: fakeRunner(machine) });
    await expect(service.check()).rejects.toThrow('boom');
    fail = false;
    expect((await service.check()).facts.cpuCores).toBe(16);
  });

  it('looks for docker and podman on the PATH the plan runs tools with (the app bin dir first), so both see the same runtimes', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'llmd-host-path-'));
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'llmd-host-path-empty-'));
    try {
      const { binDir } = appPaths(dataDir);
      fs.mkdirSync(binDir, { recursive: true });
      // A podman in the app's bin dir (node runs it: no shell), and a session PATH with no runtime at all.
      const reply = JSON.stringify({ Client: { Version: '5.6.0' }, Server: { Version: '5.6.0' } });
      fs.writeFileSync(path.join(binDir, 'podman'), `#!${process.execPath}\nprocess.stdout.write(${JSON.stringify(reply)});\n`, { mode: 0o755 });
      const env = { PATH: empty };
      const { facts } = await createHostService({ dataDir, env, source: fakeSource(fakeMachine()) }).check();
      // What PlanService.planHost asks to resolve `driver: auto`: is the tool on the tool environment's PATH?
      const planPath = toolEnv(env, binDir).PATH;
      expect(facts.podman).toMatchObject({ installed: true, version: '5.6.0' });
      expect(facts.podman.installed).toBe(findExecutable('podman', planPath) !== undefined);
      expect(facts.docker.installed).toBe(findExecutable('docker', planPath) !== undefined);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });

  it('names the driver Automatic really uses: podman on a Linux host that has docker and podman, as the plan resolves it', async () => {
    const machine = fakeMachine({ commands: {
      'docker version --format json': { exitCode: 0, stdout: dockerRunning },
      'podman version --format json': { exitCode: 0, stdout: JSON.stringify({ Client: { Version: '5.6.0' }, Server: { Version: '5.6.0' } }) },
    } });
    const report = await createHostService({ dataDir: '/data', source: fakeSource(machine), run: fakeRunner(machine) }).check();
    const plan = planContext(defaultSettings(), { platform: report.facts.os, arch: process.arch, runtimes: runtimesOf(report.facts) });
    expect(plan.driver).toBe('podman');
    expect(report.needs).toMatchObject({ driver: plan.driver, usesPodmanMachine: plan.usesPodmanMachine });
    expect(report.fit.summary).toContain('on the podman driver');
  });

  it('reads recorded facts from LLMD_HOST_FACTS instead of detecting (rehearsals of a small host)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llmd-host-facts-'));
    try {
      const file = path.join(dir, 'host.json');
      const small = {
        os: 'linux', osName: 'Debian', osVersion: '13', arch: 'x64', archLabel: 'Linux x86_64', cpuModel: 'small', cpuCores: 4,
        memoryBytes: 16 * GiB, diskFreeBytes: 200e9, diskPath: '/', gpu: { nvidia: false, models: [] },
        docker: { installed: true, running: true }, podman: { installed: false },
      };
      fs.writeFileSync(file, JSON.stringify(small));
      const report = await createHostService({ dataDir: dir, env: { PATH: '', LLMD_HOST_FACTS: file } }).check();
      expect(report.facts).toEqual(small);
      expect(report.fit.level).toBe('does-not-fit');
      expect(report.fit.suggested).toEqual({ cpus: 4, memoryMiB: 12288 });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
