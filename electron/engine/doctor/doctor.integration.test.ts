// The doctor on the simulated world, through the CLI a person uses: an install that fails is explained by
// the rule that finds why (evidence naming the real pod), and the one-command fix makes the next install
// succeed; a healthy install has nothing to report.
import path from 'node:path';
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../../shared/api/doctor.js';
import { chooseImages } from '../../../shared/release.js';
import { DEFAULT_RELEASE_ID } from '../../../shared/stack.js';
import { loadRelease } from '../stack/releases.js';
import { execFileSync } from 'node:child_process';
import { FileSecretStore, HF_TOKEN } from '../secrets/secret-store.js';
import { hostFactsFile, simWorlds } from '../steps/sim-worlds.testkit.js';

const { ROOT, world, cli, cleanup } = simWorlds();
afterAll(cleanup);
const mirror = pathToFileURL(path.join(ROOT, 'sim', 'mirror')).href;
const finding = (r: DoctorReport, id: string) => r.results.find((x) => x.id === id);

describe('the doctor on the sim', () => {
  it('OOMKilled while the second replica loads: the finding names the pod, and `doctor --fix oom-killed:one-replica` makes the install pass', { timeout: 240_000 }, async () => {
    const { dir, env } = await world([{ kind: 'oomKilled', replica: 2, during: 'loading', afterSeconds: 1 }]);
    env.LLMD_HOST_FACTS = hostFactsFile(dir);
    const up = await cli(['up', '--yes', '--json', '--driver', 'docker', '--mirror', mirror], env);
    expect(up.code, up.out).toBe(1);
    expect((JSON.parse(up.out) as { error: { message: string } }).error.message).toMatch(/OOMKilled/);

    const doc = await cli(['doctor', '--json', '--driver', 'docker'], env);
    expect(doc.code).toBe(1); // an error finding
    const report = JSON.parse(doc.out) as DoctorReport;
    expect(report.release).toBe('llm-d-0.9-optimized-baseline');
    const oom = finding(report, 'oom-killed')!;
    expect(oom.outcome).toBe('finding');
    expect(oom.finding!.evidence[0]!.source).toMatch(/^pod\/llm-d-cpu-inference\/optimized-baseline-cpu-vllm-decode-[a-z0-9]+-[a-z0-9]{5}$/);
    expect(oom.finding!.evidence[0]!.lines[0]).toMatch(/OOMKilled \(exit 137\)/);
    expect(finding(report, 'last-run')!.finding!.summary).toMatch(/stopped at step ready/);
    const human = await cli(['doctor'], env);
    expect(human.out).toContain('npm run cli -- doctor --fix oom-killed:one-replica');

    const fixed = await cli(['doctor', '--fix', 'oom-killed:one-replica', '--yes', '--driver', 'docker'], env);
    expect(fixed.code, `${fixed.out}\n${fixed.err}`).toBe(0);
    expect(fixed.out).toContain('Applied oom-killed:one-replica');
    expect(JSON.parse(fs.readFileSync(path.join(env.LLMD_INSTALLER_HOME!, 'settings.json'), 'utf8'))).toMatchObject({ replicas: 1 });
    const after = JSON.parse((await cli(['doctor', '--json', '--driver', 'docker'], env)).out) as DoctorReport;
    expect(after.results.filter((r) => r.outcome === 'finding' && r.finding?.severity === 'error'), JSON.stringify(after.results, null, 1)).toEqual([]);

    // The support bundle of this install: a planted Hugging Face token appears in no file of it.
    const token = 'hf_plantedDoctorBundleToken0123456789';
    await new FileSecretStore(env.LLMD_INSTALLER_HOME!).set(HF_TOKEN, token);
    fs.appendFileSync(path.join(env.LLMD_INSTALLER_HOME!, 'logs', 'planted.log'), `curl -H "Authorization: Bearer ${token}"\n`);
    const out = path.join(dir, 'support.tar.gz');
    // How long it takes is a benchmark's figure (bench/support-bundle.ts), not an assertion on a shared machine.
    const bundle = await cli(['bundle', '--json', '--out', out, '--driver', 'docker'], env);
    expect(bundle.code, bundle.out).toBe(0);
    const unpacked = path.join(dir, 'unpacked');
    fs.mkdirSync(unpacked);
    execFileSync('tar', ['-xzf', out, '-C', unpacked]);
    const files = (fs.readdirSync(unpacked, { recursive: true }) as string[]).map((f) => path.join(unpacked, f)).filter((f) => fs.statSync(f).isFile());
    const names = files.map((f) => path.relative(unpacked, f).split(path.sep).slice(1).join('/'));
    expect(names).toEqual(expect.arrayContaining(['MANIFEST', 'doctor.json', 'host.json', 'plan.json', 'journal.json', 'logs/planted.log', 'cluster/llm-d-cpu-inference/pods.json']));
    expect(names.some((n) => /^cluster\/llm-d-cpu-inference\/logs\/optimized-baseline-cpu-vllm-decode-.*\/modelserver\.log$/.test(n))).toBe(true);
    for (const f of files) expect(fs.readFileSync(f, 'utf8'), f).not.toContain(token);
    expect((await cli(['down', '--delete-cluster', '--yes'], env)).code).toBe(0);
  });

  it('an image the node cannot pull: image-pull names the image, the pod and the registry\'s reason', { timeout: 240_000 }, async () => {
    const arch = process.arch === 'arm64' ? 'arm64' : 'amd64';
    const epp = chooseImages(loadRelease(DEFAULT_RELEASE_ID), arch, 'cpu').find((i) => i.role === 'epp')!.ref;
    const { dir, env } = await world([{ kind: 'imagePullBackOff', image: epp }], { LLMD_READY_BACKOFF_GRACE_MS: '1000' });
    env.LLMD_HOST_FACTS = hostFactsFile(dir);
    const up = await cli(['up', '--yes', '--json', '--driver', 'docker', '--mirror', mirror], env);
    expect(up.code, up.out).toBe(1);
    const report = JSON.parse((await cli(['doctor', '--json', '--driver', 'docker'], env)).out) as DoctorReport;
    const pull = finding(report, 'image-pull')!.finding!;
    expect(pull.summary).toContain(`The node cannot pull ${epp}: the registry has no such image or tag (removed upstream, or a typo). It is the endpoint picker (EPP) image of `);
    expect(pull.evidence[0]!.source).toMatch(/^pod\/llm-d-cpu-inference\/optimized-baseline-epp-[a-z0-9]+-[a-z0-9]{5}$/);
    expect(pull.evidence[0]!.lines.join('\n')).toContain(`Failed to pull image "${epp}"`);
    // The release's own image: no override to go back to; the guide's release runs another EPP, on a new
    // cluster (its Gateway API CRDs are older than the ones this install put there).
    expect(pull.fixes.map((f) => f.id)).toEqual(['release-llm-d-0-4-cpu-guide', 'pull-by-hand']);
    expect(pull.fixes[0]!.kind).toBe('commands');
    expect((await cli(['down', '--delete-cluster', '--yes'], env)).code).toBe(0);
  });

  it('model servers still loading: decode-starting says for how long and how much of the startup probe is left, and the install then finishes', { timeout: 240_000 }, async () => {
    // vLLM takes 240 s × 5 to start (12 s at the fast scenario's scale); its startup probe allows ~60 min.
    const { dir, env } = await world([{ kind: 'slowStartup', factor: 5, container: 'vllm' }]);
    env.LLMD_HOST_FACTS = hostFactsFile(dir);
    const up = cli(['up', '--yes', '--json', '--driver', 'docker', '--mirror', mirror], env);
    let starting: DoctorReport['results'][number] | undefined;
    for (let i = 0; i < 120 && !starting; i++) {
      const r = JSON.parse((await cli(['doctor', '--json', '--driver', 'docker'], env)).out) as DoctorReport;
      const d = finding(r, 'decode-starting');
      if (d?.outcome === 'finding') starting = d;
      else await new Promise((res) => setTimeout(res, 250));
    }
    expect(starting?.finding).toMatchObject({ severity: 'info', summary: expect.stringMatching(/model servers? (is|are) still starting \(vLLM loads the model and compiles for the CPU\): .* left of the startup probe's 60 min\./) });
    expect(starting!.finding!.evidence[0]!.source).toMatch(/^pod\/llm-d-cpu-inference\/optimized-baseline-cpu-vllm-decode-/);
    expect((await up).code).toBe(0);
    expect((await cli(['down', '--delete-cluster', '--yes'], env)).code).toBe(0);
  });

  it('a CPU without bf16 taken for one that has it: vLLM dies with SIGILL, the doctor says so, `--fix crash-loop:float32` makes it run', { timeout: 240_000 }, async () => {
    const { dir, env } = await world([], { LLMD_READY_BACKOFF_GRACE_MS: '1000' }, { node: { bf16: false } });
    // What a wrong detection would say: the node's CPU has no bf16 (scenario node.bf16: false).
    env.LLMD_HOST_FACTS = hostFactsFile(dir, { cpuFeatures: { bf16: true, avx512f: true, from: 'recorded' } });
    const up = await cli(['up', '--yes', '--json', '--driver', 'docker', '--replicas', '1', '--mirror', mirror], env);
    expect(up.code, up.out).toBe(1);
    const report = JSON.parse((await cli(['doctor', '--json', '--replicas', '1'], env)).out) as DoctorReport;
    const crash = finding(report, 'crash-loop')!.finding!;
    expect(crash.summary).toMatch(/stops on an instruction this CPU lacks: it runs the model in bfloat16/);
    expect(crash.evidence[0]!.lines).toContain('Illegal instruction (core dumped)');
    expect(crash.fixes.map((f) => f.id)).toEqual(['float32']);

    const fixed = await cli(['doctor', '--fix', 'crash-loop:float32', '--yes', '--driver', 'docker', '--replicas', '1'], env);
    expect(fixed.code, `${fixed.out}\n${fixed.err}`).toBe(0);
    const plan = JSON.parse((await cli(['plan', '--json', '--driver', 'docker'], env)).out) as { dtype?: { value: string; reason: string } };
    expect(plan.dtype).toEqual({ value: 'float32', reason: 'chosen in Configure → Advanced' });
    expect((await cli(['down', '--delete-cluster', '--yes'], env)).code).toBe(0);
  });
});
