// The release's own model server cannot be pulled for the node's architecture (its multi-arch tag was pushed
// again without this architecture after the image check asked — that check's answer is kept a day — so the
// kubelet meets it: the sim's pull fault in containerd's words, sim/registry/pull.ts). The doctor names the
// architecture the node's kubelet reports (status.nodeInfo, not a label someone overwrote) and offers the other
// stack release that runs another model server for it. From the guide's release to today's the switch is a
// click (`doctor --fix`, the engine's doctor.fix) that takes the old stack out and installs; the other way
// the guide's older Gateway API CRDs cannot go over the cluster's (safe-upgrades), so it is a new cluster, in
// commands — which, run as given, install the guide's release.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../../shared/api/doctor.js';
import { chooseImages } from '../../../shared/release.js';
import { DEFAULT_RELEASE_ID } from '../../../shared/stack.js';
import { loadRelease } from '../stack/releases.js';
import { simWorlds } from '../steps/sim-worlds.testkit.js';

const { afterFirstUp, cli, cleanup } = simWorlds();
afterAll(cleanup);

const GUIDE = 'llm-d-0.4-cpu-guide';
/** Its fix id: the release id with its dots made dashes, as a fix id must be (doctor.fix's rule:fix). */
const FIX = 'release-llm-d-0-4-cpu-guide';
const arch = process.arch === 'arm64' ? 'arm64' : 'amd64';
const vllmOf = (release: string) => chooseImages(loadRelease(release), arch, 'cpu').find((i) => i.role === 'vllm')!.ref;

interface PodList { items: Array<{ spec: { containers: Array<{ image: string }> } }> }
const kubectlIn = (env: NodeJS.ProcessEnv) => (...args: string[]) => execFileSync('kubectl', ['--context', 'llm-d-cpu', ...args], { env, encoding: 'utf8' });
const stackImages = (env: NodeJS.ProcessEnv) => (JSON.parse(kubectlIn(env)('get', 'pods', '-n', 'llm-d-cpu-inference', '-o', 'json')) as PodList).items.flatMap((p) => p.spec.containers.map((c) => c.image));
const errors = (r: DoctorReport) => r.results.filter((x) => x.outcome === 'finding' && x.finding?.severity === 'error');

describe('the doctor on the release’s own image built for another architecture', () => {
  it('the guide’s release installed: a click switches to today’s, which takes the guide’s stack out and installs', { timeout: 240_000 }, async () => {
    const [guideVllm, vllm] = [vllmOf(GUIDE), vllmOf(DEFAULT_RELEASE_ID)];
    const { env, home, up, report } = await afterFirstUp([{ kind: 'imagePullBackOff', image: guideVllm, reason: 'wrong-arch' }], { release: GUIDE }, { LLMD_READY_BACKOFF_GRACE_MS: '1000' });
    expect(up.code, up.out).toBe(1);
    const f = report.results.find((r) => r.id === 'image-pull')!.finding!;
    expect(f.summary).toContain(`The node cannot pull ${guideVllm}: the image has no build for this node's architecture (linux/${arch}).`);
    expect(f.summary).toContain(`${loadRelease(DEFAULT_RELEASE_ID).title} runs ${vllm} instead.`);
    const fix = 'release-llm-d-0-9-optimized-baseline';
    expect(f.fixes.find((x) => x.id === fix), JSON.stringify(f.fixes, null, 1)).toMatchObject({ kind: 'settings', settings: { release: DEFAULT_RELEASE_ID } });

    const started = Date.now();
    const fixed = await cli(['doctor', '--fix', `image-pull:${fix}`, '--yes'], env);
    expect(fixed.code, `${fixed.out}\n${fixed.err}`).toBe(0);
    expect(fixed.out).toContain(`Applied image-pull:${fix}`);
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(JSON.parse(fs.readFileSync(path.join(home, 'settings.json'), 'utf8'))).toMatchObject({ release: DEFAULT_RELEASE_ID });
    // The guide's stack is gone from the namespace; today's model servers run their own image.
    const images = stackImages(env);
    expect(images).toContain(vllm);
    expect(images).not.toContain(guideVllm);
    const after = JSON.parse((await cli(['doctor', '--json'], env)).out) as DoctorReport;
    expect(errors(after), JSON.stringify(after.results, null, 1)).toEqual([]);
    expect((await cli(['down', '--delete-cluster', '--yes'], env)).code).toBe(0);
  });

  it('today’s release installed: the guide’s has older Gateway API CRDs, so the switch is a new cluster, in commands that work', { timeout: 240_000 }, async () => {
    const [vllm, guideVllm] = [vllmOf(DEFAULT_RELEASE_ID), vllmOf(GUIDE)];
    const { env, up, report } = await afterFirstUp([{ kind: 'imagePullBackOff', image: vllm, reason: 'wrong-arch' }], {}, { LLMD_READY_BACKOFF_GRACE_MS: '1000' });
    expect(up.code, up.out).toBe(1);
    const f = report.results.find((r) => r.id === 'image-pull')!.finding!;
    expect(f.summary).toContain(`It is the model server (vLLM) image of ${loadRelease(DEFAULT_RELEASE_ID).title}; ${loadRelease(GUIDE).title} runs ${guideVllm} instead.`);
    expect(f.summary).toContain('Configure → Advanced images');
    const fix = f.fixes.find((x) => x.id === FIX);
    expect(fix, JSON.stringify(f.fixes, null, 1)).toMatchObject({ kind: 'commands', label: expect.stringContaining('older than this cluster\'s (v1.5.1)') });
    if (fix?.kind !== 'commands') throw new Error('a new cluster is commands');

    // A kubernetes.io/arch label someone overwrote: the doctor still names what the kubelet reports and pulls for.
    const kubectl = kubectlIn(env);
    kubectl('label', 'node', 'llm-d-cpu', `kubernetes.io/arch=${arch === 'amd64' ? 'arm64' : 'amd64'}`, '--overwrite');
    const relabelled = JSON.parse((await cli(['doctor', '--json'], env)).out) as DoctorReport;
    expect(relabelled.results.find((r) => r.id === 'image-pull')!.finding!.summary).toContain(`(linux/${arch})`);

    // Not a click: the engine refuses it with the commands; run as given, they install the guide's release.
    const refused = await cli(['doctor', '--fix', `image-pull:${FIX}`, '--yes'], env);
    expect(refused.code).not.toBe(0);
    expect(`${refused.out}\n${refused.err}`).toContain('is a set of commands to run yourself');
    // The saved settings as flags (the docker driver here), the other release for the new install.
    expect(fix.commands).toEqual([['npm', 'run', 'cli', '--', 'down', '--delete-cluster', '--yes', '--driver', 'docker'], ['npm', 'run', 'cli', '--', 'up', '--yes', '--release', GUIDE, '--driver', 'docker']]);
    for (const command of fix.commands) {
      const ran = await cli(command.slice(4), env);
      expect(ran.code, `${command.join(' ')}\n${ran.out}\n${ran.err}`).toBe(0);
    }
    const images = stackImages(env);
    expect(images).toContain(guideVllm);
    expect(images).not.toContain(vllm);
    const after = JSON.parse((await cli(['doctor', '--json', '--release', GUIDE], env)).out) as DoctorReport;
    expect(errors(after), JSON.stringify(after.results, null, 1)).toEqual([]);
    expect((await cli(['down', '--delete-cluster', '--yes', '--release', GUIDE], env)).code).toBe(0);
  });
});
