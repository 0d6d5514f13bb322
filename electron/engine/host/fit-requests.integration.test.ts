// The fit counts every pod the stack asks for (shared/fit.ts, release.yaml podRequests): on the simulated
// world, whose scheduler counts requests (scenario node.accountResources, on by default), an install at
// the fewest CPUs settingsFit accepts places every pod — the default release's 2 replicas take the node's
// last millicore — and one CPU less is refused by the fit before anything is installed. The pods the sim's
// charts render request what the release records, so the fit and the cluster count the same numbers.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { HostFacts } from '../../../shared/api/host.js';
import { Settings } from '../../../shared/api/settings.js';
import { settingsFitOnHost } from '../../../shared/fit.js';
import { releaseSelectors, stackRequests } from '../../../shared/release.js';
import type { KubeObject } from '../../../sim/apiserver/types.js';
import { podRequests } from '../../../sim/cluster/scheduler.js';
import { findResourcesDir } from '../resources.js';
import { loadRelease } from '../stack/releases.js';
import { hostFactsFile, simWorlds } from '../steps/sim-worlds.testkit.js';

const { ROOT, world, cli, cleanup } = simWorlds();
afterAll(cleanup);
const mirror = pathToFileURL(path.join(ROOT, 'sim', 'mirror')).href;

interface PodList { items: Array<KubeObject & { spec: { nodeName?: string }; status: { conditions?: Array<{ type: string; status: string }> } }> }

describe('the fit counts every pod the stack requests', () => {
  it('installs at the fewest CPUs the fit accepts with every pod scheduled; one CPU less is refused by the fit', { timeout: 300_000 }, async () => {
    const { dir, env } = await world([]);
    env.LLMD_HOST_FACTS = hostFactsFile(dir);
    const facts = HostFacts.parse(JSON.parse(fs.readFileSync(env.LLMD_HOST_FACTS, 'utf8')));
    const base = { memoryMiB: 16384, replicas: 2, driver: 'docker' as const, mirror };
    const release = loadRelease(Settings.parse(base).release, findResourcesDir(env));
    const stack = stackRequests(release);
    const cpuIssues = (cpus: number) => settingsFitOnHost(Settings.parse({ ...base, cpus }), facts, stack).issues.filter((i) => i.path === 'cpus');

    // The smallest CPU count the fit accepts on this (16-core) host, and the one below it.
    const fewest = [2, 3, 4, 5, 6, 7, 8].find((cpus) => cpuIssues(cpus).length === 0)!;
    expect(fewest).toBe(3); // 750m control plane + 1250m stack + 2 × 500m = 3000m
    expect(cpuIssues(fewest - 1)).toEqual([expect.objectContaining({ message: expect.stringMatching(/^the cluster needs 3 CPUs for what its pods request .*= 3000m\); it has 2$/) as string })]);

    const home = env.LLMD_INSTALLER_HOME!;
    fs.mkdirSync(home, { recursive: true });
    fs.writeFileSync(path.join(home, 'settings.json'), JSON.stringify({ ...base, cpus: fewest }));
    const up = await cli(['up', '--yes', '--json'], env);
    expect(up.code, `${up.out}\n${up.err}`).toBe(0);

    const kubectl = (...a: string[]) => execFileSync('kubectl', ['--context', 'llm-d-cpu', ...a], { env, encoding: 'utf8' });
    const pods = JSON.parse(kubectl('get', 'pods', '-A', '-o', 'json')) as PodList;
    const unscheduled = pods.items.filter((p) => !p.spec.nodeName || !p.status.conditions?.some((c) => c.type === 'PodScheduled' && c.status === 'True'));
    expect(unscheduled.map((p) => `${p.metadata.namespace}/${p.metadata.name}`)).toEqual([]);

    // What the cluster's non-model pods request is what the release records and the fit counts.
    // The decode selector is a label selector of `key=value` pairs (release.yaml selectors.decode).
    const decode = releaseSelectors(release).decode.split(',').map((kv) => kv.split('=') as [string, string]);
    const isModelServer = (p: KubeObject) => decode.every(([k, v]) => p.metadata.labels?.[k] === v);
    const others = pods.items.filter((p) => !isModelServer(p)).map(podRequests);
    expect(pods.items.length - others.length).toBe(2);
    expect({ cpuMilli: others.reduce((n, r) => n + r.cpuMilli, 0), memoryMiB: Math.ceil(others.reduce((n, r) => n + r.memoryBytes, 0) / 2 ** 20) })
      .toEqual({ cpuMilli: stack.cpuMilli, memoryMiB: stack.memoryMiB });
    expect((await cli(['down', '--delete-cluster', '--yes'], env)).code).toBe(0);
  });
});
