// Simulated `minikube`: start (with --mount/--mount-string)/stop/delete/status/profile list/image pull/image ls/
// image save/image load/version/ip, `-p`,
// `--output=json` CloudEvents step lines, kubeconfig written like minikube (first KUBECONFIG entry or
// ~/.kube/config, context named after the profile, made current). `start` spawns the detached cluster
// process (sim/cluster/main.ts) and waits for its /readyz. Fault `minikubeInsufficientMemory` refuses a
// start the way minikube does (RSRC_* reason, exit code 23).
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SIM_KUBERNETES_VERSION } from '../apiserver/server.js';
import { addImage, diskCopyMs, hasImage, listImages, normalizeImage, pullMs } from '../cluster/images.js';
import { type ClusterConfig, configFile, serverFile, type ServerInfo } from '../cluster/paths.js';
import { removeProfileContext, writeProfileContext } from '../kubeconfig.js';
import { simNodeArch } from '../registry/arch.js';
import { faultFailure, pullFailure } from '../registry/pull.js';
import { type Fault, loadScenario, type Scenario, scaledMs } from '../scenario.js';
import { clusterDir, consumeFault, readJson, removePath, sleep, stateDir, writeJson } from '../state.js';
import { type Io, injectedFailure, parseFlags, type Parsed, stdio, str, UsageError } from './cli.js';
import { SIM_VERSIONS, simVersion } from './versions.js';
import { simBundleDir, simRoot } from '../root.js';

/** How to start the cluster process: its bundle when the sim was prebuilt, else its source through tsx. */
function clusterCommand(): string[] {
  const bundled = simBundleDir() ? join(simBundleDir()!, 'cluster.mjs') : '';
  if (bundled && existsSync(bundled)) return [bundled];
  const root = simRoot();
  return ['--import', pathToFileURL(join(root, '..', 'node_modules', 'tsx', 'dist', 'loader.mjs')).href, join(root, 'cluster', 'main.ts')];
}

export const EXIT = { usage: 14, insufficientMemory: 23, guestNotFound: 85, statusStopped: 7 } as const;

const START_STEPS = [
  'Initial Minikube Setup', 'Selecting Driver', 'Downloading Artifacts', 'Starting Node', 'Updating Driver', 'Pulling Base Image',
  'Running on Localhost', 'Local OS Release', 'Creating Container', 'Creating VM', 'Configuring Localhost Environment', 'Running Remotely',
  'Preparing Kubernetes', 'Generating certificates', 'Booting control plane', 'Configuring RBAC rules', 'Configuring CNI',
  'Verifying Kubernetes', 'Enabling Addons', 'Done',
];

class Out {
  constructor(private readonly io: Io, readonly json: boolean) {}
  private styled = process.env.MINIKUBE_IN_STYLE === 'true';
  private cloud(type: string, data: Record<string, string>) {
    this.io.out(JSON.stringify({ specversion: '1.0', id: randomUUID(), source: 'https://minikube.sigs.k8s.io/', type: `io.k8s.sigs.minikube.${type}`, datacontenttype: 'application/json', data }));
  }
  step(name: string, message: string, emoji: string) {
    if (this.json) this.cloud('step', { currentstep: String(START_STEPS.indexOf(name)), message, name, totalsteps: String(START_STEPS.length - 1) });
    else this.io.out(`${this.styled ? `${emoji}  ` : '* '}${message}`);
  }
  info(message: string, emoji = '') {
    if (this.json) this.cloud('info', { message });
    else this.io.out(`${this.styled && emoji ? `${emoji}  ` : '* '}${message}`);
  }
  /** out.WarningT: `! …` (styled `❗  …`), or an `io.k8s.sigs.minikube.warning` event {message} (pkg/minikube/out/register). */
  warning(message: string) {
    if (this.json) this.cloud('warning', { message });
    else this.io.out(`${this.styled ? '❗  ' : '! '}${message}`);
  }
  fatal(reason: string, exitcode: number, message: string, advice: string) {
    if (this.json) this.cloud('error', { advice, exitcode: String(exitcode), issues: '', message, name: reason, url: '' });
    else {
      this.io.err(`${this.styled ? '❌  ' : 'X '}Exiting due to ${reason}: ${message}`);
      this.io.err(`${this.styled ? '💡  ' : '* '}Suggestion: ${advice}`);
    }
  }
}

