// Simulated `podman`: `version`, `info`, and `machine init|start|stop|set|list|inspect|rm` — the calls the
// installer makes on macOS (docs/architecture.md §4 step 3). Machines live in $LLMD_SIM_STATE/podman/machines.json.
// Scenario faults `podmanRootless` / `podmanTooSmall` seed an existing default machine that is rootless
// or smaller than the guide needs, and `podmanStuckStarting` one that hangs in "starting" (podman on macOS:
// `list` says Starting, `inspect` State "starting", `start` refuses; `stop` clears it), so the app's "fix
// the machine" path and the doctor can be rehearsed. `oldTool` (tool: podman) makes it report an old version.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { loadScenario, type Scenario, scaledMs } from '../scenario.js';
import { readJson, sleep, stateDir, writeJson } from '../state.js';
import { bool, type Io, injectedFailure, parseFlags, stdio, str, UsageError } from './cli.js';
import { formatGo } from './docker.js';
import { goArch, goOs, SIM_VERSIONS, simVersion } from './versions.js';

export interface Machine {
  Name: string;
  CPUs: number;
  MemoryMiB: number;
  DiskGiB: number;
  Rootful: boolean;
  State: 'running' | 'stopped' | 'starting';
  Created: string;
  LastUp: string;
}

const DEFAULT_MACHINE = 'podman-machine-default';
const machinesFile = (state: string) => join(state, 'podman', 'machines.json');

/** Loads the machines; on first use, seeds the existing machine a podman fault describes. */
export function loadMachines(state: string, scenario: Scenario): Machine[] {
  const file = machinesFile(state);
  if (existsSync(file)) return readJson<Machine[]>(file, []);
  const seeded: Machine[] = [];
  const now = new Date().toISOString();
  const base: Machine = { Name: DEFAULT_MACHINE, CPUs: 10, MemoryMiB: 28672, DiskGiB: 120, Rootful: true, State: 'stopped', Created: now, LastUp: now };
  for (const f of scenario.faults) {
    if (f.kind === 'podmanRootless') seeded[0] = { ...(seeded[0] ?? base), Rootful: false };
    if (f.kind === 'podmanTooSmall') seeded[0] = { ...(seeded[0] ?? base), CPUs: f.cpus, MemoryMiB: f.memoryMiB, DiskGiB: f.diskGiB };
    if (f.kind === 'podmanStuckStarting') seeded[0] = { ...(seeded[0] ?? base), State: 'starting' };
  }
  writeJson(file, seeded);
  return seeded;
}
const saveMachines = (state: string, machines: Machine[]) => writeJson(machinesFile(state), machines);

const clientDoc = (version: string = SIM_VERSIONS.podman) => ({
  APIVersion: version, Version: version, GoVersion: SIM_VERSIONS.go, GitCommit: '',
  BuiltTime: 'Tue Sep  2 00:00:00 2025', Built: 1756771200, BuildOrigin: 'pkg', OsArch: `${goOs()}/${goArch()}`, Os: goOs(),
});

function listDoc(m: Machine, isDefault: boolean) {
  return {
    Name: m.Name, Default: isDefault, Created: m.Created, Running: m.State === 'running', Starting: m.State === 'starting', LastUp: m.LastUp,
    Stream: 'default', VMType: goOs() === 'darwin' ? 'applehv' : 'qemu', CPUs: m.CPUs,
    Memory: String(m.MemoryMiB * 1024 * 1024), Swap: '0', DiskSize: String(m.DiskGiB * 1024 ** 3), Port: 50000,
    RemoteUsername: 'core', IdentityPath: join(homedir(), '.local/share/containers/podman/machine', m.Name), UserModeNetworking: false,
  };
}

function inspectDoc(m: Machine) {
  const dir = join(homedir(), '.config/containers/podman/machine');
  return {
    ConfigDir: { Path: dir },
    ConnectionInfo: { PodmanSocket: { Path: `/var/folders/sim/podman/${m.Name}-api.sock` }, PodmanPipe: null },
    Created: m.Created, LastUp: m.LastUp, Name: m.Name,
    Resources: { CPUs: m.CPUs, DiskSize: m.DiskGiB, Memory: m.MemoryMiB, USBs: [] },
    SSHConfig: { IdentityPath: join(homedir(), '.local/share/containers/podman/machine', m.Name), Port: 50000, RemoteUsername: 'core' },
    State: m.State, UserModeNetworking: false, Rootful: m.Rootful, Rosetta: goArch() === 'arm64',
  };
}

const MACHINE_FLAGS = {
  cpus: { type: 'string' }, memory: { type: 'string', short: 'm' }, 'disk-size': { type: 'string' }, rootful: { type: 'boolean' },
  now: { type: 'boolean' }, format: { type: 'string' }, force: { type: 'boolean', short: 'f' }, 'user-mode-networking': { type: 'boolean' },
  image: { type: 'string' }, quiet: { type: 'boolean', short: 'q' }, 'no-info': { type: 'boolean' },
} as const;
const positiveInt = (v: string | undefined, flag: string): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`invalid argument "${v}" for "--${flag}" flag: strconv.ParseUint: parsing "${v}": invalid syntax`);
  return n;
};

