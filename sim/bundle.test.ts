// The prebuilt sim (scripts/sim-bundle.mjs, LLMD_SIM_BUNDLE): the launchers run a bundled tool when the
// folder names one and their sources otherwise, the test run's own bundle holds every entry, and a
// bundled tool behaves as its source does — including finding sim/ files (scenarios) through LLMD_SIM_ROOT
// rather than beside itself.
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { FORWARDER_ENTRY, SIM_BUNDLE_ENTRIES } from '../scripts/sim-bundle.mjs';

const SIM = join(import.meta.dirname);
const dirs: string[] = [];
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });
const run = (tool: string, args: string[], env: NodeJS.ProcessEnv) =>
  execa(process.execPath, [join(SIM, 'bin', tool), ...args], { reject: false, env: { ...process.env, LLMD_SIM_ROOT: '', ...env } });

describe('the prebuilt sim', () => {
  it('the launcher runs <LLMD_SIM_BUNDLE>/<tool>.mjs when it exists, else the tool\'s source', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-bundle-test-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'helm.mjs'), "export async function main(args) { process.stdout.write('bundled helm ' + args.join(' ') + ' ' + process.env.LLMD_SIM_ROOT); return 0; }\n");
    const bundled = await run('helm', ['version'], { LLMD_SIM_BUNDLE: dir });
    expect(bundled.stdout).toBe(`bundled helm version ${SIM}`);
    // No bundle of that tool in the folder (or no folder): the source, as before.
    const source = await run('helmfile', ['--version'], { LLMD_SIM_BUNDLE: dir });
    expect(source.stdout).toMatch(/^helmfile version v?\d/);
    const none = await run('helm', ['version', '--short'], { LLMD_SIM_BUNDLE: '' });
    expect(none.stdout.trim()).toMatch(/^v3\./);
  });

  it('this test run has its bundle: every sim tool, the cluster process and the port-forward helper', () => {
    const dir = process.env.LLMD_SIM_BUNDLE;
    expect(dir, 'vitest.config.ts globalSetup sets LLMD_SIM_BUNDLE').toBeTruthy();
    for (const name of Object.keys({ ...SIM_BUNDLE_ENTRIES, ...FORWARDER_ENTRY })) expect(existsSync(join(dir!, `${name}.mjs`)), name).toBe(true);
    expect(process.env.LLMD_FORWARDER_SCRIPT).toBe(join(dir!, 'forwarder.mjs'));
  });

  it('a bundled tool finds sim/ through LLMD_SIM_ROOT, not beside itself: the bundled minikube reads the scenario and starts a cluster', { timeout: 60_000 }, async () => {
    const dir = process.env.LLMD_SIM_BUNDLE!;
    const state = mkdtempSync(join(tmpdir(), 'sim-bundle-world-'));
    dirs.push(state);
    const env = { LLMD_SIM_BUNDLE: dir, LLMD_SIM_STATE: join(state, 'sim'), KUBECONFIG: join(state, 'kubeconfig'), LLMD_SIM_SCENARIO: '' }; // the default: sim/scenarios/fast.yaml
    const start = await run('minikube', ['start', '-p', 'bundled', '--driver', 'docker'], env);
    expect(start.exitCode, start.stderr).toBe(0);
    const status = await run('minikube', ['status', '-p', 'bundled', '--output', 'json'], env);
    expect(JSON.parse(status.stdout)).toMatchObject({ Host: 'Running', APIServer: 'Running' });
    expect((await run('minikube', ['delete', '-p', 'bundled'], env)).exitCode).toBe(0);
  });
});
