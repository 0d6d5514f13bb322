// Helpers for the simulated world's tests: a private state folder and kubeconfig per suite, the sim tools
// run as processes (exactly as the engine runs them), the guide's stack installed, and cleanup of every
// cluster process a suite started.
import { execa } from 'execa';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KubeConfig, PortForward } from '@kubernetes/client-node';
import { SIM_CRD_MANIFESTS } from './upstream.js';
import { readJson } from './state.js';
import { mirrorPath } from './mirror/build.js';

export const SIM_ROOT = dirname(fileURLToPath(import.meta.url));
export const GUIDE = join(SIM_ROOT, 'fixtures', 'guide');

export interface World {
  state: string;
  env: NodeJS.ProcessEnv;
  run: (tool: string, args: string[], opts?: { cwd?: string; reject?: boolean }) => Promise<{ exitCode: number; stdout: string; stderr: string }>;
  kubectl: (args: string[]) => Promise<{ exitCode: number; stdout: string; stderr: string }>;
  cleanup: () => Promise<void>;
}

export function makeWorld(scenarioYaml?: string): World {
  const state = mkdtempSync(join(tmpdir(), 'llmd-sim-test-'));
  let scenario = join(SIM_ROOT, 'scenarios', 'fast.yaml');
  if (scenarioYaml) {
    scenario = join(state, 'scenario.yaml');
    writeFileSync(scenario, scenarioYaml);
  }
  const env = {
    ...process.env, PATH: `${join(SIM_ROOT, 'bin')}:${process.env.PATH ?? ''}`, LLMD_SIM_STATE: join(state, 'world'), LLMD_SIM_SCENARIO: scenario,
    LLMD_SIM_ROOT: SIM_ROOT, KUBECONFIG: join(state, 'kubeconfig'), HOME: state,
    // The guide's own files (fixtures/guide) name arm64-only images: its node is Apple Silicon's. An amd64
    // node refuses them (no match for platform), as the real kubelet would.
    LLMD_SIM_ARCH: 'arm64',
  };
  const run: World['run'] = async (tool, args, opts = {}) => {
    const r = await execa(tool === 'kubectl' ? '/usr/bin/kubectl' : join(SIM_ROOT, 'bin', tool), args, { env, cwd: opts.cwd ?? state, reject: false, timeout: 120_000 });
    return { exitCode: r.exitCode ?? 1, stdout: String(r.stdout), stderr: String(r.stderr) };
  };
  return {
    state, env, run, kubectl: (args) => run('kubectl', args),
    cleanup: async () => {
      const clusters = join(state, 'world', 'clusters');
      let profiles: string[] = [];
      try { profiles = readdirSync(clusters); } catch { /* none */ }
      for (const p of profiles) {
        const info = readJson<{ pid?: number }>(join(clusters, p, 'server.json'), {});
        if (info.pid) { try { process.kill(info.pid, 'SIGKILL'); } catch { /* gone */ } }
      }
      rmSync(state, { recursive: true, force: true });
    },
  };
}

export const pidAlive = (pid: number): boolean => { try { process.kill(pid, 0); return true; } catch { return false; } };