async function machine(args: string[], io: Io, state: string, scenario: Scenario): Promise<number> {
  const [sub, ...rest] = args;
  const allowed: Record<string, readonly (keyof typeof MACHINE_FLAGS)[]> = {
    init: ['cpus', 'memory', 'disk-size', 'rootful', 'now', 'user-mode-networking', 'image'],
    start: ['quiet', 'no-info'], stop: [], set: ['cpus', 'memory', 'disk-size', 'rootful', 'user-mode-networking'],
    list: ['format', 'quiet'], ls: ['format', 'quiet'], inspect: ['format'], rm: ['force'],
  };
  const names = sub ? allowed[sub] : undefined;
  if (!sub || !names) {
    io.err(`Error: unrecognized command \`podman machine ${sub ?? ''}\`\nTry 'podman machine --help' for more information`);
    return 125;
  }
  const p = parseFlags(rest, Object.fromEntries(names.map((n) => [n, MACHINE_FLAGS[n]])));
  const machines = loadMachines(state, scenario);
  const name = p.positionals[0] ?? DEFAULT_MACHINE;
  const m = machines.find((x) => x.Name === name);
  const notFound = () => { io.err(`Error: ${name}: VM does not exist`); return 125; };
  switch (sub) {
    case 'init': {
      if (m) { io.err(`Error: ${name}: VM already exists`); return 125; }
      io.out(`Looking up Podman Machine image at quay.io/podman/machine-os:${SIM_VERSIONS.podman.split('.').slice(0, 2).join('.')} to create VM`);
      io.out('Getting image source signatures');
      io.out('Copying blob sha256:3f1c4a4ee0c9a2b7c6e2e2a8b4d9f9c7b51d1f6b2c3a5e8f0d7c6b5a4e3d2c1b');
      await sleep(scaledMs(scenario, scenario.durations.podmanMachineInit));
      io.out('Writing manifest to image destination');
      const now = new Date().toISOString();
      const created: Machine = {
        Name: name, CPUs: positiveInt(str(p, 'cpus'), 'cpus') ?? 6, MemoryMiB: positiveInt(str(p, 'memory'), 'memory') ?? 2048,
        DiskGiB: positiveInt(str(p, 'disk-size'), 'disk-size') ?? 100, Rootful: bool(p, 'rootful') ?? false, State: 'stopped', Created: now, LastUp: now,
      };
      machines.push(created);
      saveMachines(state, machines);
      io.out('Machine init complete');
      if (bool(p, 'now')) return startMachine(created, machines, io, state, scenario);
      io.out(`To start your machine run:\n\n\tpodman machine start${name === DEFAULT_MACHINE ? '' : ` ${name}`}\n`);
      return 0;
    }
    case 'start':
      if (!m) return notFound();
      if (m.State !== 'stopped') { io.err(`Error: unable to start "${name}": machine ${name}: VM already running or starting`); return 125; }
      if (machines.some((x) => x.State !== 'stopped')) { io.err(`Error: unable to start "${name}": machine ${machines.find((x) => x.State !== 'stopped')?.Name}: VM already running or starting`); return 125; }
      return startMachine(m, machines, io, state, scenario);
    case 'stop':
      if (!m) return notFound();
      await sleep(scaledMs(scenario, scenario.durations.podmanMachineStop));
      m.State = 'stopped';
      saveMachines(state, machines);
      io.out(`Machine "${name}" stopped successfully`);
      return 0;
    case 'set': {
      if (!m) return notFound();
      if (m.State !== 'stopped') { io.err(`Error: unable to change settings unless vm is stopped`); return 125; }
      const disk = positiveInt(str(p, 'disk-size'), 'disk-size');
      if (disk !== undefined && disk <= m.DiskGiB) { io.err(`Error: new disk size must be larger than ${m.DiskGiB} GB`); return 125; }
      m.CPUs = positiveInt(str(p, 'cpus'), 'cpus') ?? m.CPUs;
      m.MemoryMiB = positiveInt(str(p, 'memory'), 'memory') ?? m.MemoryMiB;
      m.DiskGiB = disk ?? m.DiskGiB;
      const rootful = bool(p, 'rootful');
      if (rootful !== undefined) m.Rootful = rootful;
      saveMachines(state, machines);
      return 0;
    }
    case 'list':
    case 'ls': {
      const fmt = str(p, 'format');
      const docs = machines.map((x, i) => listDoc(x, i === 0));
      if (fmt === 'json' || fmt === '{{json .}}') io.out(JSON.stringify(docs, null, 2));
      else if (fmt) for (const d of docs) io.out(formatGo(d, fmt));
      else {
        io.out('NAME                     VM TYPE     CREATED        LAST UP            CPUS        MEMORY      DISK SIZE');
        for (const [i, x] of machines.entries()) io.out(`${(x.Name + (i === 0 ? '*' : '')).padEnd(25)}${listDoc(x, false).VMType.padEnd(12)}${'1 minute ago'.padEnd(15)}${(x.State === 'running' ? 'Currently running' : x.State === 'starting' ? 'Currently starting' : 'Never').padEnd(19)}${String(x.CPUs).padEnd(12)}${`${x.MemoryMiB / 1024}GiB`.padEnd(12)}${x.DiskGiB}GiB`);
      }
      return 0;
    }
    case 'inspect': {
      if (!m) { io.err(`Error: ${name}: VM does not exist`); return 125; }
      const fmt = str(p, 'format');
      io.out(fmt ? formatGo(inspectDoc(m), fmt) : JSON.stringify([inspectDoc(m)], null, 4));
      return 0;
    }
    case 'rm': {
      if (!m) return notFound();
      if (!bool(p, 'force')) {
        // The real command asks "Are you sure you want to continue? [y/N]"; without a terminal that is a no.
        io.out(`The following files will be deleted:\n\n${join(homedir(), '.config/containers/podman/machine', `${name}.json`)}\nAre you sure you want to continue? [y/N] `);
        return 0;
      }
      saveMachines(state, machines.filter((x) => x !== m));
      return 0;
    }
  }
  return 125;
}

