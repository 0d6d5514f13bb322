// The image-pull rule when the node cannot pull the release's *own* image: the other stack releases (the real
// ones under resources/releases) that run another image for that role on this node, each a switch of release;
// none, said so; a person's override keeps its "drop your override" fix.
import { describe, expect, it } from 'vitest';
import { chooseImages } from '../../../shared/release.js';
import { loadRelease } from '../stack/releases.js';
import { decodePod, otherReleases, plan, snapshot } from './fixtures.testkit.js';
import { imagePull } from './rules/image-pull.js';
import type { PodSnapshot, Snapshot } from './snapshot.js';

const GUIDE = 'llm-d-0.4-cpu-guide';
/** Its fix id: the release id with its dots made dashes, as a fix id must be (doctor.fix's rule:fix). */
const FIX = 'release-llm-d-0-4-cpu-guide';
const VLLM = 'docker.io/vllm/vllm-openai-cpu:v0.26.0';
/** The guide's model server on amd64: what switching to it would run instead (its release.yaml). */
const GUIDE_VLLM = chooseImages(loadRelease(GUIDE), 'amd64', 'cpu').find((i) => i.role === 'vllm')!.ref;

const failing = (image: string, detail: string): Pick<Snapshot, 'pods' | 'events'> => {
  const message = `rpc error: code = NotFound desc = failed to pull and unpack image "${image}": ${detail}`;
  const p: PodSnapshot = decodePod('a', { image, ready: false, started: false, state: { kind: 'waiting', reason: 'ErrImagePull', message } });
  return { pods: [p], events: [{ namespace: p.namespace, object: `pod/${p.name}`, type: 'Warning', reason: 'Failed', message: `Failed to pull image "${image}": ${message}`, count: 2 }] };
};
const wrongArch = (image = VLLM) => failing(image, 'no match for platform in manifest: not found');

