// The simulated node pulls through the registry's decision: in a sim world (real kubectl against the sim
// API server), a pod whose image the registry refuses ends in ErrImagePull → ImagePullBackOff with the
// message containerd prints, `minikube image pull` fails the same way, and the scenario's imagePullBackOff
// fault (worded for its reason) still fires and clears.
import { execa } from 'execa';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorld, type World } from '../testkit.js';

const SCENARIO = `name: registry
timeScale: 0.01
registry:
  images:
    - { match: docker.io/library/nginx:0.0.0-gone, status: not-found }
faults:
  - { kind: imagePullBackOff, image: busybox:1.37, times: 1 }
  - { kind: imagePullBackOff, image: nginx:1.29, reason: denied }
  - { kind: imagePullBackOff, image: redis:8, reason: network }
`;
const DENIED = 'ghcr.io/llm-d/llm-d-inference-scheduler:v0.4.0';
const ARM_ONLY = 'quay.io/petecheslock/llm-d-cpu:v0.4.0-arm64';

interface Pod { status?: { containerStatuses?: Array<{ state: { waiting?: { reason: string; message?: string }; running?: object } }> } }

let w: World;
beforeAll(async () => {
  w = makeWorld(SCENARIO);
  w.env.LLMD_SIM_ARCH = 'amd64'; // an x86 node whatever the machine running the test
  const r = await w.run('minikube', ['start', '-p', 'reg', '--driver=docker']);
  expect(r.exitCode, r.stderr).toBe(0);
}, 60_000);
afterAll(async () => { await w?.cleanup(); });

const pod = (name: string, image: string) => {
  const file = join(w.state, `${name}.json`);
  writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'main', image }] } }));
  return file;
};
/**
 * The container's waiting/running states as `kubectl get pod -w -o json` streams them: ErrImagePull lasts
 * one scaled second (10 ms here) before ImagePullBackOff, too short to catch by polling.
 */
async function waitingStates(name: string, until: (reasons: string[]) => boolean): Promise<Array<{ reason: string; message?: string }>> {
  const seen: Array<{ reason: string; message?: string }> = [];
  const watch = execa('/usr/bin/kubectl', ['get', 'pod', name, '-n', 'default', '-w', '-o', 'json'], { env: w.env, reject: false, timeout: 15_000 });
  let buf = '';
  try {
    await new Promise<void>((resolve, reject) => {
      watch.stdout?.on('data', (d: Buffer) => {
        buf += d.toString();
        // kubectl prints one indented JSON object per change; each ends with a "}" line.
        let end: number;
        while ((end = buf.indexOf('\n}\n')) !== -1) {
          const state = (JSON.parse(buf.slice(0, end + 2)) as Pod).status?.containerStatuses?.[0]?.state;
          buf = buf.slice(end + 3);
          const waiting = state?.waiting ?? (state?.running ? { reason: 'Running' } : undefined);
          if (waiting && seen.at(-1)?.reason !== waiting.reason) seen.push(waiting);
          if (until(seen.map((s) => s.reason))) resolve();
        }
      });
      void watch.then((r) => reject(new Error(`pod ${name} never got there; saw ${JSON.stringify(seen)} ${r.stderr}`)));
    });
  } finally {
    watch.kill();
  }
  return seen;
}