/** The guide's install, as the engine does it: cluster, CRDs, Istio, monitoring, the stack, the route. */
export async function installStack(w: World, opts: { eppVerbosity?: number } = {}): Promise<void> {
  const must = async (p: Promise<{ exitCode: number; stdout: string; stderr: string }>, what: string) => {
    const r = await p;
    if (r.exitCode !== 0) throw new Error(`${what} failed (${r.exitCode}): ${r.stderr}\n${r.stdout}`);
    return r;
  };
  await must(w.run('minikube', ['start', '-p', 'llm-d-cpu', '--driver=docker', '--memory=24576', '--cpus=8', '--disk-size=100g']), 'minikube start');
  await must(w.kubectl(['apply', '--server-side', '-f', mirrorPath(SIM_CRD_MANIFESTS.gatewayApi.url), '-f', mirrorPath(SIM_CRD_MANIFESTS.gaie.url)]), 'CRDs');
  await must(w.run('helmfile', ['sync', '-f', join(GUIDE, 'istio.helmfile.yaml')]), 'istio');
  await must(w.run('helm', ['repo', 'add', 'prometheus-community', 'https://prometheus-community.github.io/helm-charts']), 'repo add');
  await must(w.run('helm', ['upgrade', '--install', 'llmd', 'prometheus-community/kube-prometheus-stack', '-n', 'llm-d-monitoring', '--create-namespace']), 'monitoring');
  const set = opts.eppVerbosity ? ['--set', `inferenceExtension.flags.v=${opts.eppVerbosity}`] : [];
  await must(w.run('helmfile', ['sync', '-f', join(GUIDE, 'helmfile.yaml'), '-n', 'llm-d-cpu-inference', ...set]), 'helmfile sync');
  await must(w.kubectl(['apply', '-f', join(GUIDE, 'httproute.yaml'), '-n', 'llm-d-cpu-inference']), 'httproute');
}

export const OPTIMIZED_BASELINE = join(SIM_ROOT, 'fixtures', 'optimized-baseline');
export const STANDALONE_NS = 'llm-d-optimized-baseline';
export const STANDALONE_CHART = 'oci://ghcr.io/llm-d/charts/llm-d-router-standalone';

/**
 * llm-d v0.9.0's optimized-baseline in Standalone mode, as its README installs it (llm-d-current-facts.md
 * §1-§4): cluster, the Gateway API v1.5.1 and GAIE v1.5.0 CRDs from the mirror, the router chart pinned to
 * v0.10.0 with laptop values (fixtures/optimized-baseline/router-values.yaml), then the model servers as a
 * plain Deployment applied with kubectl (fixtures/optimized-baseline/decode.yaml, the kustomize output).
 */
export async function installStandalone(w: World): Promise<void> {
  const must = async (p: Promise<{ exitCode: number; stdout: string; stderr: string }>, what: string) => {
    const r = await p;
    if (r.exitCode !== 0) throw new Error(`${what} failed (${r.exitCode}): ${r.stderr}\n${r.stdout}`);
    return r;
  };
  await must(w.run('minikube', ['start', '-p', 'llm-d-cpu', '--driver=docker', '--memory=24576', '--cpus=8', '--disk-size=100g']), 'minikube start');
  await must(w.kubectl(['apply', '--server-side', '-f', mirrorPath(SIM_CRD_MANIFESTS.gatewayApiV151.url), '-f', mirrorPath(SIM_CRD_MANIFESTS.gaieV150.url)]), 'CRDs');
  await must(w.run('helm', ['install', 'optimized-baseline', STANDALONE_CHART, '--version', 'v0.10.0', '-n', STANDALONE_NS, '--create-namespace',
    '-f', join(OPTIMIZED_BASELINE, 'router-values.yaml')]), 'helm install');
  await must(w.kubectl(['apply', '-n', STANDALONE_NS, '-f', join(OPTIMIZED_BASELINE, 'decode.yaml')]), 'model servers');
}

/** A local port forwarded to a pod's port through the simulated API server, as the app does it. */
export async function portForward(w: World, namespace: string, pod: string, port: number): Promise<{ port: number; server: Server }> {
  const kc = new KubeConfig();
  kc.loadFromFile(String(w.env.KUBECONFIG));
  const forward = new PortForward(kc);
  const server = createServer((socket) => {
    socket.on('error', () => undefined);
    void forward.portForward(namespace, pod, [port], socket, null, socket).catch(() => socket.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  return { port: typeof addr === 'object' && addr ? addr.port : 0, server };
}

/** Polls `fn` until it returns something truthy (bounded; the sim's clusters settle in milliseconds to seconds). */
export async function until<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 30_000, everyMs = 150): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
