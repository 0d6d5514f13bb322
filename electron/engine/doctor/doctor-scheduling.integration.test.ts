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
import { afterAll, describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../../shared/api/doctor.js';
import { hostFactsFile, simWorlds } from '../steps/sim-worlds.testkit.js';

const { ROOT, world, cli, cleanup } = simWorlds();
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
    expect(fs1.finding!.fixes.map((f) => f.id)).toEqual(['one-replica']);

    const fixed = await cli(['doctor', '--fix', 'failed-scheduling:one-replica', '--yes'], env);
    expect(fixed.code, `${fixed.out}\n${fixed.err}`).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(home, 'settings.json'), 'utf8'))).toMatchObject({ replicas: 1, cpus: 3 });
    const after = JSON.parse((await cli(['doctor', '--json'], env)).out) as DoctorReport;
    expect(after.results.find((r) => r.id === 'failed-scheduling')!.outcome).toBe('passed');
    expect((await cli(['down', '--delete-cluster', '--yes'], env)).code).toBe(0);
  });
});
