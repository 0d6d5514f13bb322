// The doctor's findings the other integration files leave out, each from a sim scenario that triggers it:
// a vLLM slower than its startup probe allows (the sim's kubelet kills and restarts it at the probe's
// budget) told apart from one still starting, a Prometheus that crash-loops on a TSDB it cannot open, and
// OOMKilled's "smaller model" fix applied until the next install succeeds. Two installs in all: the first
// world carries both crash stories (they touch different pods), and the Prometheus fix is run as offered; both run at a fifth of the fast scenario's
// time scale so the 60 min probe budget is 7 s of wall time.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../../shared/api/doctor.js';
import { simWorlds } from '../steps/sim-worlds.testkit.js';

const { cli, afterFirstUp, cleanup } = simWorlds();
afterAll(cleanup);
const FASTER = { timeScale: 0.002 };

/** A world whose first install has failed; `settings` go into settings.json beside the sim's mirror. */
async function failedInstall(faults: unknown[], settings: Record<string, unknown>, extraEnv: NodeJS.ProcessEnv = {}, scenario: Record<string, unknown> = {}) {
  const { env, home, up, report } = await afterFirstUp(faults, settings, extraEnv, { ...FASTER, ...scenario });
  expect(up.code, up.out).toBe(1);
  return { env, home, up, report };
}

const PROMETHEUS_FATAL = 'time={{now}} level=ERROR source=main.go:1450 msg="Fatal error" err="opening storage failed: lock DB directory: resource temporarily unavailable"';

