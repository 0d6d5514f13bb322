import { describe, expect, it } from 'vitest';
import { actionCommands, decideMachineAction, mergeMachine, parseMachineInspect, parseMachineList, parseSize, pickMachine, type MachineInfo } from './machine.js';

const want = { name: 'podman-machine-default', cpus: 10, memoryMiB: 28672, diskGB: 120 };
const good: MachineInfo = { name: 'podman-machine-default', state: 'running', cpus: 10, memoryMiB: 28672, diskGB: 120, rootful: true, isDefault: true };

describe('podman machine output', () => {
  it('reads podman 5 list JSON (sizes in bytes as strings)', () => {
    const out = JSON.stringify([{ Name: 'podman-machine-default*', Default: true, Running: false, Starting: false, CPUs: 4, Memory: String(8192 * 2 ** 20), DiskSize: String(100 * 2 ** 30) }]);
    expect(parseMachineList(out)).toEqual([{ name: 'podman-machine-default', state: 'stopped', cpus: 4, memoryMiB: 8192, diskGB: 100, rootful: undefined, isDefault: true }]);
  });

  it('reads podman 4 humanized sizes and the Starting flag', () => {
    const out = JSON.stringify([{ Name: 'm', Running: false, Starting: true, CPUs: 2, Memory: '2GiB', DiskSize: '100GiB' }]);
    expect(parseMachineList(out)[0]).toMatchObject({ state: 'starting', memoryMiB: 2048, diskGB: 100 });
    expect(parseSize('2048MiB')).toBe(2048 * 2 ** 20);
    expect(parseSize('nonsense')).toBeUndefined();
  });

  it('reads inspect: Rootful, State and Resources (MiB / GiB)', () => {
    const out = JSON.stringify([{ Name: 'podman-machine-default', State: 'starting', Rootful: false, Resources: { CPUs: 6, Memory: 2048, DiskSize: 100 } }]);
    expect(parseMachineInspect(out)).toEqual({ name: 'podman-machine-default', state: 'starting', rootful: false, cpus: 6, memoryMiB: 2048, diskGB: 100 });
    expect(parseMachineInspect('not json')).toBeUndefined();
    expect(mergeMachine(good, parseMachineInspect(out))).toMatchObject({ rootful: false, state: 'starting', cpus: 6 });
  });

  it('uses the named machine, else the default one', () => {
    const other = { ...good, name: 'other', isDefault: false };
    expect(pickMachine([other, { ...good, name: 'renamed' }], 'podman-machine-default')?.name).toBe('renamed');
    expect(pickMachine([other], 'podman-machine-default')).toBeUndefined();
  });
});

describe('decideMachineAction', () => {
  it('creates a missing machine rootful and sized like the guide', () => {
    const a = decideMachineAction(undefined, want);
    expect(a).toEqual({ kind: 'create' });
    expect(actionCommands(a, want)).toEqual([
      ['podman', 'machine', 'init', '--cpus', '10', '--memory', '28672', '--disk-size', '120', '--rootful', 'podman-machine-default'],
      ['podman', 'machine', 'start', 'podman-machine-default'],
    ]);
  });

  it('leaves a running, rootful, large-enough machine alone', () => {
    expect(decideMachineAction(good, want)).toEqual({ kind: 'ok' });
  });

  it('starts a stopped machine and waits on one still starting', () => {
    expect(decideMachineAction({ ...good, state: 'stopped' }, want)).toEqual({ kind: 'start' });
    expect(decideMachineAction({ ...good, state: 'starting' }, want)).toEqual({ kind: 'wait-starting' });
  });

  it('repairs a rootless running machine: stop, set --rootful, start', () => {
    const a = decideMachineAction({ ...good, rootful: false }, want);
    expect(actionCommands(a, want)).toEqual([
      ['podman', 'machine', 'stop', 'podman-machine-default'],
      ['podman', 'machine', 'set', '--rootful', 'podman-machine-default'],
      ['podman', 'machine', 'start', 'podman-machine-default'],
    ]);
  });

  it('resizes an undersized stopped machine without stopping it again', () => {
    const a = decideMachineAction({ ...good, state: 'stopped', cpus: 4, memoryMiB: 8192, diskGB: 100 }, want);
    expect(a.kind).toBe('repair');
    expect(actionCommands(a, want)).toEqual([
      ['podman', 'machine', 'set', '--cpus', '10', '--memory', '28672', '--disk-size', '120', 'podman-machine-default'],
      ['podman', 'machine', 'start', 'podman-machine-default'],
    ]);
  });
});
