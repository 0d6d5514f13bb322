// A cluster too small for what the stack requests, on the simulated world with the scheduler counting
// requests (scenario node.accountResources, on by default as in the real world): with 3 CPUs and 3 replicas one
// 500m pod cannot be placed — a model-server replica, the EPP or Prometheus (which the operator creates after
// the monitoring release), whichever the scheduler comes to last, as on a real node.
// The install stops at the ready step with the scheduler's own words instead of waiting out its timeout,
// the doctor's failed-scheduling rule names the Pending pod and the node's allocatable, and the fix it
// offers (1 replica) makes the next install pass.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../../shared/api/doctor.js';
import { JournalDoc } from '../../../shared/api/engine.js';
import { createEngine } from '../api.js';
import { hostFactsFile, simWorlds } from '../steps/sim-worlds.testkit.js';

const { ROOT, world, cli, afterFirstUp, cleanup } = simWorlds();
afterAll(cleanup);
const mirror = pathToFileURL(path.join(ROOT, 'sim', 'mirror')).href;

describe('the doctor on a cluster too small for the stack’s requests', () => {
  it('Insufficient cpu: ready fails with the scheduler’s message, failed-scheduling names the pod, `--fix failed-scheduling:one-replica` makes it fit', { timeout: 240_000 }, async () => {
    const { dir, env } = await world([], { LLMD_READY_BACKOFF_GRACE_MS: '1500' });
    env.LLMD_HOST_FACTS = hostFactsFile(dir);
    const home = env.LLMD_INSTALLER_HOME!;
    fs.mkdirSync(home, { recursive: true });
    fs.writeFileSync(path.join(home, 'settings.json'), JSON.stringify({ cpus: 3, memoryMiB: 16384, replicas: 3, driver: 'docker', mirror }));

    const up = await cli(['up', '--yes', '--json'], env);
    expect(up.code, up.out).toBe(1);
    const error = (JSON.parse(up.out) as { error: { code: string; message: string; hint?: string } }).error;
    expect(error.code).toBe('KUBE');
    expect(error.message).toMatch(/^(Decode pod|Pod) (optimized-baseline-|prometheus-)\S+ cannot be scheduled: 0\/1 nodes are available: 1 Insufficient cpu\./);
    expect(error.message).toContain('the cluster has 3 CPUs');

    const report = JSON.parse((await cli(['doctor', '--json'], env)).out) as DoctorReport;
    const fs1 = report.results.find((r) => r.id === 'failed-scheduling')!;
    expect(fs1.outcome, JSON.stringify(fs1, null, 1)).toBe('finding');
    expect(fs1.finding!.summary).toBe('1 pod cannot be scheduled: the node has too little cpu for what they request.');
    expect(fs1.finding!.evidence[0]!.source).toMatch(/^pod\/(llm-d-cpu-inference\/optimized-baseline-|llm-d-monitoring\/prometheus-)/);
    expect(fs1.finding!.evidence[0]!.lines[0]).toMatch(/^FailedScheduling: 0\/1 nodes are available: 1 Insufficient cpu/);
    expect(fs1.finding!.evidence.at(-1)).toEqual({ source: 'node/llm-d-cpu', lines: [`allocatable cpu 3, memory ${16384 * 1024}Ki`] });
    // 1 replica fits 3 CPUs (2500m); all 3 need 3500m and their 6Gi limits 18 GiB: the smallest cluster that holds them.
    expect(fs1.finding!.fixes.map((f) => f.id)).toEqual(['one-replica', 'bigger-cluster']);
    expect(fs1.finding!.fixes[1]).toMatchObject({ settings: { cpus: 4, memoryMiB: 18432 } });

    const fixed = await cli(['doctor', '--fix', 'failed-scheduling:one-replica', '--yes'], env);
    expect(fixed.code, `${fixed.out}\n${fixed.err}`).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(home, 'settings.json'), 'utf8'))).toMatchObject({ replicas: 1, cpus: 3 });
    const after = JSON.parse((await cli(['doctor', '--json'], env)).out) as DoctorReport;
    expect(after.results.find((r) => r.id === 'failed-scheduling')!.outcome).toBe('passed');
    expect((await cli(['down', '--delete-cluster', '--yes'], env)).code).toBe(0);
  });

  it('2 CPUs hold not even 1 replica: no "1 replica"; `--fix failed-scheduling:bigger-cluster --yes` deletes the cluster, creates it with 3 CPUs and the install passes', { timeout: 300_000 }, async () => {
    const { env, home, up, report } = await afterFirstUp([], { cpus: 2, memoryMiB: 16384, replicas: 2 }, { LLMD_READY_BACKOFF_GRACE_MS: '1500' });
    expect(up.code, up.out).toBe(1);
    expect((JSON.parse(up.out) as { error: { message: string } }).error.message).toContain('Insufficient cpu');
    const finding = report.results.find((r) => r.id === 'failed-scheduling')!.finding!;
    // The control plane 750m + the stack 1250m + 1 replica 500m = 2500m > 2 CPUs: one replica does not fit either.
    expect(finding.fixes.map((f) => f.id)).toEqual(['bigger-cluster']);
    expect(finding.fixes[0]).toMatchObject({ kind: 'settings', recreatesCluster: true, settings: { cpus: 3 }, does: expect.stringMatching(/^Deletes the cluster "llm-d-cpu" and everything in it first/) });
    const nodeCpu = async () => (JSON.parse((await execa('/usr/bin/kubectl', ['--context', 'llm-d-cpu', 'get', 'node', 'llm-d-cpu', '-o', 'json'], { env })).stdout) as { status: { capacity: { cpu: string } } }).status.capacity.cpu;
    expect(await nodeCpu()).toBe('2');

    // Nobody agreed to lose the cluster: the CLI without a terminal to ask on refuses without --yes, and the engine
    // itself refuses a doctor.fix that does not say the person confirmed it (whichever transport forgot to ask).
    const refused = await cli(['doctor', '--fix', 'failed-scheduling:bigger-cluster'], env);
    expect(refused.err).toMatch(/Refusing to apply the fix failed-scheduling:bigger-cluster and run the install again without --yes/i);
    const engine = createEngine({ dataDir: home, transport: 'cli', rehearsal: false, env });
    try {
      const r = await engine.dispatcher.call('doctor.fix', { fix: 'failed-scheduling:bigger-cluster' });
      expect(r).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: '"failed-scheduling:bigger-cluster" deletes the cluster "llm-d-cpu" and everything in it before installing again; it was not confirmed.' } });
    } finally {
      await engine.dispose();
    }
    expect(JSON.parse(fs.readFileSync(path.join(home, 'settings.json'), 'utf8'))).toMatchObject({ cpus: 2 });

    const fixed = await cli(['doctor', '--fix', 'failed-scheduling:bigger-cluster', '--yes'], env);
    expect(fixed.code, `${fixed.out}\n${fixed.err}`).toBe(0);
    expect(fixed.out).toContain('Applied failed-scheduling:bigger-cluster: Deletes the cluster "llm-d-cpu"');
    expect(JSON.parse(fs.readFileSync(path.join(home, 'settings.json'), 'utf8'))).toMatchObject({ cpus: 3, replicas: 2 });
    expect(await nodeCpu()).toBe('3');
    // The run's journal says it recreated, and "Start the cluster"'s own log shows the delete before the new start.
    const journal = JournalDoc.parse(JSON.parse(fs.readFileSync(path.join(home, 'journal.json'), 'utf8')));
    expect(journal).toMatchObject({ status: 'succeeded', recreateCluster: true });
    const start = journal.steps.find((st) => st.id === 'minikube-start')!;
    expect(start).toMatchObject({ state: 'done', outcome: 'done' });
    const log = fs.readFileSync(start.logPath!, 'utf8');
    const deleting = log.indexOf('Recreating the cluster: profile "llm-d-cpu" has 2 CPUs, 16384 MiB and the settings want 3 CPUs, 16384 MiB');
    expect(deleting, log).toBeGreaterThan(-1);
    expect(log.indexOf('minikube delete -p llm-d-cpu'), log).toBeGreaterThan(deleting);
    expect(log.indexOf('Creating docker container (CPUs=3, Memory=16384MB)'), log).toBeGreaterThan(log.indexOf('minikube delete -p llm-d-cpu'));
    const after = JSON.parse((await cli(['doctor', '--json'], env)).out) as DoctorReport;
    expect(after.results.filter((r) => r.outcome === 'finding' && r.finding?.severity === 'error'), JSON.stringify(after.results, null, 1)).toEqual([]);
    expect((await cli(['down', '--delete-cluster', '--yes'], env)).code).toBe(0);
  });
});