const PROFILE_FLAG = { profile: { type: 'string', short: 'p' } } as const;
const OUTPUT_FLAG = { output: { type: 'string', short: 'o' } } as const;

export function clusterInfo(state: string, profile: string): ServerInfo | undefined {
  const info = readJson<ServerInfo | undefined>(serverFile(state, profile), undefined);
  if (!info) return undefined;
  try {
    process.kill(info.pid, 0);
    return info;
  } catch {
    return undefined;
  }
}

async function waitReady(url: string, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    try {
      if ((await fetch(`${url}/readyz`)).ok) return true;
    } catch { /* not yet */ }
    await sleep(50);
  }
  return false;
}

async function stopProcess(pid: number): Promise<void> {
  try { process.kill(pid, 'SIGTERM'); } catch { return; }
  for (let i = 0; i < 200; i++) {
    try { process.kill(pid, 0); } catch { return; }
    await sleep(25);
  }
  try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
}

function spawnCluster(state: string, profile: string): void {
  const log = openSync(join(clusterDir(state, profile), 'cluster.log'), 'a');
  const child = spawn(process.execPath, [...clusterCommand(), profile], {
    detached: true, stdio: ['ignore', log, log], env: { ...process.env, LLMD_SIM_STATE: state },
  });
  child.unref();
  closeSync(log);
}

const memMiB = (v: string | undefined, fallback: number): number => {
  if (!v) return fallback;
  const m = /^(\d+)\s*(mb|m|mib|gb|g|gib)?$/i.exec(v.trim());
  if (!m) throw new UsageError(`invalid memory value "${v}"`);
  const n = Number(m[1]);
  return /^g/i.test(m[2] ?? '') ? n * 1024 : n;
};
const diskGB = (v: string | undefined): number => {
  const m = /^(\d+)\s*(g|gb|m|mb)?$/i.exec(v ?? '20g');
  return m ? (/^m/i.test(m[2] ?? '') ? Math.ceil(Number(m[1]) / 1024) : Number(m[1])) : 20;
};

/**
 * `--mount --mount-string=<host>:<node>` (minikube start flags; the KIC drivers bind the folder into the node
 * container when they create it). `--mount-string` without `--mount` mounts nothing.
 */
function mountOf(p: Parsed): { host: string; node: string } | undefined {
  const spec = str(p, 'mount-string');
  if (p.values.mount !== true || !spec) return undefined;
  const i = spec.lastIndexOf(':');
  if (i <= 0) throw new UsageError(`invalid --mount-string "${spec}": want <host directory>:<node directory>`);
  return { host: spec.slice(0, i), node: spec.slice(i + 1) };
}

/**
 * What `minikube image save <image> <file>` writes here: a stand-in for the image's tarball (`docker save`
 * format in the real tool), naming the image and its size so `image load` can restore it without the bytes.
 */
interface SimImageTar { simImageTar: 1; name: string; sizeBytes: number }