describe('image-pull: the release’s own image', () => {
  it('wrong architecture, another release has one for this node: the switch, with what it does, and the override hint', () => {
    const f = imagePull.check(snapshot({ ...wrongArch(), releases: otherReleases() }))!;
    expect(GUIDE_VLLM).not.toBe(VLLM);
    expect(f.summary).toBe(`The node cannot pull ${VLLM}: the image has no build for this node's architecture (linux/amd64). `
      + `It is the model server (vLLM) image of llm-d 0.9 — optimized baseline, August 2026; llm-d 0.4 — CPU guide, December 2025 runs ${GUIDE_VLLM} instead. `
      + 'You can also set an image of your own for it in Configure → Advanced images.');
    expect(f.fixes.map((x) => x.id)).toEqual([FIX, 'pull-by-hand']);
    expect(f.fixes[0]).toEqual({
      kind: 'settings', id: FIX, label: 'Switch to llm-d 0.4 — CPU guide, December 2025', settings: { release: GUIDE },
      does: `Changes the stack release to llm-d 0.4 — CPU guide, December 2025 and runs the install again: it takes llm-d 0.9 — optimized baseline, August 2026's stack out of llm-d-cpu-inference first, then deploys llm-d 0.4 — CPU guide, December 2025's own charts and images (${GUIDE_VLLM} as its model server (vLLM), for linux/amd64). Your other settings stay.`,
    });
  });

  it('a release with older Gateway API CRDs than the cluster has: the switch is a new cluster, in commands', () => {
    const f = imagePull.check(snapshot({ ...wrongArch(), releases: otherReleases(), gatewayApi: 'v1.5.1' }))!;
    expect(f.fixes.map((x) => x.id)).toEqual([FIX, 'pull-by-hand']);
    expect(f.fixes[0]).toEqual({
      kind: 'commands', id: FIX,
      label: `Switch to llm-d 0.4 — CPU guide, December 2025 on a new cluster (${GUIDE_VLLM} as its model server (vLLM)): its Gateway API CRDs (v1.4.0) are older than this cluster's (v1.5.1), which Gateway API's safe-upgrades policy refuses — delete the cluster, then install it (or choose it in Configure and install)`,
      commands: [['npm', 'run', 'cli', '--', 'down', '--delete-cluster', '--yes'], ['npm', 'run', 'cli', '--', 'up', '--yes', '--release', GUIDE]],
    });
    // CRDs of the release's own version or older on the cluster: the switch is a settings change.
    expect(imagePull.check(snapshot({ ...wrongArch(), releases: otherReleases(), gatewayApi: 'v1.4.0' }))!.fixes[0]).toMatchObject({ kind: 'settings', settings: { release: GUIDE } });
  });

  it('from the guide’s release to today’s (newer CRDs): a settings switch', () => {
    const guide = plan({ release: GUIDE });
    const f = imagePull.check(snapshot({ ...wrongArch(GUIDE_VLLM), plan: guide, releases: otherReleases(guide), gatewayApi: 'v1.4.0' }))!;
    expect(f.fixes[0]).toMatchObject({ kind: 'settings', id: 'release-llm-d-0-9-optimized-baseline', settings: { release: 'llm-d-0.9-optimized-baseline' }, does: expect.stringContaining(`${VLLM} as its model server (vLLM), for linux/amd64`) });
  });

  it('no other release has one for this node: said so, and no switch offered', () => {
    const [guide] = otherReleases();
    const releases = [
      { ...guide!, id: 'no-amd64', images: { arm64: guide!.images.arm64 } },
      { ...guide!, id: 'same-image', images: { amd64: { ...guide!.images.amd64, vllm: VLLM } } },
      { ...guide!, id: 'other-models', models: ['Qwen/Qwen2-0.5B-Instruct'] },
    ];
    const f = imagePull.check(snapshot({ ...wrongArch(), releases }))!;
    expect(f.summary).toContain('image of llm-d 0.9 — optimized baseline, August 2026; no other stack release has a model server (vLLM) image for linux/amd64. You can also set an image of your own for it in Configure → Advanced images.');
    expect(f.fixes.map((x) => x.id)).toEqual(['pull-by-hand']);
  });

  it('a node that reports another architecture than the plan chose images for: no release would help, said so', () => {
    const f = imagePull.check(snapshot({ ...wrongArch(), releases: otherReleases(), nodes: [{ name: 'llm-d-cpu', arch: 'arm64', allocatable: {} }] }))!;
    expect(f.summary).toContain('(linux/arm64). The node reports linux/arm64, but the plan chose the images for linux/amd64 (this computer\'s architecture)');
    expect(f.fixes.map((x) => x.id)).toEqual(['pull-by-hand']);
  });

  it('an override of the person’s that lacks the architecture: drop the override, no switch of release', () => {
    const mine = 'quay.io/me/vllm:arm64-only';
    const f = imagePull.check(snapshot({ ...wrongArch(mine), plan: plan({ images: { vllm: mine } }), releases: otherReleases() }))!;
    expect(f.fixes.map((x) => x.id)).toEqual(['release-default', 'pull-by-hand']);
    expect(f.fixes[0]).toMatchObject({ settings: { images: {} }, does: expect.stringContaining(`Drops your override ${mine}`) });
    expect(f.summary).not.toContain('Configure → Advanced images');
  });

  it('denied or not found: another release that runs another image is a way out too, beside the pull secret', () => {
    const denied = imagePull.check(snapshot({ ...failing(VLLM, `failed to resolve reference "${VLLM}": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`), releases: otherReleases() }))!;
    expect(denied.fixes.map((x) => x.id)).toEqual([FIX, 'pull-secret', 'pull-by-hand']);
    const gone = imagePull.check(snapshot({ ...failing(VLLM, `failed to resolve reference "${VLLM}": ${VLLM}: not found`), releases: otherReleases() }))!;
    expect(gone.fixes.map((x) => x.id)).toEqual([FIX, 'pull-by-hand']);
    expect(gone.summary).toContain(`llm-d 0.4 — CPU guide, December 2025 runs ${GUIDE_VLLM} instead.`);
  });

  it('a network failure or a rate limit is not cured by another release', () => {
    const offline = imagePull.check(snapshot({ ...failing(VLLM, 'dial tcp: lookup registry-1.docker.io on 192.168.49.1:53: no such host'), releases: otherReleases() }))!;
    expect(offline.fixes.map((x) => x.id)).toEqual(['check-network', 'pull-by-hand']);
  });
});
