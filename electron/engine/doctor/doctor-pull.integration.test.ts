// The image-pull rule on the simulated world, through the CLI a person uses: ONE install in which each of
// the stack's images (and Prometheus's) fails to pull for another of the registry's reasons — the node's
// kubelet words each as containerd does (sim/registry/pull.ts) — and `doctor --json` tells them apart,
// each with the real pod and the kubelet's message as evidence and the fix that reason asks for. (Not
// found, the fifth reason, is doctor.integration.test.ts's case.)
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { DoctorReport, Finding } from '../../../shared/api/doctor.js';
import { chooseImages } from '../../../shared/release.js';
import { DEFAULT_RELEASE_ID } from '../../../shared/stack.js';
import { loadRelease } from '../stack/releases.js';
import { hostFactsFile, simWorlds } from '../steps/sim-worlds.testkit.js';

const { ROOT, world, cli, cleanup } = simWorlds();
afterAll(cleanup);
const mirror = pathToFileURL(path.join(ROOT, 'sim', 'mirror')).href;

interface PodJson { metadata: { name: string; namespace: string }; spec: { serviceAccountName?: string; containers: Array<{ image: string }> } }

describe('the doctor on image pulls', () => {
  it('denied, no network, rate limited, wrong architecture in one install: each image its reason, its pod, the kubelet’s words and its fix', { timeout: 240_000 }, async () => {
    const arch = process.arch === 'arm64' ? 'arm64' : 'amd64';
    const images = chooseImages(loadRelease(DEFAULT_RELEASE_ID), arch, 'cpu');
    const ref = (role: string) => images.find((i) => i.role === role)!.ref;
    const [vllm, epp, proxy] = [ref('vllm'), ref('epp'), ref('proxy')];
    const prometheus = 'prometheus/prometheus:';
    const { dir, env } = await world([
      { kind: 'imagePullBackOff', image: vllm, reason: 'denied' },
      { kind: 'imagePullBackOff', image: epp, reason: 'network' },
      { kind: 'imagePullBackOff', image: proxy, reason: 'rate-limited' },
      { kind: 'imagePullBackOff', image: prometheus, reason: 'wrong-arch' },
    ], { LLMD_READY_BACKOFF_GRACE_MS: '1000' });
    env.LLMD_HOST_FACTS = hostFactsFile(dir);
    const up = await cli(['up', '--yes', '--json', '--driver', 'docker', '--mirror', mirror], env);
    expect(up.code, up.out).toBe(1);

    // Prometheus's pod is the operator's, made after the stack's: ask again until its pull has failed too.
    let pull: Finding | undefined;
    for (let i = 0; i < 60; i++) {
      const report = JSON.parse((await cli(['doctor', '--json', '--driver', 'docker'], env)).out) as DoctorReport;
      pull = report.results.find((r) => r.id === 'image-pull')?.finding;
      if (pull && pull.evidence.some((e) => e.lines.some((l) => l.includes(prometheus)))) break;
      await new Promise((res) => setTimeout(res, 250));
    }
    expect(pull).toBeDefined();
    const f = pull!;
    expect(f.severity).toBe('error');

    // The real pods, as the cluster has them: whose image, in which namespace, run as which ServiceAccount.
    const pods = (JSON.parse(execFileSync('kubectl', ['get', 'pods', '-A', '-o', 'json'], { env, encoding: 'utf8' })) as { items: PodJson[] }).items;
    const podOf = (image: string) => pods.find((p) => p.spec.containers.some((c) => c.image.includes(image)))!;
    const evidenceOf = (image: string) => {
      const p = podOf(image);
      // The router's pod runs the EPP and its Envoy: one evidence entry per container.
      const e = f.evidence.find((x) => x.source === `pod/${p.metadata.namespace}/${p.metadata.name}` && x.lines.some((l) => l.includes(image)));
      expect(e, `evidence for ${image}`).toBeDefined();
      return { pod: p, text: e!.lines.join('\n'), first: e!.lines[0]! };
    };
    const denied = evidenceOf(vllm);
    expect(denied.first).toMatch(/: (ErrImagePull|ImagePullBackOff) \(access denied\)$/);
    expect(denied.text).toContain(`Failed to pull image "${vllm}": rpc error: code = Unknown desc = failed to pull and unpack image "${vllm}": failed to resolve reference "${vllm}": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`);
    const offline = evidenceOf(epp);
    expect(offline.first).toMatch(/\(no network\)$/);
    expect(offline.text).toMatch(/failed to do request: Head "https:\/\/ghcr\.io\/v2\/.*": dial tcp: lookup ghcr\.io on 192\.168\.49\.1:53: no such host/);
    const limited = evidenceOf(proxy);
    expect(limited.first).toMatch(/\(rate limited\)$/);
    expect(limited.text).toContain('429 Too Many Requests - Server message: toomanyrequests: You have reached your pull rate limit.');
    const wrongArch = evidenceOf(prometheus);
    expect(wrongArch.pod.metadata.namespace).not.toBe(denied.pod.metadata.namespace);
    expect(wrongArch.first).toMatch(/\(wrong architecture\)$/);
    expect(wrongArch.text).toContain('no match for platform in manifest: not found');

    expect(f.summary).toMatch(/^The node cannot pull 4 images: /);
    for (const [image, why] of [[vllm, 'the registry refuses it'], [epp, 'the node cannot reach the registry'], [proxy, 'the registry rate-limits anonymous pulls'], [prometheus, `the image has no build for this node's architecture (linux/${arch})`]] as const) {
      expect(f.summary).toMatch(new RegExp(`${image.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}[^;]* — ${why.replace(/[()]/g, '\\$&')}`));
    }

    // The release's own images: no override to drop; the refused model server: the guide's release runs
    // another (on a new cluster: its Gateway API CRDs are older). Access denied and the rate limit: a pull
    // secret on the ServiceAccount each refused pod really runs as; the unreachable registry: a check from the node.
    expect(f.fixes.map((x) => x.id)).toEqual(['release-llm-d-0-4-cpu-guide', 'pull-secret', 'check-network', 'pull-by-hand']);
    const secret = f.fixes[1]!;
    if (secret.kind !== 'commands') throw new Error('pull-secret is a commands fix');
    const ns = denied.pod.metadata.namespace;
    const ctx = ['kubectl', '--context', 'llm-d-cpu'];
    expect(secret.commands).toContainEqual([...ctx, 'create', 'secret', 'docker-registry', 'llm-d-pull-docker-io', '-n', ns, '--docker-server=https://index.docker.io/v1/', '--docker-username=<your user>', '--docker-password=<a read-only access token>']);
    for (const p of [denied.pod, limited.pod]) {
      expect(p.spec.serviceAccountName).toBeTruthy();
      expect(secret.commands).toContainEqual([...ctx, 'patch', 'serviceaccount', p.spec.serviceAccountName, '-n', ns, '-p', '{"imagePullSecrets":[{"name":"llm-d-pull-docker-io"}]}']);
    }
    const recreate = secret.commands.at(-1)!;
    expect(recreate.slice(0, 7)).toEqual([...ctx, 'delete', 'pod', '-n', ns]);
    // Every decode replica (the refused vLLM image) and the router's pod (the rate-limited Envoy).
    const refused = pods.filter((p) => p.spec.containers.some((c) => c.image === vllm || c.image === proxy)).map((p) => p.metadata.name);
    expect(refused.length).toBeGreaterThanOrEqual(3);
    expect(recreate.slice(7).sort()).toEqual(refused.sort());
    // The unreachable registry is not one to log in to.
    expect(secret.commands.flat()).not.toContain('llm-d-pull-ghcr-io');
    expect(f.fixes[2]).toMatchObject({ commands: [['minikube', 'ssh', '-p', 'llm-d-cpu', '--', 'nslookup', 'ghcr.io'], ['minikube', 'ssh', '-p', 'llm-d-cpu', '--', 'curl', '-sSI', 'https://ghcr.io/v2/']] });
    const human = await cli(['doctor'], env);
    expect(human.out).toContain('kubectl --context llm-d-cpu patch serviceaccount');
    expect((await cli(['down', '--delete-cluster', '--yes'], env)).code).toBe(0);
  });
});