async function start(p: Parsed, io: Io, state: string, scenario: Scenario): Promise<number> {
  const profile = str(p, 'profile') ?? 'minikube';
  const out = new Out(io, str(p, 'output') === 'json');
  const running = clusterInfo(state, profile);
  const existing = readJson<ClusterConfig | undefined>(configFile(state, profile), undefined);
  const driver = str(p, 'driver') ?? existing?.driver ?? 'docker';
  const memory = memMiB(str(p, 'memory'), existing?.memoryMiB ?? 6144);
  const cpus = Number(str(p, 'cpus') ?? existing?.cpus ?? 2);
  out.step('Initial Minikube Setup', `[${profile}] minikube v${SIM_VERSIONS.minikube} on Debian 12.12`, '😄');
  const memFault = scenario.faults.find((f) => f.kind === 'minikubeInsufficientMemory');
  if (memFault && memFault.kind === 'minikubeInsufficientMemory' && memory > memFault.systemMiB && !running) {
    const { consumeFault } = await import('../state.js');
    if (consumeFault(state, scenario, memFault)) {
      if (memFault.reason === 'RSRC_OVER_ALLOC_MEM') {
        out.fatal('RSRC_OVER_ALLOC_MEM', EXIT.insufficientMemory, `Requested memory allocation ${memory}MB is more than your system limit ${memFault.systemMiB}MB.`, `Start minikube with less memory allocated: 'minikube start --memory=${memFault.systemMiB}mb'`);
      } else {
        out.fatal('RSRC_INSUFFICIENT_SYS_MEMORY', EXIT.insufficientMemory, `System only has ${memFault.systemMiB}MiB available, less than the required ${memory}MiB for Kubernetes`, 'Free up memory on your system, or start minikube with less memory allocated.');
      }
      return EXIT.insufficientMemory;
    }
  }
  out.step('Selecting Driver', `Using the ${driver} driver based on ${existing ? 'existing profile' : 'user configuration'}`, '✨');
  if (existing) {
    // minikube cannot resize a cluster: a changed --memory/--cpus on an existing profile is ignored with these
    // warnings and the profile keeps its size (kubernetes/minikube cmd/minikube/cmd/start_flags.go
    // updateExistingConfigFromFlags).
    if (str(p, 'memory') !== undefined && memory !== existing.memoryMiB) out.warning('You cannot change the memory size for an existing minikube cluster. Please first delete the cluster.');
    if (str(p, 'cpus') !== undefined && cpus !== existing.cpus) out.warning('You cannot change the CPUs for an existing minikube cluster. Please first delete the cluster.');
  }
  out.step('Starting Node', `Starting "${profile}" primary control-plane node in "${profile}" cluster`, '👍');
  const total = scaledMs(scenario, running ? 2 : scenario.durations.minikubeStart);
  if (running) {
    out.step('Running on Localhost', `Updating the running ${driver} "${profile}" container ...`, '🏃');
  } else {
    out.step('Pulling Base Image', 'Pulling base image v0.0.48 ...', '🚜');
    await sleep(total * 0.2);
    out.step('Creating Container', existing ? `Restarting existing ${driver} container for "${profile}" ...` : `Creating ${driver} container (CPUs=${cpus}, Memory=${memory}MB) ...`, '🔥');
    await sleep(total * 0.3);
    if (!existing) {
      const mount = mountOf(p);
      writeJson(configFile(state, profile), {
        profile, driver, cpus, memoryMiB: memory, diskGB: diskGB(str(p, 'disk-size')), kubernetesVersion: SIM_KUBERNETES_VERSION,
        ...(mount ? { mounts: [mount] } : {}),
      } satisfies ClusterConfig);
      for (const img of scenario.images.preloaded) addImage(state, profile, scenario, img, 'preload');
    }
    spawnCluster(state, profile);
  }
  out.step('Preparing Kubernetes', `Preparing Kubernetes ${SIM_KUBERNETES_VERSION} on Docker 28.4.0 ...`, '🐳');
  await sleep(total * 0.2);
  out.step('Configuring CNI', 'Configuring bridge CNI (Container Networking Interface) ...', '🔗');
  out.step('Verifying Kubernetes', 'Verifying Kubernetes components...', '🔎');
  let info: ServerInfo | undefined;
  const end = Date.now() + 60_000;
  while (!(info = clusterInfo(state, profile)) && Date.now() < end) await sleep(50);
  if (!info || !(await waitReady(info.url, Math.max(0, end - Date.now())))) {
    out.fatal('K8S_APISERVER_MISSING', 80, 'wait 6m0s for node: wait for apiserver proc: apiserver process never appeared', 'Check that the simulated cluster process can start; see its log in the profile folder.');
    return 80;
  }
  await sleep(total * 0.3);
  out.step('Enabling Addons', 'Enabled addons: storage-provisioner, default-storageclass', '🌟');
  const keep = p.values['keep-context'] === true;
  writeProfileContext(profile, info.url, process.env, keep);
  out.step('Done', keep ? `Done! kubectl is configured with a "${profile}" context; the current context was kept` : `Done! kubectl is now configured to use "${profile}" cluster and "default" namespace by default`, '🏄');
  return 0;
}

