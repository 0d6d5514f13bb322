// Test support for the plan's integration tests: fresh simulated worlds (own sim state, kubeconfig, app
// data dir and scenario with faults), the CLI run in-process, and a guarantee that no simulated cluster or
// forwarder outlives the tests even when an assertion skipped `down`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import YAML from 'yaml';
import type { DoctorReport } from '../../../shared/api/doctor.js';
import { parseScenario } from '../../../sim/scenario.js';
import { startRegistry, type SimRegistry } from '../../../sim/registry/server.js';
import { runCli, type CliIo } from '../../cli/main.js';

/**
 * Recorded host facts (LLMD_HOST_FACTS) of a Linux host of this machine's architecture big enough for the
 * defaults (this CI machine is not), written into `dir`; `extra` adds or replaces fields (cpuFeatures …).
 */
export function hostFactsFile(dir: string, extra: Record<string, unknown> = {}): string {
  const file = path.join(dir, 'host.json');
  fs.writeFileSync(file, JSON.stringify({
    os: 'linux', osName: 'Ubuntu', osVersion: '24.04', arch: process.arch === 'arm64' ? 'arm64' : 'x64', archLabel: process.arch === 'arm64' ? 'Linux arm64' : 'Linux x86_64',
    cpuModel: 'test', cpuCores: 16, memoryBytes: 64 * 2 ** 30, diskFreeBytes: 500e9, diskPath: '/', gpu: { nvidia: false, models: [] },
    docker: { installed: true, running: true }, podman: { installed: false },
    ...extra,
  }));
  return file;
}

export function simWorlds() {
  const ROOT = path.resolve(import.meta.dirname, '../../..');
  const dirs: string[] = [];
  const states: string[] = [];
  const registries: SimRegistry[] = [];
  const tmp = () => { const d = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-it-')); dirs.push(d); return d; };

  /** Processes whose environment names this sim state (the cluster process, forwarders). */
  function processesOf(state: string): number[] {
    return fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p)).map(Number).filter((pid) => {
      try {
        return fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`LLMD_SIM_STATE=${state}`);
      } catch {
        return false;
      }
    });
  }

  /**
   * A world with its own simulated registry (what the preflight image check asks, through
   * LLMD_REGISTRY_MIRROR); `scenarioExtra` adds scenario keys beside the faults (e.g. `registry`).
   */
  async function world(faults: unknown[], extraEnv: NodeJS.ProcessEnv = {}, scenarioExtra: Record<string, unknown> = {}) {
    const dir = tmp();
    const scenario = YAML.parse(fs.readFileSync(path.join(ROOT, 'sim', 'scenarios', 'fast.yaml'), 'utf8')) as Record<string, unknown>;
    const text = YAML.stringify({ ...scenario, ...scenarioExtra, faults });
    fs.writeFileSync(path.join(dir, 'scenario.yaml'), text);
    const arch = extraEnv.LLMD_SIM_ARCH === 'arm64' || extraEnv.LLMD_SIM_ARCH === 'amd64' ? extraEnv.LLMD_SIM_ARCH : undefined;
    const registry = await startRegistry({ scenario: parseScenario(text), ...(arch ? { arch } : {}) });
    registries.push(registry);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PATH: [path.join(ROOT, 'sim', 'bin'), path.dirname(process.execPath), process.env.PATH].join(path.delimiter),
      LLMD_SIM_STATE: path.join(dir, 'sim'), LLMD_SIM_SCENARIO: path.join(dir, 'scenario.yaml'),
      KUBECONFIG: path.join(dir, 'kube', 'config'), LLMD_INSTALLER_HOME: path.join(dir, 'home'),
      LLMD_REGISTRY_MIRROR: registry.url,
      ...extraEnv,
    };
    states.push(env.LLMD_SIM_STATE!);
    if (!extraEnv.LLMD_HOST_FACTS) delete env.LLMD_HOST_FACTS;
    delete env.LLMD_REHEARSAL;
    return { dir, env };
  }

  async function cli(args: string[], env: NodeJS.ProcessEnv) {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t), isTTY: false, ask: async () => 'n' };
    const code = await runCli(args, io, env);
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  /**
   * A world with `settings` in settings.json (the docker driver and the sim's mirror unless they say
   * otherwise) after its first `up --yes --json`, and what `doctor --json` says then — the doctor
   * integration tests' starting point; the caller judges `up`.
   */
  async function afterFirstUp(faults: unknown[], settings: Record<string, unknown>, extraEnv: NodeJS.ProcessEnv = {}, scenarioExtra: Record<string, unknown> = {}) {
    const { dir, env } = await world(faults, extraEnv, scenarioExtra);
    env.LLMD_HOST_FACTS = hostFactsFile(dir);
    const home = env.LLMD_INSTALLER_HOME!;
    fs.mkdirSync(home, { recursive: true });
    const mirror = pathToFileURL(path.join(ROOT, 'sim', 'mirror')).href;
    fs.writeFileSync(path.join(home, 'settings.json'), JSON.stringify({ driver: 'docker', mirror, ...settings }));
    const up = await cli(['up', '--yes', '--json'], env);
    const report = JSON.parse((await cli(['doctor', '--json'], env)).out) as DoctorReport;
    return { dir, env, home, up, report };
  }

  async function cleanup(): Promise<void> {
    await Promise.all(registries.splice(0).map((r) => r.close()));
    for (const s of states) for (const pid of processesOf(s)) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  }

  return { ROOT, world, cli, afterFirstUp, processesOf, cleanup };
}
