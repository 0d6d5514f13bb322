// `npm run demo`: the rehearsal mode (docs/architecture.md §6). Starts the web host (built by `npm run build`) with
// the simulated world in front of everything: sim/bin first on PATH, a fresh LLMD_SIM_STATE, a private
// KUBECONFIG and app data dir, the mirror setting pointing at sim/mirror/, the realistic scenario unless
// LLMD_SIM_SCENARIO (or --scenario) says otherwise, and LLMD_REHEARSAL=1 so the UI says it is a rehearsal.
// Ctrl-C stops the web host and every simulated cluster it started, and removes the temporary world.
import { startRegistry } from './registry/server.js';
import { loadScenario } from './scenario.js';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { Settings } from '../shared/api/settings.js';
import { readJson } from './state.js';
import { SIM_ROOT } from './testkit.js';

export function demoEnvironment(base: string, scenario: string, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return {
    ...env,
    PATH: `${join(SIM_ROOT, 'bin')}${delimiter}${env.PATH ?? ''}`,
    LLMD_SIM_ROOT: SIM_ROOT,
    LLMD_SIM_STATE: join(base, 'world'),
    LLMD_SIM_SCENARIO: scenario,
    KUBECONFIG: join(base, 'kubeconfig'),
    LLMD_INSTALLER_HOME: join(base, 'app'),
    LLMD_REHEARSAL: '1',
  };
}

/** The app's settings file for the rehearsal: the guide's defaults with the mirror set to sim/mirror/. */
export function writeDemoSettings(appHome: string): string {
  mkdirSync(appHome, { recursive: true });
  const file = join(appHome, 'settings.json');
  writeFileSync(file, JSON.stringify(Settings.parse({ mirror: pathToFileURL(join(SIM_ROOT, 'mirror')).href }), null, 2));
  return file;
}

export function stopClusters(state: string): void {
  let profiles: string[];
  try { profiles = readdirSync(join(state, 'clusters')); } catch { return; }
  for (const p of profiles) {
    const { pid } = readJson<{ pid?: number }>(join(state, 'clusters', p, 'server.json'), {});
    if (pid) { try { process.kill(pid, 'SIGTERM'); } catch { /* already gone */ } }
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { port: { type: 'string' }, scenario: { type: 'string' }, keep: { type: 'boolean' } }, strict: true });
  const scenario = resolve(values.scenario ?? process.env.LLMD_SIM_SCENARIO ?? join(SIM_ROOT, 'scenarios', 'realistic.yaml'));
  const base = mkdtempSync(join(tmpdir(), 'llmd-rehearsal-'));
  // The simulated registries the preflight image check asks (the engine reaches them through the mirror).
  const registry = await startRegistry({ scenario: loadScenario({ LLMD_SIM_SCENARIO: scenario }) });
  const env: NodeJS.ProcessEnv = { ...demoEnvironment(base, scenario), LLMD_REGISTRY_MIRROR: registry.url };
  writeDemoSettings(String(env.LLMD_INSTALLER_HOME));
  process.stderr.write(`Rehearsal: simulated world in ${base} (scenario ${scenario})\n`);
  const web = spawn(process.execPath, [join(SIM_ROOT, '..', 'out', 'web', 'web.js'), '--port', values.port ?? process.env.PORT ?? '0'], { env, stdio: 'inherit' });
  const cleanup = () => {
    stopClusters(String(env.LLMD_SIM_STATE));
    void registry.close();
    if (!values.keep) setTimeout(() => rmSync(base, { recursive: true, force: true }), 500).unref();
  };
  process.on('SIGINT', () => web.kill('SIGINT'));
  process.on('SIGTERM', () => web.kill('SIGTERM'));
  web.on('exit', (code) => {
    cleanup();
    setTimeout(() => process.exit(code ?? 0), 600);
  });
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(SIM_ROOT, 'demo.ts')) await main();