async function startMachine(m: Machine, machines: Machine[], io: Io, state: string, scenario: Scenario): Promise<number> {
  io.out(`Starting machine "${m.Name}"`);
  await sleep(scaledMs(scenario, scenario.durations.podmanMachineStart));
  m.State = 'running';
  m.LastUp = new Date().toISOString();
  saveMachines(state, machines);
  io.out('');
  io.out(m.Rootful ? 'This machine is currently configured in rootful mode.' : 'This machine is currently configured in rootless mode. If your containers\nrequire root permissions (e.g. ports < 1024), or if you run into compatibility\nissues with non-podman clients, you can switch using the following command:\n\n\tpodman machine set --rootful');
  io.out('');
  io.out(`Machine "${m.Name}" started successfully`);
  return 0;
}

export async function main(args: string[], io: Io = stdio): Promise<number> {
  const scenario = loadScenario();
  const state = stateDir();
  const failed = injectedFailure('podman', args, scenario, state, io);
  if (failed !== undefined) return failed;
  const [cmd, ...rest] = args;
  try {
    const version = simVersion(scenario, 'podman');
    if (cmd === '--version' || cmd === '-v') { io.out(`podman version ${version}`); return 0; }
    if (cmd === 'version' || cmd === 'info') {
      const p = parseFlags(rest, { format: { type: 'string', short: 'f' } });
      const fmt = str(p, 'format');
      const running = loadMachines(state, scenario).find((x) => x.State === 'running');
      // On macOS the server is the machine: no running machine, no server (podman says so and exits 125).
      if (goOs() === 'darwin' && !running) {
        if (cmd === 'version') io.out(fmt ? formatGo({ Client: clientDoc(version) }, fmt) : `Client:       Podman Engine\nVersion:      ${version}`);
        io.err('Cannot connect to Podman. Please verify your connection to the Linux system using `podman system connection list`, or try `podman machine init` and `podman machine start` to manage a new Linux VM\nError: unable to connect to Podman socket: failed to connect: dial tcp 127.0.0.1:50000: connect: connection refused');
        return 125;
      }
      if (cmd === 'version') {
        const doc = { Client: clientDoc(version), Server: { ...clientDoc(version), OsArch: `linux/${goArch()}`, Os: 'linux' } };
        io.out(fmt ? formatGo(doc, fmt) : `Client:       Podman Engine\nVersion:      ${version}\nAPI Version:  ${version}\nGo Version:   ${SIM_VERSIONS.go}\nOS/Arch:      ${goOs()}/${goArch()}\n\nServer:       Podman Engine\nVersion:      ${version}\nOS/Arch:      linux/${goArch()}`);
        return 0;
      }
      const info = {
        host: { arch: goArch(), cpus: running?.CPUs ?? 8, memTotal: (running?.MemoryMiB ?? 24576) * 1024 * 1024, os: 'linux', security: { rootless: running ? !running.Rootful : false } },
        version: { APIVersion: version, Version: version, OsArch: `linux/${goArch()}` },
      };
      io.out(fmt ? formatGo(info, fmt) : JSON.stringify(info, null, 2));
      return 0;
    }
    if (cmd === 'machine') return await machine(rest, io, state, scenario);
    io.err(`Error: unrecognized command \`podman ${cmd ?? ''}\`\nTry 'podman --help' for more information`);
    return 125;
  } catch (err) {
    if (err instanceof UsageError) { io.err(`Error: ${err.message}\nSee 'podman ${args.slice(0, 2).join(' ')} --help'`); return 125; }
    throw err;
  }
}