describe('pulls in the simulated node follow the registry', () => {
  it('a denied image: ErrImagePull, then ImagePullBackOff, with the anonymous-token 403 in pod status and events', async () => {
    expect((await w.kubectl(['apply', '-f', pod('denied', DENIED)])).exitCode).toBe(0);
    const seen = await waitingStates('denied', (r) => r.includes('ErrImagePull') && r.includes('ImagePullBackOff'));
    const err = seen.find((s) => s.reason === 'ErrImagePull');
    const expected = `rpc error: code = Unknown desc = failed to pull and unpack image "${DENIED}": failed to resolve reference "${DENIED}": failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://ghcr.io/token?scope=repository%3Allm-d%2Fllm-d-inference-scheduler%3Apull&service=ghcr.io: 403 Forbidden`;
    expect(err?.message).toBe(expected);
    expect(seen.find((s) => s.reason === 'ImagePullBackOff')?.message).toBe(`Back-off pulling image "${DENIED}": ErrImagePull: ${expected}`);
    const events = JSON.parse((await w.kubectl(['get', 'events', '-n', 'default', '-o', 'json'])).stdout) as { items: Array<{ reason: string; message: string; involvedObject: { name: string } }> };
    expect(events.items.some((e) => e.involvedObject.name === 'denied' && e.reason === 'Failed' && e.message === `Failed to pull image "${DENIED}": ${expected}`)).toBe(true);
  }, 20_000);

  it('an arm64-only image on the amd64 node: no match for platform; a missing tag: not found', async () => {
    const node = JSON.parse((await w.kubectl(['get', 'node', 'reg', '-o', 'json'])).stdout) as { metadata: { labels: Record<string, string> }; status: { nodeInfo: { architecture: string } } };
    expect(node.metadata.labels['kubernetes.io/arch']).toBe('amd64');
    expect(node.status.nodeInfo.architecture).toBe('amd64');
    expect((await w.kubectl(['apply', '-f', pod('armonly', ARM_ONLY), '-f', pod('gone', 'nginx:0.0.0-gone')])).exitCode).toBe(0);
    const arm = await waitingStates('armonly', (r) => r.includes('ErrImagePull'));
    expect(arm.find((s) => s.reason === 'ErrImagePull')?.message).toBe(`rpc error: code = NotFound desc = failed to pull and unpack image "${ARM_ONLY}": no match for platform in manifest: not found`);
    const gone = await waitingStates('gone', (r) => r.includes('ErrImagePull'));
    expect(gone.find((s) => s.reason === 'ErrImagePull')?.message).toMatch(/: docker\.io\/library\/nginx:0\.0\.0-gone: not found$/);
  }, 20_000);

  it('minikube image pull fails the same way, and pulls what the registry serves', async () => {
    // The scenario's fault, worded for its reason as the node's pull is.
    const offline = await w.run('minikube', ['image', 'pull', 'redis:8', '-p', 'reg']);
    expect(offline.exitCode).toBe(80);
    expect(offline.stderr).toContain('X Exiting due to GUEST_IMAGE_PULL: Failed to pull image: pull image redis:8: failed to pull and unpack image "docker.io/library/redis:8": failed to resolve reference "docker.io/library/redis:8": failed to do request: Head "https://registry-1.docker.io/v2/library/redis/manifests/8": dial tcp: lookup registry-1.docker.io on 192.168.49.1:53: no such host');
    const denied = await w.run('minikube', ['image', 'pull', DENIED, '-p', 'reg']);
    expect(denied.exitCode).toBe(80);
    expect(denied.stderr).toContain(`X Exiting due to GUEST_IMAGE_PULL: Failed to pull image: pull image ${DENIED}: failed to pull and unpack image "${DENIED}": failed to resolve reference "${DENIED}": failed to authorize: failed to fetch anonymous token`);
    const arm = await w.run('minikube', ['image', 'pull', ARM_ONLY, '-p', 'reg']);
    expect(arm.stderr).toContain('no match for platform in manifest: not found');
    expect((await w.run('minikube', ['image', 'pull', 'vllm/vllm-openai-cpu:v0.30.0', '-p', 'reg'])).exitCode).toBe(0);
    expect((await w.run('minikube', ['image', 'ls', '-p', 'reg'])).stdout).toContain('docker.io/vllm/vllm-openai-cpu:v0.30.0');
  }, 20_000);

  it('a pod with two refused images shows both in ErrImagePull / ImagePullBackOff, each with its reason', async () => {
    const file = join(w.state, 'two.json');
    writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'two', namespace: 'default' }, spec: { containers: [{ name: 'web', image: 'nginx:1.29' }, { name: 'cache', image: 'redis:8' }] } }));
    expect((await w.kubectl(['apply', '-f', file])).exitCode).toBe(0);
    let messages: string[] = [];
    for (let i = 0; i < 100 && messages.length < 2; i++) {
      const p = JSON.parse((await w.kubectl(['get', 'pod', 'two', '-n', 'default', '-o', 'json'])).stdout) as Pod;
      messages = (p.status?.containerStatuses ?? []).map((c) => c.state.waiting).filter((x) => x?.reason === 'ImagePullBackOff' || x?.reason === 'ErrImagePull').map((x) => x!.message ?? '');
    }
    expect(messages).toEqual([
      expect.stringContaining('pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed'),
      expect.stringContaining('dial tcp: lookup registry-1.docker.io on 192.168.49.1:53: no such host'),
    ]);
  }, 20_000);

  it('the imagePullBackOff fault still fires once, then the pull succeeds', async () => {
    expect((await w.kubectl(['apply', '-f', pod('flaky', 'busybox:1.37')])).exitCode).toBe(0);
    // The one failure is over before a watch could start; events keep it.
    expect((await waitingStates('flaky', (r) => r.includes('Running'))).at(-1)?.reason).toBe('Running');
    const events = JSON.parse((await w.kubectl(['get', 'events', '-n', 'default', '-o', 'json'])).stdout) as { items: Array<{ reason: string; message: string; involvedObject: { name: string } }> };
    const mine = events.items.filter((e) => e.involvedObject.name === 'flaky').map((e) => e.message);
    expect(mine).toEqual(expect.arrayContaining(['Error: ErrImagePull', 'Error: ImagePullBackOff']));
    expect(mine.some((m) => /^Failed to pull image "busybox:1\.37": rpc error: code = NotFound desc = .*busybox:1\.37: not found$/.test(m))).toBe(true);
    expect(mine.some((m) => m.startsWith('Successfully pulled image "busybox:1.37"'))).toBe(true);
  }, 20_000);
});