describe('doctor gaps on the sim', () => {
  it('vLLM slower than its startup probe is killed by the kubelet (decode-starting, not "keep waiting"); a crash-looping Prometheus is named with its own error (crash-loop) and the offered command makes it run', { timeout: 120_000 }, async () => {
    // vLLM's 210 s start × 20 = 4200 s, past the probe's 3615 s (15 s + 120 × 30 s): at 0.002 it is killed
    // 7.2 s after each start, well inside the install's 15 s wait.
    const { env, report } = await failedInstall([
      { kind: 'slowStartup', container: 'vllm', factor: 20 },
      { kind: 'containerCrash', container: 'prometheus', pod: 'prometheus-', onePod: true, exitCode: 1, afterSeconds: 2, log: ['time={{now}} level=INFO source=main.go:1400 msg="Starting TSDB ..."', PROMETHEUS_FATAL] },
    ], { replicas: 1 }, { LLMD_WAIT_DECODE_MS: '15000' });

    const starting = report.results.find((r) => r.id === 'decode-starting')!;
    expect(starting.outcome, JSON.stringify(starting, null, 1)).toBe('finding');
    const f = starting.finding!;
    expect(f.severity).toBe('error');
    expect(f.summary).toMatch(/^vLLM in \S+-decode-\S+ was killed by its startup probe (once|\d+ times): it takes longer to start than the probe's 60 min \(15 s, then 120 × 30 s\) allows, so every start is cut off the same way and waiting longer will not help\./);
    expect(f.evidence[0]!.source).toMatch(/^pod\/llm-d-cpu-inference\/\S+-decode-/);
    // The kubelet's own words, from the sim's events.
    expect(f.evidence[0]!.lines).toEqual(expect.arrayContaining([
      expect.stringMatching(/^Warning Unhealthy: Startup probe failed: Get "http:\/\/10\.244\.\d+\.\d+:\d+\/\S+": dial tcp .*: connect: connection refused/),
      expect.stringMatching(/^Normal Killing: Container \S+ failed startup probe, will be restarted/),
    ]));
    expect(f.fixes.map((x) => x.id)).not.toContain('keep-waiting');

    const crash = report.results.find((r) => r.id === 'crash-loop')!;
    expect(crash.outcome, JSON.stringify(crash, null, 1)).toBe('finding');
    const pod = /^Prometheus \((prometheus-\S+-0)\) keeps exiting: opening storage failed: lock DB directory: resource temporarily unavailable\. Its data directory is an emptyDir/.exec(crash.finding!.summary)?.[1];
    expect(pod, crash.finding!.summary).toBeDefined();
    expect(crash.finding!.evidence.map((e) => e.source)).toEqual([`pod/llm-d-monitoring/${pod}`]);
    const fix = crash.finding!.fixes[0];
    expect(crash.finding!.fixes).toEqual([expect.objectContaining({ kind: 'commands', id: 'recreate-prometheus', commands: [['kubectl', '--context', 'llm-d-cpu', '-n', 'llm-d-monitoring', 'delete', 'pod', pod]] })]);
    // The person runs exactly what the doctor offers: the new pod starts with an empty data directory.
    for (const [file, ...args] of fix?.kind === 'commands' ? fix.commands : []) execFileSync(file!, args, { env, stdio: 'pipe' });
    // Asked until the operator's new pod is up (bounded: at this time scale it starts in well under a second).
    let after: DoctorReport['results'][number] | undefined;
    for (let i = 0; i < 30 && after?.outcome !== 'passed'; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 500));
      after = (JSON.parse((await cli(['doctor', '--json'], env)).out) as DoctorReport).results.find((r) => r.id === 'crash-loop');
    }
    expect(after, JSON.stringify(after)).toMatchObject({ outcome: 'passed' });
    expect((await cli(['down', '--delete-cluster', '--yes'], env)).code).toBe(0);
  });

  it('Qwen2 OOMKilled in its 10Gi limit: `--fix oom-killed:smaller-model` runs SmolLM2 in the same 10Gi and the install passes', { timeout: 120_000 }, async () => {
    // Qwen2: 950 MiB weights + 7500 MiB runtime + 2 GiB KV cache = 10498 MiB > 10240 MiB. SmolLM2 in the
    // same limit: 720 + 7500 + 1024 = 9244 MiB — but in its own default 6Gi it would be killed again.
    const { env, home, up, report } = await failedInstall([], { replicas: 1, model: 'Qwen/Qwen2-0.5B-Instruct', memoryMiB: 16384 }, {}, { vllmMemory: { runtimeMiB: 7500 } });
    expect((JSON.parse(up.out) as { error: { message: string } }).error.message).toMatch(/OOMKilled/);
    const oom = report.results.find((r) => r.id === 'oom-killed')!;
    expect(oom.outcome, JSON.stringify(oom, null, 1)).toBe('finding');
    expect(oom.finding!.fixes.find((x) => x.id === 'smaller-model')).toMatchObject({ kind: 'settings', settings: { model: 'HuggingFaceTB/SmolLM2-360M-Instruct', memoryLimitGi: 10 } });
    // A bigger cluster needs a new one: one click that says it deletes this one first.
    expect(oom.finding!.fixes.find((x) => x.id === 'more-cluster-memory')).toMatchObject({ kind: 'settings', recreatesCluster: true, settings: { memoryMiB: 24576 }, does: expect.stringMatching(/^Deletes the cluster "llm-d-cpu" and everything in it first/) });

    const fixed = await cli(['doctor', '--fix', 'oom-killed:smaller-model', '--yes'], env);
    expect(fixed.code, `${fixed.out}\n${fixed.err}`).toBe(0);
    expect(fixed.out).toContain('Applied oom-killed:smaller-model');
    // Only what names the model is redeployed: the cluster, the monitoring and the images stay as they were.
    for (const step of ['minikube-start', 'image-prepull', 'monitoring']) expect(fixed.out).toContain(`${step}: already done`);
    expect(JSON.parse(fs.readFileSync(path.join(home, 'settings.json'), 'utf8'))).toMatchObject({ model: 'HuggingFaceTB/SmolLM2-360M-Instruct', memoryLimitGi: 10 });
    const after = JSON.parse((await cli(['doctor', '--json'], env)).out) as DoctorReport;
    expect(after.results.filter((r) => r.outcome === 'finding' && r.finding?.severity === 'error'), JSON.stringify(after.results, null, 1)).toEqual([]);
    expect((await cli(['down', '--delete-cluster', '--yes'], env)).code).toBe(0);
  });
});
