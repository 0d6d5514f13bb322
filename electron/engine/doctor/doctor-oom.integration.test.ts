// OOMKilled by the sim's memory model (sim/cluster/memory.ts), not by an injected fault: vLLM on this node
// needs more than the container's limit while it loads, so the install fails on every try until the
// settings change. The guide's solution 1 (raise the limit) and solution 3 (lower the KV cache), applied
// through `doctor --fix`, make the next install succeed — and nothing else would: the kill repeats. A node too
// small for the replicas together (each under its limit) is the node's OOM killer (sim/cluster/node-memory.ts):
// the guide's solution 4, a bigger cluster, alone cures that.
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../../shared/api/doctor.js';
import type { JournalDoc } from '../../../shared/api/engine.js';
import { simWorlds } from '../steps/sim-worlds.testkit.js';

const { cli, afterFirstUp, cleanup } = simWorlds();
afterAll(cleanup);

async function oomWorld(runtimeMiB: number, settings: Record<string, unknown>, faults: unknown[] = []) {
  const { env, home, up, report } = await afterFirstUp(faults, settings, {}, { vllmMemory: { runtimeMiB } });
  expect(up.code, up.out).toBe(1);
  expect((JSON.parse(up.out) as { error: { message: string } }).error.message).toMatch(/OOMKilled/);
  const oom = report.results.find((r) => r.id === 'oom-killed')!;
  expect(oom.outcome, JSON.stringify(oom, null, 1)).toBe('finding');
  return { env, home, oom: oom.finding! };
}

async function applyAndCheck(env: NodeJS.ProcessEnv, ref: string) {
  const fixed = await cli(['doctor', '--fix', ref, '--yes'], env);
  expect(fixed.code, `${fixed.out}\n${fixed.err}`).toBe(0);
  expect(fixed.out).toContain(`Applied ${ref}`);
  const after = JSON.parse((await cli(['doctor', '--json'], env)).out) as DoctorReport;
  expect(after.results.filter((r) => r.outcome === 'finding' && r.finding?.severity === 'error'), JSON.stringify(after.results, null, 1)).toEqual([]);
  expect((await cli(['down', '--delete-cluster', '--yes'], env)).code).toBe(0);
}

