// The podman machine (docs/architecture.md §4 step 3; guide "Using Podman"): minikube's podman driver on macOS runs
// inside a Linux VM that must be rootful and larger than minikube itself (10 CPUs / 28 GiB / 120 GB for the
// guide's 8 / 24 GiB / 100 GB). This module reads `podman machine list|inspect --format json` and decides,
// as a pure function, whether to create, repair (stop → set → start), start, or wait for a machine that
// is still starting. Field facts: electron-security-testing-facts.md §7.
import { z } from 'zod';

export const DEFAULT_MACHINE = 'podman-machine-default';

export interface MachineInfo {
  name: string;
  state: 'running' | 'stopped' | 'starting';
  cpus: number | undefined;
  memoryMiB: number | undefined;
  diskGB: number | undefined;
  rootful: boolean | undefined;
  isDefault: boolean;
}

export interface MachineWant {
  name: string;
  cpus: number;
  memoryMiB: number;
  diskGB: number;
}

const num = (v: unknown): number | undefined => {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
};

/** "2GiB", "2048MiB", "100GB", "2147483648" → bytes. podman 4 prints humanized sizes in `list`, podman 5 bytes. */
export function parseSize(v: unknown): number | undefined {
  const n = num(v);
  if (n !== undefined) return n;
  if (typeof v !== 'string') return undefined;
  const m = /^\s*([\d.]+)\s*([KMGT]i?B?|B)?\s*$/i.exec(v);
  if (!m) return undefined;
  const value = Number(m[1]);
  const unit = (m[2] ?? 'B').toUpperCase();
  const pow = { B: 0, K: 1, M: 2, G: 3, T: 4 }[unit[0] as 'B' | 'K' | 'M' | 'G' | 'T'] ?? 0;
  const base = unit.includes('I') || unit.length === 1 ? 1024 : 1000;
  return value * base ** pow;
}

const ListEntry = z.object({
  Name: z.string(),
  Default: z.boolean().optional(),
  Running: z.boolean().optional(),
  Starting: z.boolean().optional(),
  CPUs: z.unknown().optional(),
  Memory: z.unknown().optional(),
  DiskSize: z.unknown().optional(),
}).loose();

const InspectEntry = z.object({
  Name: z.string(),
  State: z.string().optional(),
  Rootful: z.boolean().optional(),
  Resources: z.object({ CPUs: z.unknown().optional(), Memory: z.unknown().optional(), DiskSize: z.unknown().optional() }).loose().optional(),
}).loose();

const parseJsonArray = (text: string): unknown[] => {
  try {
    const doc: unknown = JSON.parse(text.trim() || '[]');
    return Array.isArray(doc) ? doc : [];
  } catch {
    return [];
  }
};

/** `podman machine list --format json`. Memory/DiskSize are bytes (podman 5) or humanized strings (podman 4). */
export function parseMachineList(stdout: string): MachineInfo[] {
  return parseJsonArray(stdout).flatMap((raw) => {
    const e = ListEntry.safeParse(raw);
    if (!e.success) return [];
    const m = e.data;
    const mem = parseSize(m.Memory);
    const disk = parseSize(m.DiskSize);
    return [{
      name: m.Name.replace(/\*$/, ''),
      state: m.Starting ? 'starting' : m.Running ? 'running' : 'stopped',
      cpus: num(m.CPUs),
      memoryMiB: mem !== undefined ? Math.round(mem / 2 ** 20) : undefined,
      diskGB: disk !== undefined ? Math.round(disk / 2 ** 30) : undefined,
      rootful: undefined,
      isDefault: m.Default === true || m.Name.endsWith('*'),
    } satisfies MachineInfo];
  });
}

