// Faults injected from the sim's scenario, one per step of the cluster part of the plan: each run stops
// at the step that failed, with the tool's or the cluster's own message, and nothing after it ran.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { chooseImages } from '../../../shared/release.js';
import { DEFAULT_RELEASE_ID } from '../../../shared/stack.js';
import { loadRelease } from '../stack/releases.js';
import { simWorlds } from './sim-worlds.testkit.js';

const { ROOT, world, cli, cleanup } = simWorlds();
afterAll(cleanup);
const mirror = pathToFileURL(path.join(ROOT, 'sim', 'mirror')).href;

interface UpResult { error: { message: string; hint?: string }; steps: Array<{ id: string; state: string }> }
const up = async (env: NodeJS.ProcessEnv, mirrorUrl = mirror, extra: string[] = []) => {
  const r = await cli(['up', '--yes', '--json', '--mirror', mirrorUrl, ...extra], env);
  expect(r.code, r.out).toBe(1);
  return JSON.parse(r.out) as UpResult;
};
const stateOf = (r: UpResult, id: string) => r.steps.find((s) => s.id === id)?.state;

describe('faults surfaced by the step they hit', () => {
  it('CRDs: a release manifest missing from the mirror fails the CRD step naming the URL', { timeout: 180_000 }, async () => {
    const { dir, env } = await world([]);
    const copy = path.join(dir, 'mirror');
    fs.cpSync(path.join(ROOT, 'sim', 'mirror'), copy, { recursive: true });
    fs.rmSync(path.join(copy, 'github.com', 'kubernetes-sigs', 'gateway-api-inference-extension'), { recursive: true, force: true });
    const r = await up(env, pathToFileURL(copy).href);
    expect(stateOf(r, 'crds')).toBe('failed');
    expect(r.error.message).toContain('gateway-api-inference-extension');
    expect(stateOf(r, 'stack')).not.toBe('done');
  });

  it('monitoring: helm failing the kube-prometheus-stack install shows helm’s error', { timeout: 180_000 }, async () => {
    const { env } = await world([{ tool: 'helm', match: 'kube-prometheus-stack', exitCode: 1, stderr: 'Error: INSTALLATION FAILED: timed out waiting for the condition' }]);
    const r = await up(env);
    expect(stateOf(r, 'monitoring')).toBe('failed');
    expect(r.error.message).toContain('timed out waiting for the condition');
    expect(stateOf(r, 'stack')).not.toBe('done');
  });

  it('stack: helm failing the router chart of today’s llm-d shows helm’s error', { timeout: 180_000 }, async () => {
    const { env } = await world([{ tool: 'helm', match: 'llm-d-router-standalone', exitCode: 1, stderr: 'Error: UPGRADE FAILED: another operation (install/upgrade/rollback) is in progress' }]);
    const r = await up(env);
    expect(stateOf(r, 'stack')).toBe('failed');
    expect(r.error.message).toContain('another operation (install/upgrade/rollback) is in progress');
    expect(stateOf(r, 'ready')).not.toBe('done');
  });

  it('stack: helmfile failing the sync of the guide’s llm-d releases shows helmfile’s error', { timeout: 180_000 }, async () => {
    const { env } = await world([{ tool: 'helmfile', match: `stack${path.sep}current${path.sep}helmfile.yaml`, exitCode: 1, stderr: 'Error: UPGRADE FAILED: another operation (install/upgrade/rollback) is in progress' }]);
    const r = await up(env, mirror, ['--release', 'llm-d-0.4-cpu-guide']);
    expect(stateOf(r, 'stack')).toBe('failed');
    expect(r.error.message).toContain('another operation (install/upgrade/rollback) is in progress');
    expect(stateOf(r, 'route')).not.toBe('done');
  });

  it('image-check: an image its registry denies stops the install before the cluster starts, naming it and what to do', async () => {
    const arch = process.arch === 'arm64' ? 'arm64' : 'amd64';
    const epp = chooseImages(loadRelease(DEFAULT_RELEASE_ID), arch, 'cpu').find((i) => i.role === 'epp')!.ref;
    const { env } = await world([], {}, { registry: { images: [{ match: epp.split(':')[0], status: 'denied' }] } });
    const r = await up(env);
    expect(stateOf(r, 'image-check')).toBe('failed');
    for (const later of ['podman-machine', 'minikube-start', 'crds', 'stack']) expect(['done', 'running', 'failed']).not.toContain(stateOf(r, later));
    expect(r.error.message).toContain(epp);
    expect(r.error.message).toMatch(/denied/i);
    expect(r.error.hint).toMatch(/another stack release|Configure → Advanced/);
    // No cluster was created: the doomed install cost seconds, not a cluster start and pulls.
    expect(fs.existsSync(path.join(env.LLMD_SIM_STATE!, 'clusters')) ? fs.readdirSync(path.join(env.LLMD_SIM_STATE!, 'clusters')) : []).toEqual([]);
  });

  it('ready: an image the node cannot pull fails the wait with the pull error, not a timeout', { timeout: 180_000 }, async () => {
    const arch = process.arch === 'arm64' ? 'arm64' : 'amd64';
    const epp = chooseImages(loadRelease(DEFAULT_RELEASE_ID), arch, 'cpu').find((i) => i.role === 'epp')!.ref;
    const { env } = await world([{ kind: 'imagePullBackOff', image: epp }], { LLMD_READY_BACKOFF_GRACE_MS: '1000' });
    const r = await up(env);
    expect(stateOf(r, 'ready')).toBe('failed');
    expect(r.error.message).toMatch(/(ErrImagePull|ImagePullBackOff)/);
    expect(stateOf(r, 'smoke-test')).not.toBe('done');
  });
});
