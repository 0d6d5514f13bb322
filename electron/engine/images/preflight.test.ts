// The preflight's verdicts and advice for every registry outcome, asked of the simulated registry the way
// the engine asks a real one; and `cli check` showing them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { chooseImages } from '../../../shared/release.js';
import { parseScenario } from '../../../sim/scenario.js';
import { startRegistry, type SimRegistry } from '../../../sim/registry/server.js';
import { runCli, type CliIo } from '../../cli/main.js';
import { loadRelease } from '../stack/releases.js';
import { checkPlanImages } from './preflight.js';

const release = loadRelease('llm-d-0.4-cpu-guide');
const plan = (arch: 'amd64' | 'arm64' = 'amd64') => ({ release, nodeArch: arch, images: chooseImages(release, arch, 'cpu') });
const ref = (role: string, arch: 'amd64' | 'arm64' = 'amd64') => plan(arch).images.find((i) => i.role === role)!.ref;
const repo = (r: string) => r.slice(0, r.lastIndexOf(':'));

const registries: SimRegistry[] = [];
const registry = async (images: unknown[] = [], arch: 'amd64' | 'arm64' = 'amd64') => {
  const r = await startRegistry({ scenario: parseScenario(`timeScale: 0.01\nregistry:\n  images: ${JSON.stringify(images)}\n`), arch });
  registries.push(r);
  return r;
};
afterAll(async () => { await Promise.all(registries.map((r) => r.close())); });

describe('preflight image check', () => {
  it('passes the guide release’s images on amd64 as the simulated registries know them today', async () => {
    const r = await registry();
    const report = await checkPlanImages(plan(), { env: { LLMD_REGISTRY_MIRROR: r.url } });
    expect(report.images.map((i) => [i.role, i.verdict])).toEqual([['vllm', 'ok'], ['routingSidecar', 'ok'], ['epp', 'ok']]);
    expect(report.ok).toBe(true);
  });

  it('the guide’s old amd64 EPP (a removed GHCR package) is a blocker with what to do', async () => {
    const r = await registry();
    const old = { ...plan(), images: plan().images.map((i) => (i.role === 'epp' ? { ...i, ref: 'ghcr.io/llm-d/llm-d-inference-scheduler:v0.4.0', overridden: true } : i)) };
    const report = await checkPlanImages(old, { env: { LLMD_REGISTRY_MIRROR: r.url } });
    const epp = report.images.find((i) => i.role === 'epp')!;
    expect(epp).toMatchObject({ verdict: 'blocker', check: { outcome: 'denied', registry: 'ghcr.io' } });
    expect(epp.advice).toMatch(/removed or made private/);
    expect(report.ok).toBe(false);
  });

  it('tells not-found, arch-missing and rate-limited apart; only the first two block', async () => {
    const r = await registry([
      { match: repo(ref('vllm')), status: 'not-found' },
      { match: repo(ref('routingSidecar')), status: 'rate-limited' },
      { match: repo(ref('epp')), status: 'arch-missing', platforms: ['linux/arm64'] },
    ]);
    const report = await checkPlanImages(plan(), { env: { LLMD_REGISTRY_MIRROR: r.url } });
    const by = Object.fromEntries(report.images.map((i) => [i.role, i]));
    expect(by.vllm).toMatchObject({ verdict: 'blocker', check: { outcome: 'not-found' } });
    expect(by.routingSidecar).toMatchObject({ verdict: 'warning', check: { outcome: 'rate-limited' } });
    expect(by.epp).toMatchObject({ verdict: 'blocker', check: { outcome: 'arch-missing', platforms: ['linux/arm64'] } });
    expect(by.epp!.advice).toContain('no build for amd64');
  });

  it('the guide’s arm64 images are refused on an amd64 node (they are single-arch builds)', async () => {
    const r = await registry([], 'amd64');
    const arm = plan('arm64');
    const report = await checkPlanImages({ ...arm, nodeArch: 'amd64' }, { env: { LLMD_REGISTRY_MIRROR: r.url } });
    expect(report.images.every((i) => i.check.outcome === 'arch-missing')).toBe(true);
  });

  it('an unreachable registry (nothing listening) is a warning, not a blocker', async () => {
    const r = await registry();
    const url = r.url;
    await r.close();
    const report = await checkPlanImages(plan(), { env: { LLMD_REGISTRY_MIRROR: url }, timeoutMs: 3000 });
    expect(report.images.map((i) => i.verdict)).toEqual(['warning', 'warning', 'warning']);
    expect(report.images[0]!.check).toMatchObject({ outcome: 'unreachable', cause: 'refused' });
    expect(report.ok).toBe(true);
  });

  it('`cli check` lists each image with its outcome and fails on a blocker', async () => {
    const r = await registry([{ match: repo(ref('vllm', process.arch === 'arm64' ? 'arm64' : 'amd64')), status: 'denied' }], process.arch === 'arm64' ? 'arm64' : 'amd64');
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-cli-'));
    const out: string[] = [];
    const io: CliIo = { out: (t) => out.push(t), err: (t) => out.push(t), isTTY: false, ask: async () => 'n' };
    const code = await runCli(['check', '--json', '--release', 'llm-d-0.4-cpu-guide'], io, { ...process.env, LLMD_INSTALLER_HOME: home, LLMD_REGISTRY_MIRROR: r.url });
    const doc = JSON.parse(out.join('\n')) as { ok: boolean; images: { images: Array<{ role: string; verdict: string; check: { outcome: string } }> } };
    expect(code).toBe(1);
    expect(doc.ok).toBe(false);
    expect(doc.images.images.find((i) => i.role === 'vllm')).toMatchObject({ verdict: 'blocker', check: { outcome: 'denied' } });
    fs.rmSync(home, { recursive: true, force: true });
  });
});
