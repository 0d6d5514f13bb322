// The cluster process `minikube start -p P` spawns (detached): the API server, the controllers and the
// kubelet of profile P in one Node process. It records {pid, port, url} in
// $LLMD_SIM_STATE/clusters/P/server.json and saves the object store there on SIGTERM (`minikube stop`).
import { existsSync, rmSync } from 'node:fs';
import { startApiServer } from '../apiserver/server.js';
import { InMemoryStore } from '../apiserver/store.js';
import { loadScenario } from '../scenario.js';
import { simNodeArch } from '../registry/arch.js';
import { clusterDir, readJson, stateDir, writeJson } from '../state.js';
import { Controller } from './controller.js';
import { Kubelet } from './kubelet.js';
import { T } from './resources.js';
import { type ClusterConfig, configFile, type ServerInfo, serverFile, storeFile } from './paths.js';

export type { ClusterConfig, ServerInfo };

export async function runCluster(profile: string): Promise<void> {
  const state = stateDir();
  const scenario = loadScenario();
  // LLMD_SIM_ARCH lets an x86 machine rehearse an Apple Silicon node (the kubelet pulls for this arch).
  const arch = simNodeArch();
  const config = readJson<ClusterConfig>(configFile(state, profile), { profile, driver: 'docker', cpus: 2, memoryMiB: 4096, diskGB: 20, kubernetesVersion: 'v1.33.1' });
  const store = new InMemoryStore();
  if (existsSync(storeFile(state, profile))) store.load(storeFile(state, profile));
  const previous = readJson<Partial<ServerInfo>>(serverFile(state, profile), {});
  let server;
  try {
    server = await startApiServer({ store, stateDir: state, profile, port: previous.port ?? 0 });
  } catch {
    server = await startApiServer({ store, stateDir: state, profile, port: 0 });
  }
  if (!store.get(T.nodes, undefined, profile)) {
    store.create(T.nodes, {
      apiVersion: 'v1', kind: 'Node',
      metadata: { name: profile, labels: { 'kubernetes.io/hostname': profile, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': arch, 'minikube.k8s.io/name': profile, 'minikube.k8s.io/primary': 'true', 'node-role.kubernetes.io/control-plane': '' } },
    });
  }
  store.updateStatus(T.nodes, undefined, profile, {
    capacity: { cpu: String(config.cpus), memory: `${config.memoryMiB * 1024}Ki`, 'ephemeral-storage': `${config.diskGB * 1024 * 1024}Ki`, pods: '110' },
    allocatable: { cpu: String(config.cpus), memory: `${config.memoryMiB * 1024}Ki`, pods: '110' },
    conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: new Date().toISOString(), lastTransitionTime: new Date().toISOString() }],
    addresses: [{ type: 'InternalIP', address: '192.168.49.2' }, { type: 'Hostname', address: profile }],
    nodeInfo: { kubeletVersion: config.kubernetesVersion, containerRuntimeVersion: 'docker://28.4.0', osImage: 'Ubuntu 22.04.5 LTS', architecture: arch, operatingSystem: 'linux' },
  });
  const ctx = { store, state, profile, scenario };
  const kubelet = new Kubelet(ctx);
  const controller = new Controller(ctx);
  kubelet.start();
  controller.start();
  writeJson(serverFile(state, profile), { pid: process.pid, port: server.port, url: server.url } satisfies ServerInfo);

  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    controller.stop();
    await kubelet.stop();
    // `minikube delete` removes the folder before signalling; then there is nothing to keep.
    if (existsSync(clusterDir(state, profile))) store.save(storeFile(state, profile));
    store.close();
    await server.close();
    if (existsSync(serverFile(state, profile))) rmSync(serverFile(state, profile), { force: true });
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown());
  process.on('SIGINT', () => void shutdown());
}

const profile = process.argv[2];
// Run as the entry: from its source (main.ts through tsx) or from the prebuilt sim (cluster.mjs,
// scripts/sim-bundle.mjs); imported by a test, it only exports runCluster.
if (profile && /(?:main\.ts|cluster\.mjs)$/.test(process.argv[1] ?? '')) await runCluster(profile);