/** `podman machine inspect <name>`: Resources.Memory is MiB, DiskSize GiB; State running|stopped|starting. */
export function parseMachineInspect(stdout: string): Partial<MachineInfo> & { name: string } | undefined {
  const first = parseJsonArray(stdout)[0];
  const e = InspectEntry.safeParse(first);
  if (!e.success) return undefined;
  const i = e.data;
  const state = i.State === 'running' || i.State === 'starting' || i.State === 'stopped' ? i.State : undefined;
  return {
    name: i.Name,
    ...(state ? { state } : {}),
    ...(i.Rootful !== undefined ? { rootful: i.Rootful } : {}),
    ...(num(i.Resources?.CPUs) !== undefined ? { cpus: num(i.Resources?.CPUs) } : {}),
    ...(num(i.Resources?.Memory) !== undefined ? { memoryMiB: num(i.Resources?.Memory) } : {}),
    ...(num(i.Resources?.DiskSize) !== undefined ? { diskGB: num(i.Resources?.DiskSize) } : {}),
  };
}

export const mergeMachine = (list: MachineInfo, inspect: ReturnType<typeof parseMachineInspect>): MachineInfo =>
  inspect ? { ...list, ...inspect, name: list.name } : list;

/** The machine the app uses: the one named in settings, else the default, else none. */
export function pickMachine(machines: MachineInfo[], name: string): MachineInfo | undefined {
  return machines.find((m) => m.name === name) ?? (name === DEFAULT_MACHINE ? machines.find((m) => m.isDefault) : undefined);
}

export type MachineAction =
  | { kind: 'ok' }
  | { kind: 'create' }
  | { kind: 'start' }
  | { kind: 'wait-starting' }
  | { kind: 'repair'; reasons: string[]; set: string[]; wasRunning: boolean };

export function initArgs(want: MachineWant): string[] {
  return ['machine', 'init', '--cpus', String(want.cpus), '--memory', String(want.memoryMiB), '--disk-size', String(want.diskGB), '--rootful', want.name];
}

/**
 * What to do with the machine. Disk can only grow (podman refuses to shrink), and memory/CPUs only change
 * while stopped, hence stop → set → start (guide Troubleshooting: "podman machine too small" / rootless).
 */
export function decideMachineAction(machine: MachineInfo | undefined, want: MachineWant): MachineAction {
  if (!machine) return { kind: 'create' };
  const reasons: string[] = [];
  const set: string[] = [];
  if (machine.rootful === false) {
    reasons.push('it is rootless; minikube needs a rootful machine');
    set.push('--rootful');
  }
  if (machine.cpus !== undefined && machine.cpus < want.cpus) {
    reasons.push(`it has ${machine.cpus} CPUs, needs ${want.cpus}`);
    set.push('--cpus', String(want.cpus));
  }
  if (machine.memoryMiB !== undefined && machine.memoryMiB < want.memoryMiB) {
    reasons.push(`it has ${machine.memoryMiB} MiB memory, needs ${want.memoryMiB}`);
    set.push('--memory', String(want.memoryMiB));
  }
  if (machine.diskGB !== undefined && machine.diskGB < want.diskGB) {
    reasons.push(`it has a ${machine.diskGB} GB disk, needs ${want.diskGB}`);
    set.push('--disk-size', String(want.diskGB));
  }
  if (set.length > 0) return { kind: 'repair', reasons, set, wasRunning: machine.state !== 'stopped' };
  if (machine.state === 'starting') return { kind: 'wait-starting' };
  if (machine.state === 'stopped') return { kind: 'start' };
  return { kind: 'ok' };
}

/** The commands an action runs, in order (also what the Plan page shows). */
export function actionCommands(action: MachineAction, want: MachineWant): string[][] {
  switch (action.kind) {
    case 'ok':
    case 'wait-starting':
      return [];
    case 'create':
      return [['podman', ...initArgs(want)], ['podman', 'machine', 'start', want.name]];
    case 'start':
      return [['podman', 'machine', 'start', want.name]];
    case 'repair':
      return [
        ...(action.wasRunning ? [['podman', 'machine', 'stop', want.name]] : []),
        ['podman', 'machine', 'set', ...action.set, want.name],
        ['podman', 'machine', 'start', want.name],
      ];
  }
}
