// The Playground's end-to-end world: the simulated cluster with the guide's stack installed directly
// (sim/testkit's installStack: minikube start, CRDs, Istio, monitoring, helmfile sync with the EPP at
// --v 3, the HTTPRoute) — not through the engine's install steps — then the web host on top of it in
// rehearsal mode. Teardown deletes the cluster, stops the forwarders the engine started and checks
// that no process of ours is left.
import fs from 'node:fs';
import path from 'node:path';
import { installStack, makeWorld, pidAlive, type World } from '../../sim/testkit.js';
import { releaseSelectors } from '../../shared/release.js';
import { NAMESPACE_DEFAULT } from '../../shared/stack.js';
import { loadRelease } from '../../electron/engine/stack/releases.js';
import { ROOT, startWebHostProcess, type RunningWebHost } from './web-host.js';

/** installStack deploys the guide's stack: the engine is told so in its settings. */
export const GUIDE_RELEASE_ID = 'llm-d-0.4-cpu-guide';
const SELECTORS = releaseSelectors(loadRelease(GUIDE_RELEASE_ID)) as Required<ReturnType<typeof releaseSelectors>>; // the guide release has an Istio gateway

export const NS = NAMESPACE_DEFAULT;

export interface PlaygroundWorld {
  world: World;
  host: RunningWebHost;
  /** Pids of the forwarders the engine recorded (run/forwards/*.json). */
  forwarderPids(): number[];
  gatewayForwarderPid(): number | undefined;
  kubectl(args: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }>;
  teardown(): Promise<string[]>;
}

const readPid = (file: string): number | undefined => {
  try {
    const pid = (JSON.parse(fs.readFileSync(file, 'utf8')) as { pid?: unknown }).pid;
    return typeof pid === 'number' ? pid : undefined;
  } catch {
    return undefined;
  }
};

/** `scenarioYaml` replaces the Playground fixture (the benchmarks stream faster replicas). */
export async function startPlaygroundWorld(scenarioYaml?: string): Promise<PlaygroundWorld> {
  const world = makeWorld(scenarioYaml ?? fs.readFileSync(path.join(ROOT, 'e2e', 'fixtures', 'playground-scenario.yaml'), 'utf8'));
  const seen = new Set<number>();
  let host: RunningWebHost | undefined;
  try {
    await installStack(world, { eppVerbosity: 3 });
    const wait = await world.kubectl(['wait', '--for=condition=Ready', 'pod', '-l', SELECTORS.decode, '-n', NS, '--timeout=90s']);
    if (wait.exitCode !== 0) throw new Error(`decode pods did not become Ready: ${wait.stderr}`);
    const gw = await world.kubectl(['wait', '--for=condition=Ready', 'pod', '-l', SELECTORS.gateway, '-n', NS, '--timeout=60s']);
    if (gw.exitCode !== 0) throw new Error(`gateway pod did not become Ready: ${gw.stderr}`);
    const dataDir = path.join(world.state, 'app-home');
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(path.join(dataDir, 'settings.json'), JSON.stringify({ release: GUIDE_RELEASE_ID }));
    host = await startWebHostProcess({ ...world.env, LLMD_REHEARSAL: '1' }, { dataDir });
  } catch (e) {
    await world.cleanup();
    throw e;
  }
  const h = host;
  const forwardsDir = path.join(h.dataDir, 'run', 'forwards');
  const forwarderPids = (): number[] => {
    let files: string[] = [];
    try { files = fs.readdirSync(forwardsDir).filter((f) => f.endsWith('.json')); } catch { /* none yet */ }
    const pids = files.map((f) => readPid(path.join(forwardsDir, f))).filter((p): p is number => p !== undefined);
    pids.forEach((p) => seen.add(p));
    return pids;
  };
  return {
    world,
    host: h,
    forwarderPids,
    gatewayForwarderPid: () => {
      const pid = readPid(path.join(forwardsDir, 'gateway.json'));
      if (pid) seen.add(pid);
      return pid;
    },
    kubectl: (args) => world.kubectl(args),
    async teardown() {
      forwarderPids();
      const clusterPids = (() => {
        const dir = path.join(String(world.env.LLMD_SIM_STATE), 'clusters');
        try { return fs.readdirSync(dir).map((p) => readPid(path.join(dir, p, 'server.json'))).filter((p): p is number => p !== undefined); } catch { return []; }
      })();
      await world.run('minikube', ['delete', '-p', 'llm-d-cpu']).catch(() => undefined);
      for (const pid of seen) {
        try { process.kill(pid, 'SIGTERM'); } catch { /* already gone */ }
      }
      await h.stop();
      await world.cleanup();
      // Whatever is still alive after a short grace is a leak: report it and kill it.
      const deadline = Date.now() + 3000;
      const ours = [...seen, ...clusterPids];
      while (ours.some(pidAlive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const left = ours.filter(pidAlive);
      for (const pid of left) {
        try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
      }
      return left.map(String);
    },
  };
}
