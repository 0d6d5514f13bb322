// OOMKilled by the sim's memory model (sim/cluster/memory.ts), not by an injected fault: vLLM on this node
// needs more than the container's limit while it loads, so the install fails on every try until the
// settings change. The guide's solution 1 (raise the limit) and solution 3 (lower the KV cache), applied
// through `doctor --fix`, make the next install succeed — and nothing else would: the kill repeats.
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../../shared/api/doctor.js';
import type { JournalDoc } from '../../../shared/api/engine.js';
import { simWorlds } from '../steps/sim-worlds.testkit.js';

const { cli, afterFirstUp, cleanup } = simWorlds();
afterAll(cleanup);

async function oomWorld(runtimeMiB: number, settings: Record<string, unknown>) {
  const { env, home, up, report } = await afterFirstUp([], settings, {}, { vllmMemory: { runtimeMiB } });
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

  it('`--fix oom-killed:more-cluster-memory --yes` deletes the cluster and creates it with 8 GiB more; a limit-bound kill then still needs the raised limit', { timeout: 300_000 }, async () => {
    const { env, home, oom } = await oomWorld(4700, { replicas: 1, memoryMiB: 16384 });
    expect(oom.fixes.find((f) => f.id === 'more-cluster-memory')).toMatchObject({ recreatesCluster: true, settings: { memoryMiB: 24576 } });
    const bigger = await cli(['doctor', '--fix', 'oom-killed:more-cluster-memory', '--yes'], env);
    expect(bigger.out).toContain('Applied oom-killed:more-cluster-memory: Deletes the cluster "llm-d-cpu"');
    expect(JSON.parse(fs.readFileSync(path.join(home, 'settings.json'), 'utf8'))).toMatchObject({ memoryMiB: 24576 });
    const node = JSON.parse((await execa('/usr/bin/kubectl', ['--context', 'llm-d-cpu', 'get', 'node', 'llm-d-cpu', '-o', 'json'], { env })).stdout) as { status: { capacity: { memory: string } } };
    expect(node.status.capacity.memory).toBe(`${24576 * 1024}Ki`);
    const journal = JSON.parse(fs.readFileSync(path.join(home, 'journal.json'), 'utf8')) as JournalDoc;
    expect(journal.recreateCluster).toBe(true);
    const startLog = fs.readFileSync(journal.steps.find((st) => st.id === 'minikube-start')!.logPath!, 'utf8');
    expect(startLog).toContain('Recreating the cluster: profile "llm-d-cpu" has 8 CPUs, 16384 MiB and the settings want 8 CPUs, 24576 MiB');
    expect(startLog).toContain('minikube delete -p llm-d-cpu');
    // The sim's kill is the container's own limit (sim/cluster/memory.ts), which a bigger node does not lift: the
    // install stops at the same place, and the raised limit is what makes it pass.
    expect(bigger.code, bigger.out).toBe(1);
    await applyAndCheck(env, 'oom-killed:raise-limit');
  });
});