export async function main(args: string[], io: Io = stdio): Promise<number> {
  const scenario = loadScenario();
  const state = stateDir();
  const [cmd, ...rest] = args;
  try {
    switch (cmd) {
      case 'version': {
        const p = parseFlags(rest, { short: { type: 'boolean' }, ...OUTPUT_FLAG, components: { type: 'boolean' } });
        const version = simVersion(scenario, 'minikube');
        if (str(p, 'output') === 'json') io.out(JSON.stringify({ commit: SIM_VERSIONS.minikubeCommit, minikubeVersion: `v${version}` }));
        else if (p.values.short) io.out(`v${version}`);
        else io.out(`minikube version: v${version}\ncommit: ${SIM_VERSIONS.minikubeCommit}`);
        return 0;
      }
      case 'start': {
        const p = parseFlags(rest, {
          ...PROFILE_FLAG, ...OUTPUT_FLAG, driver: { type: 'string' }, memory: { type: 'string' }, cpus: { type: 'string' }, 'disk-size': { type: 'string' },
          'extra-config': { type: 'string', multiple: true }, mount: { type: 'boolean' }, 'mount-string': { type: 'string' }, gpus: { type: 'string' }, 'kubernetes-version': { type: 'string' }, 'container-runtime': { type: 'string' },
          wait: { type: 'string', multiple: true }, 'wait-timeout': { type: 'string' }, 'keep-context': { type: 'boolean' }, addons: { type: 'string', multiple: true }, 'install-addons': { type: 'boolean' },
        });
        const failed = injectedFailure('minikube', args, scenario, state, io);
        if (failed !== undefined) return failed;
        return await start(p, io, state, scenario);
      }
      case 'stop': {
        const p = parseFlags(rest, { ...PROFILE_FLAG, ...OUTPUT_FLAG, 'keep-context-active': { type: 'boolean' } });
        const failed = injectedFailure('minikube', args, scenario, state, io);
        if (failed !== undefined) return failed;
        const profile = str(p, 'profile') ?? 'minikube';
        const out = new Out(io, str(p, 'output') === 'json');
        if (!existsSync(configFile(state, profile))) {
          out.info(`Profile "${profile}" not found. Run "minikube profile list" to view all profiles.`, '🤷');
          return EXIT.guestNotFound;
        }
        out.info(`Stopping node "${profile}"  ...`, '✋');
        const info = clusterInfo(state, profile);
        await sleep(scaledMs(scenario, scenario.durations.minikubeStop));
        if (info) await stopProcess(info.pid);
        out.info('1 node stopped.', '🛑');
        return 0;
      }
      case 'delete': {
        const p = parseFlags(rest, { ...PROFILE_FLAG, ...OUTPUT_FLAG, all: { type: 'boolean' }, purge: { type: 'boolean' } });
        const failed = injectedFailure('minikube', args, scenario, state, io);
        if (failed !== undefined) return failed;
        const profile = str(p, 'profile') ?? 'minikube';
        const out = new Out(io, str(p, 'output') === 'json');
        const dir = clusterDir(state, profile);
        if (!existsSync(dir)) out.info(`"${profile}" profile does not exist, trying anyways.`, '🔥');
        else {
          const cfg = readJson<ClusterConfig | undefined>(configFile(state, profile), undefined);
          out.info(`Deleting "${profile}" in ${cfg?.driver ?? 'docker'} ...`, '🔥');
          const info = clusterInfo(state, profile);
          await sleep(scaledMs(scenario, scenario.durations.minikubeDelete));
          removePath(dir);
          if (info) await stopProcess(info.pid);
          out.info(`Removing ${join(process.env.HOME ?? '~', '.minikube', 'machines', profile)} ...`, '🔥');
        }
        removeProfileContext(profile);
        out.info(`Removed all traces of the "${profile}" cluster.`, '💀');
        return 0;
      }
      case 'status': {
        const p = parseFlags(rest, { ...PROFILE_FLAG, ...OUTPUT_FLAG, format: { type: 'string', short: 'f' } });
        const profile = str(p, 'profile') ?? 'minikube';
        if (!existsSync(configFile(state, profile))) {
          if (str(p, 'output') === 'json') io.out(JSON.stringify({ Name: profile, Host: 'Nonexistent', Kubelet: 'Nonexistent', APIServer: 'Nonexistent', Kubeconfig: 'Nonexistent', Worker: false }));
          else io.out(`* Profile "${profile}" not found. Run "minikube profile list" to view all profiles.\n  To start a cluster, run: "minikube start -p ${profile}"`);
          return EXIT.guestNotFound;
        }
        const up = clusterInfo(state, profile) ? 'Running' : 'Stopped';
        const doc = { Name: profile, Host: up, Kubelet: up, APIServer: up, Kubeconfig: up === 'Running' ? 'Configured' : 'Stopped', Worker: false };
        if (str(p, 'output') === 'json') io.out(JSON.stringify(doc));
        else io.out(`${profile}\ntype: Control Plane\nhost: ${doc.Host}\nkubelet: ${doc.Kubelet}\napiserver: ${doc.APIServer}\nkubeconfig: ${doc.Kubeconfig}\n`);
        return up === 'Running' ? 0 : EXIT.statusStopped;
      }
      case 'profile': {
        const [sub, ...more] = rest;
        if (sub !== 'list') throw new UsageError(`unknown command "${sub ?? ''}" for "minikube profile"`);
        const p = parseFlags(more, { ...OUTPUT_FLAG, light: { type: 'boolean', short: 'l' } });
        // `profile list` fails too on a real machine (a profile's config unreadable, the driver not answering).
        const failed = injectedFailure('minikube', args, scenario, state, io);
        if (failed !== undefined) return failed;
        const { readdirSync } = await import('node:fs');
        const names = existsSync(join(state, 'clusters')) ? readdirSync(join(state, 'clusters')).filter((n) => existsSync(configFile(state, n))) : [];
        const valid = names.map((n) => {
          const c = readJson<ClusterConfig>(configFile(state, n), { profile: n, driver: 'docker', cpus: 2, memoryMiB: 4096, diskGB: 20, kubernetesVersion: SIM_KUBERNETES_VERSION });
          return {
            Name: n, Status: clusterInfo(state, n) ? 'OK' : 'Stopped', Active: false, ActiveKubeContext: false,
            Config: { Name: n, Driver: c.driver, Memory: c.memoryMiB, CPUs: c.cpus, DiskSize: c.diskGB * 1024,
              KubernetesConfig: { KubernetesVersion: c.kubernetesVersion, ClusterName: n, ContainerRuntime: 'docker' },
              Nodes: [{ Name: '', IP: '192.168.49.2', Port: 8443, KubernetesVersion: c.kubernetesVersion, ContainerRuntime: 'docker', ControlPlane: true, Worker: true }] },
          };
        });
        if (str(p, 'output') === 'json') { io.out(JSON.stringify({ invalid: [], valid })); return 0; }
        if (valid.length === 0) {
          io.err('X Exiting due to MK_USAGE_NO_PROFILE: No minikube profile was found.');
          return EXIT.usage;
        }
        io.out('|---------|-----------|---------|--------------|------|---------|--------|-------|--------|');
        io.out('| Profile | VM Driver | Runtime |      IP      | Port | Version | Status | Nodes | Active |');
        for (const v of valid) io.out(`| ${v.Name} | ${v.Config.Driver} | docker | 192.168.49.2 | 8443 | ${v.Config.KubernetesConfig.KubernetesVersion} | ${v.Status} | 1 | |`);
        return 0;
      }
      case 'image': {
        const [sub, ...more] = rest;
        const p = parseFlags(more, { ...PROFILE_FLAG, format: { type: 'string' }, daemon: { type: 'boolean' }, remote: { type: 'boolean' }, overwrite: { type: 'boolean' } });
        const profile = str(p, 'profile') ?? 'minikube';
        if (sub === 'save' || sub === 'load') {
          const failed = injectedFailure('minikube', args, scenario, state, io);
          if (failed !== undefined) return failed;
          if (!clusterInfo(state, profile)) {
            io.err(`X Exiting due to GUEST_STATUS: state: unknown state "${profile}": docker container inspect ${profile} --format={{.State.Status}}: exit status 1`);
            return 80;
          }
          if (sub === 'save') {
            // `minikube image save IMAGE [OUTPUT]` (minikube PR #12162): to a tarball on the host.
            const [img, output] = p.positionals;
            if (!img || !output) throw new UsageError('Please provide an image in the container runtime to save from minikube via <minikube image save IMAGE_NAME OUTPUT>');
            const entry = listImages(state, profile).find((i) => i.name === normalizeImage(img));
            if (!entry) {
              io.err(`X Exiting due to GUEST_IMAGE_SAVE: Failed to save image: save to dir: caching images: caching image "${output}": nonexistent image: ${normalizeImage(img)}`);
              return 80;
            }
            await sleep(diskCopyMs(scenario, img));
            writeFileSync(output, JSON.stringify({ simImageTar: 1, name: entry.name, sizeBytes: entry.sizeBytes } satisfies SimImageTar));
            return 0;
          }
          // `minikube image load <file.tar>`: from a tarball on the host, nothing from a registry.
          for (const tar of p.positionals) {
            let doc: Partial<SimImageTar> | undefined;
            try { doc = JSON.parse(readFileSync(tar, 'utf8')) as Partial<SimImageTar>; } catch { doc = undefined; }
            if (!doc || doc.simImageTar !== 1 || typeof doc.name !== 'string') {
              io.err(`X Exiting due to GUEST_IMAGE_LOAD: Failed to load image: loading cached images: ${tar}: not an image tarball`);
              return 80;
            }
            if (!hasImage(state, profile, doc.name) || p.values.overwrite !== false) {
              await sleep(diskCopyMs(scenario, doc.name));
              addImage(state, profile, scenario, doc.name, 'load');
            }
          }
          return 0;
        }
        if (sub === 'pull' || sub === 'ls' || sub === 'list') {
          const failed = injectedFailure('minikube', args, scenario, state, io);
          if (failed !== undefined) return failed;
          if (!clusterInfo(state, profile)) {
            io.err(`X Exiting due to GUEST_STATUS: state: unknown state "${profile}": docker container inspect ${profile} --format={{.State.Status}}: exit status 1\nstdout:\n\nstderr:\nError response from daemon: No such container: ${profile}`);
            return 80;
          }
          if (sub === 'pull') {
            for (const img of p.positionals) {
              // An image the registry refuses (the imagePullBackOff fault) fails here as it would in the node.
              const refused = scenario.faults.find((f): f is Extract<Fault, { kind: 'imagePullBackOff' }> => f.kind === 'imagePullBackOff' && img.includes(f.image));
              if (refused && consumeFault(state, scenario, refused)) {
                io.err(`X Exiting due to GUEST_IMAGE_PULL: Failed to pull image: pull image ${img}: ${faultFailure(img, refused.reason, { scenario, arch: simNodeArch() }).detail}`);
                return 80;
              }
              // What the registry says of the image (sim/registry) decides the same way the node's kubelet does.
              const failure = pullFailure(img, { scenario, arch: simNodeArch() });
              if (failure) {
                io.err(`X Exiting due to GUEST_IMAGE_PULL: Failed to pull image: pull image ${img}: ${failure.detail}`);
                return 80;
              }
              await sleep(pullMs(scenario, img));
              addImage(state, profile, scenario, img);
            }
            return 0;
          }
          const images = listImages(state, profile);
          if (str(p, 'format') === 'json') io.out(JSON.stringify(images.map((i) => ({ id: i.name, repoDigests: [], repoTags: [i.name], size: String(i.sizeBytes) }))));
          else for (const i of images) io.out(i.name);
          return 0;
        }
        throw new UsageError(`unknown command "${sub ?? ''}" for "minikube image"`);
      }
      case 'ip': {
        parseFlags(rest, PROFILE_FLAG);
        io.out('192.168.49.2');
        return 0;
      }
      default:
        io.err(`Error: unknown command "${cmd ?? ''}" for "minikube"\nRun 'minikube --help' for usage.`);
        return EXIT.usage;
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`Error: ${err.message}\nSee 'minikube ${cmd ?? ''} --help' for usage.`);
      return EXIT.usage;
    }
    throw err;
  }
}

export { normalizeImage };