describe('OOMKilled fixes on the sim’s memory model', () => {
  it('SmolLM2 needs 6.3 GiB in a 6Gi limit: `--fix oom-killed:raise-limit` sets 8Gi and the install passes', { timeout: 240_000 }, async () => {
    // 720 MiB weights + 4700 MiB runtime + 1 GiB KV cache = 6444 MiB > 6144 MiB; ≤ 8192 MiB.
    const { env, home, oom } = await oomWorld(4700, { replicas: 1 });
    expect(oom.fixes.map((f) => f.id)).toEqual(['raise-limit', 'more-cluster-memory']);
    await applyAndCheck(env, 'oom-killed:raise-limit');
    expect(JSON.parse(fs.readFileSync(path.join(home, 'settings.json'), 'utf8'))).toMatchObject({ memoryLimitGi: 8, replicas: 1 });
  });

  it('Qwen2 with a 2 GiB KV cache needs 10.4 GiB in a 10Gi limit: `--fix oom-killed:lower-kv-cache` sets 1 GiB and the install passes', { timeout: 240_000 }, async () => {
    // 950 MiB weights + 7500 MiB runtime + 2048 MiB KV = 10498 MiB > 10240 MiB; with 1024 MiB KV: 9474 MiB.
    const { env, home, oom } = await oomWorld(7500, { replicas: 1, model: 'Qwen/Qwen2-0.5B-Instruct', memoryMiB: 16384 });
    // 1 × 12Gi fits 16 GiB, so raising the limit is on offer too; this test takes the KV cache.
    expect(oom.fixes.map((f) => f.id)).toEqual(['raise-limit', 'lower-kv-cache', 'smaller-model', 'more-cluster-memory']);
    await applyAndCheck(env, 'oom-killed:lower-kv-cache');
    expect(JSON.parse(fs.readFileSync(path.join(home, 'settings.json'), 'utf8'))).toMatchObject({ kvCacheGiB: 1, model: 'Qwen/Qwen2-0.5B-Instruct' });
  });

  it('2 replicas that each fit their 6Gi limit but not the 11 GiB node together: `--fix oom-killed:more-cluster-memory --yes` alone recreates it with 8 GiB more and the install passes', { timeout: 300_000 }, async () => {
    // 720 MiB weights + 4000 MiB runtime + 1 GiB KV cache = 5744 MiB per replica, under 6144 MiB. The node's other
    // pods request ~2.4 GiB: one replica fits in 11264 MiB, the second is killed by the node's OOM killer
    // (sim/cluster/node-memory.ts) — OOMKilled like a limit-bound kill, told apart by 2 × 6Gi > 11 GiB.
    const { env, home, oom } = await oomWorld(4000, { replicas: 2, memoryMiB: 11264 });
    expect(oom.summary).toMatch(/the node ran out of memory/);
    expect(oom.fixes.map((f) => f.id)).toEqual(['more-cluster-memory', 'one-replica']);
    expect(oom.fixes[0]).toMatchObject({ recreatesCluster: true, settings: { memoryMiB: 19456 } });
    const bigger = await cli(['doctor', '--fix', 'oom-killed:more-cluster-memory', '--yes'], env);
    expect(bigger.out).toContain('Applied oom-killed:more-cluster-memory: Deletes the cluster "llm-d-cpu"');
    expect(bigger.code, `${bigger.out}\n${bigger.err}`).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(home, 'settings.json'), 'utf8'))).toMatchObject({ memoryMiB: 19456, replicas: 2 });
    const kubectl = async <T>(...args: string[]) => JSON.parse((await execa('/usr/bin/kubectl', ['--context', 'llm-d-cpu', ...args, '-o', 'json'], { env })).stdout) as T;
    const node = await kubectl<{ status: { capacity: { memory: string } } }>('get', 'node', 'llm-d-cpu');
    expect(node.status.capacity.memory).toBe(`${19456 * 1024}Ki`);
    const journal = JSON.parse(fs.readFileSync(path.join(home, 'journal.json'), 'utf8')) as JournalDoc;
    expect(journal.recreateCluster).toBe(true);
    const startLog = fs.readFileSync(journal.steps.find((st) => st.id === 'minikube-start')!.logPath!, 'utf8');
    expect(startLog).toContain('Recreating the cluster: profile "llm-d-cpu" has 8 CPUs, 11264 MiB and the settings want 8 CPUs, 19456 MiB');
    expect(startLog).toContain('minikube delete -p llm-d-cpu');
    // Both replicas run in the new node and none was killed there.
    interface Pod { metadata: { name: string; labels?: Record<string, string> }; status: { phase: string; reason?: string; containerStatuses?: Array<{ ready: boolean; restartCount: number; lastState: { terminated?: { reason: string } } }> } }
    const pods = (await kubectl<{ items: Pod[] }>('get', 'pods', '-n', 'llm-d-cpu-inference')).items;
    const decode = pods.filter((p) => p.metadata.labels?.['llm-d.ai/role'] === 'decode');
    expect(decode).toHaveLength(2);
    for (const p of pods) {
      expect(p.status.phase, p.metadata.name).toBe('Running');
      for (const c of p.status.containerStatuses ?? []) expect(c.lastState.terminated?.reason, p.metadata.name).toBeUndefined();
    }
    expect(decode.every((p) => p.status.containerStatuses?.every((c) => c.ready && c.restartCount === 0))).toBe(true);
    const after = JSON.parse((await cli(['doctor', '--json'], env)).out) as DoctorReport;
    expect(after.results.find((r) => r.id === 'oom-killed')?.outcome).toBe('passed');
    expect(after.results.filter((r) => r.outcome === 'finding' && r.finding?.severity === 'error'), JSON.stringify(after.results, null, 1)).toEqual([]);
    expect((await cli(['down', '--delete-cluster', '--yes'], env)).code).toBe(0);
  });
  it('a limit-bound kill in a node that holds the limits names the limit and puts the bigger cluster last: `--fix oom-killed:more-cluster-memory` alone does not cure it, the raised limit does', { timeout: 300_000 }, async () => {
    // And `minikube profile list` fails here (sim fault): the recreating install cannot read the old size and deletes
    // the cluster all the same — one that trusted the size-less record its first install wrote kept the old cluster
    // (a CI run saw the cluster kept at its old size).
    const { env, home, oom } = await oomWorld(4700, { replicas: 1, memoryMiB: 16384 }, [{ kind: 'toolFailure', tool: 'minikube', match: 'profile list' }]);
    expect(oom.summary).toMatch(/vLLM needed more than its 6Gi memory limit \(1 replica in 16384 MiB: the node holds their limits\)/);
    expect(oom.fixes.map((f) => f.id)).toEqual(['raise-limit', 'more-cluster-memory']);
    const bigger = await cli(['doctor', '--fix', 'oom-killed:more-cluster-memory', '--yes'], env);
    expect(JSON.parse(fs.readFileSync(path.join(home, 'settings.json'), 'utf8'))).toMatchObject({ memoryMiB: 24576 });
    const node = JSON.parse((await execa('/usr/bin/kubectl', ['--context', 'llm-d-cpu', 'get', 'node', 'llm-d-cpu', '-o', 'json'], { env })).stdout) as { status: { capacity: { memory: string } } };
    expect(node.status.capacity.memory, bigger.out).toBe(`${24576 * 1024}Ki`);
    const journal = JSON.parse(fs.readFileSync(path.join(home, 'journal.json'), 'utf8')) as JournalDoc;
    expect(fs.readFileSync(journal.steps.find((st) => st.id === 'minikube-start')!.logPath!, 'utf8')).toContain('Recreating the cluster: profile "llm-d-cpu" has unknown size');
    // The sim's kill is the container's own limit (sim/cluster/memory.ts), which a bigger node does not lift.
    expect(bigger.code, bigger.out).toBe(1);
    await applyAndCheck(env, 'oom-killed:raise-limit');
  });
});
