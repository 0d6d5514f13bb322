// A throw-away simulated world for the benchmarks: a fresh machine (only the simulated docker on PATH;
// minikube, helm and helmfile come from the sim's file mirror), the realistic scenario's durations at a
// fixed time scale, the loopback registry, and an app data dir. The same shape as e2e/support/sim-host.ts,
// without a web host, so the CLI and the engine can be driven against it.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse, stringify } from 'yaml';
import { killAll, processesOf } from '../e2e/support/processes.js';
import { startRegistry } from '../sim/registry/server.js';
import { parseScenario, type Scenario } from '../sim/scenario.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SIM = path.join(ROOT, 'sim');
const MIRROR_URL = pathToFileURL(path.join(SIM, 'mirror')).href;
export const REALISTIC = path.join(SIM, 'scenarios', 'realistic.yaml');

export interface SimWorld {
  base: string;
  dataDir: string;
  stateDir: string;
  scenario: Scenario;
  scenarioFile: string;
  env: NodeJS.ProcessEnv;
  /** A second app data dir in the same world (for the one-by-one anchor run). */
  freshDataDir(name: string): Promise<string>;
  dispose(): Promise<void>;
}

/** The realistic scenario at another time scale: the proportions stay a real laptop's. */
export async function scaledScenario(dir: string, timeScale: number): Promise<{ file: string; scenario: Scenario }> {
  const doc = parse(await fs.readFile(REALISTIC, 'utf8')) as Record<string, unknown>;
  const text = stringify({ ...doc, name: `realistic-x${timeScale}`, timeScale });
  const file = path.join(dir, 'scenario.yaml');
  await fs.writeFile(file, text);
  return { file, scenario: parseScenario(text, file) };
}

// 4 CPUs: the sim's scheduler counts requests (node.accountResources), and 2 replicas + the stack do not fit 2.
const SETTINGS = { mirror: MIRROR_URL, cpus: 4, memoryMiB: 16384, diskGB: 50, replicas: 2 };

export async function startSimWorld(timeScale: number): Promise<SimWorld> {
  const base = await fs.mkdtemp(path.join(os.tmpdir(), 'llmd-bench-'));
  const dataDir = path.join(base, 'home');
  const stateDir = path.join(base, 'state');
  const machineBin = path.join(base, 'machine-bin');
  await Promise.all([fs.mkdir(dataDir), fs.mkdir(stateDir), fs.mkdir(machineBin)]);
  await fs.symlink(path.join(SIM, 'bin', 'docker'), path.join(machineBin, 'docker'));
  await fs.writeFile(path.join(dataDir, 'settings.json'), JSON.stringify(SETTINGS));
  const { file: scenarioFile, scenario } = await scaledScenario(base, timeScale);
  const registry = await startRegistry({ scenario });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LLMD_INSTALLER_HOME: dataDir,
    LLMD_REGISTRY_MIRROR: registry.url,
    PATH: [machineBin, path.dirname(process.execPath), '/usr/bin', '/bin'].join(path.delimiter),
    LLMD_SIM_STATE: stateDir,
    LLMD_SIM_SCENARIO: scenarioFile,
    LLMD_SIM_ROOT: SIM,
    KUBECONFIG: path.join(stateDir, 'kubeconfig'),
    LLMD_REHEARSAL: '1',
  };
  const homes = [dataDir];
  return {
    base, dataDir, stateDir, scenario, scenarioFile, env,
    async freshDataDir(name) {
      const dir = path.join(base, name);
      await fs.mkdir(dir);
      await fs.writeFile(path.join(dir, 'settings.json'), JSON.stringify(SETTINGS));
      homes.push(dir);
      return dir;
    },
    async dispose() {
      // The simulated cluster and port-forwards outlive the CLI by design: end exactly this world's.
      killAll(processesOf([stateDir, ...homes]));
      await registry.close();
      await fs.rm(base, { recursive: true, force: true });
    },
  };
}
