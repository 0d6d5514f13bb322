// Test helper: a store + API server on a free port, a kubeconfig for it in a temp dir, and a bounded
// `kubectl` runner (real /usr/bin/kubectl) with its own cache dir.
import { mkdtempSync, mkdirSync, appendFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tmpdir } from 'node:os';
import { execa } from 'execa';
import { InMemoryStore, type InMemoryStoreOptions } from './store.js';
import { startApiServer, type ApiServer, type ApiServerOptions } from './server.js';
import { kubeconfigFor } from './kubeconfig.js';
import { podLogFile, type KubeObject } from './types.js';

export const PODS = { group: '', version: 'v1', resource: 'pods' };
export const PROFILE = 'minikube';

export interface Harness {
  store: InMemoryStore;
  server: ApiServer;
  dir: string;
  stateDir: string;
  kubeconfig: string;
  kubectl(args: string[], opts?: { timeoutMs?: number; input?: string }): Promise<{ stdout: string; stderr: string; exitCode: number }>;
  /** Appends `<RFC3339Nano> <text>` lines to a container's log file, as the simulated kubelet does. */
  appendLog(namespace: string, pod: string, container: string, lines: string[]): void;
  close(): Promise<void>;
}

export async function startHarness(
  serverOpts: Partial<Omit<ApiServerOptions, 'store' | 'stateDir' | 'profile'>> = {},
  storeOpts: InMemoryStoreOptions = {},
): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'sim-apiserver-'));
  const stateDir = join(dir, 'state');
  const store = new InMemoryStore({ namespaceTerminationMs: 100, ...storeOpts });
  const server = await startApiServer({ store, stateDir, profile: PROFILE, bookmarkIntervalMs: 200, logPollMs: 50, ...serverOpts });
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, kubeconfigFor(server.url));
  const cacheDir = join(dir, 'kube-cache');
  return {
    store, server, dir, stateDir, kubeconfig,
    async kubectl(args, opts = {}) {
      const r = await execa('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir, ...args], {
        reject: false, stripFinalNewline: false, timeout: opts.timeoutMs ?? 20_000, input: opts.input ?? '', env: { HOME: dir },
      });
      return { stdout: String(r.stdout), stderr: String(r.stderr), exitCode: r.exitCode ?? -1 };
    },
    appendLog(namespace, pod, container, lines) {
      const file = podLogFile(stateDir, PROFILE, namespace, pod, container);
      mkdirSync(dirname(file), { recursive: true });
      appendFileSync(file, lines.map((l) => `${new Date().toISOString().replace('Z', '000000Z')} ${l}\n`).join(''));
    },
    async close() {
      store.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function podObject(name: string, labels: Record<string, string> = {}, containers: string[] = ['main'], namespace = 'default'): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace, labels },
    spec: { containers: containers.map((c) => ({ name: c, image: 'sim/image:1' })) },
  };
}

/** The status the simulated kubelet would write for a running pod (ready or not). */
export function runningStatus(containers: string[], ready: boolean): Record<string, unknown> {
  return {
    phase: 'Running', podIP: '10.244.0.7',
    conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }, { type: 'ContainersReady', status: ready ? 'True' : 'False' }],
    containerStatuses: containers.map((name) => ({
      name, ready, restartCount: 0, image: 'sim/image:1', imageID: '', started: true,
      state: { running: { startedAt: new Date().toISOString() } },
    })),
  };
}
