// The web host in rehearsal mode on a "fresh machine": the simulated world (sim/) stands in for the
// tools, and the PATH holds only what such a machine has — the simulated docker (plus node for the sim's
// launchers and the system's /usr/bin). minikube, helm and helmfile must come from the mirror
// (sim/mirror, a file:// mirror laid out like the official release locations).
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { startRegistry } from '../../sim/registry/server.js';
import { loadScenario } from '../../sim/scenario.js';
import { killAll, processesOf } from './processes.js';
import { ROOT, startWebHostProcess, type RunningWebHost } from './web-host.js';

export const SIM = path.join(ROOT, 'sim');
export const MIRROR_URL = pathToFileURL(path.join(SIM, 'mirror')).href;
export const FAST = path.join(SIM, 'scenarios', 'fast.yaml');
const SIM_BUNDLE = path.join(ROOT, 'out', 'sim');
export const fixture = (name: string): string => path.join(ROOT, 'e2e', 'fixtures', name);

export interface SimHost extends RunningWebHost {
  stateDir: string;
  /** Processes started for this world (tools, simulated cluster, forwarders). */
  processes(): ReturnType<typeof processesOf>;
  /** Starts the engine again on the same app data dir and simulated world (after kill or stop). */
  restart(): Promise<SimHost>;
  /** Stops the engine and removes every temporary folder. */
  dispose(): Promise<void>;
}

export interface SimOptions {
  scenario?: string;
  /** Settings written before the engine starts (e.g. the mirror). */
  settings?: Record<string, unknown>;
  /** Recorded host facts (LLMD_HOST_FACTS) instead of this machine's, so a spec judges the same host anywhere. */
  hostFacts?: Record<string, unknown>;
}

export async function startSimHost(opts: SimOptions = {}): Promise<SimHost> {
  const base = await fs.mkdtemp(path.join(os.tmpdir(), 'llmd-sim-e2e-'));
  const dataDir = path.join(base, 'home');
  const stateDir = path.join(base, 'state');
  const machineBin = path.join(base, 'machine-bin');
  await Promise.all([fs.mkdir(dataDir), fs.mkdir(stateDir), fs.mkdir(machineBin)]);
  // A fresh machine has docker and nothing else of ours.
  await fs.symlink(path.join(SIM, 'bin', 'docker'), path.join(machineBin, 'docker'));
  if (opts.settings) await fs.writeFile(path.join(dataDir, 'settings.json'), JSON.stringify(opts.settings));
  const hostFactsFile = path.join(base, 'host.json');
  if (opts.hostFacts) await fs.writeFile(hostFactsFile, JSON.stringify(opts.hostFacts));
  // The simulated registries the preflight image check asks, as the scenario describes them.
  const registry = await startRegistry({ scenario: loadScenario({ LLMD_SIM_SCENARIO: opts.scenario ?? FAST }) });
  const env: NodeJS.ProcessEnv = {
    LLMD_REGISTRY_MIRROR: registry.url,
    PATH: [machineBin, path.dirname(process.execPath), '/usr/bin', '/bin'].join(path.delimiter),
    LLMD_SIM_STATE: stateDir,
    LLMD_SIM_SCENARIO: opts.scenario ?? FAST,
    LLMD_SIM_ROOT: SIM,
    KUBECONFIG: path.join(stateDir, 'kubeconfig'),
    LLMD_REHEARSAL: '1',
    // The sim prebuilt by `npm run build` (out/sim): its tools start without tsx compiling them each time.
    ...(existsSync(SIM_BUNDLE) ? { LLMD_SIM_BUNDLE: SIM_BUNDLE } : {}),
    ...(opts.hostFacts ? { LLMD_HOST_FACTS: hostFactsFile } : {}),
  };
  const launch = async (): Promise<SimHost> => {
    const host = await startWebHostProcess(env, { dataDir });
    const sim: SimHost = {
      ...host,
      stateDir,
      processes: () => processesOf([stateDir, dataDir]).filter((p) => p.pid !== host.pid),
      restart: launch,
      async dispose() {
        await host.stop();
        // The simulated cluster and any port-forward outlive the engine by design: end them here.
        killAll(processesOf([stateDir, dataDir]));
        await registry.close();
        await fs.rm(base, { recursive: true, force: true });
      },
    };
    return sim;
  };
  return launch();
}
