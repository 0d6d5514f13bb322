import { describe, expect, it } from 'vitest';
import { AppInfo } from './api/app.js';
import { FitNeeds, HostFacts, HostReport } from './api/host.js';
import { events, isMethodName, isTopic, methodNames, methods, PRELOAD_GLOBAL, topicNames } from './contract.js';

const facts = {
  os: 'darwin', osName: 'macOS', osVersion: '15.5', arch: 'arm64', archLabel: 'Apple Silicon', cpuModel: 'Apple M3 Pro',
  cpuCores: 12, memoryBytes: 36 * 2 ** 30, diskFreeBytes: 400e9, diskPath: '/Users/me',
  gpu: { nvidia: false, models: [] },
  docker: { installed: false },
  podman: { installed: true, version: '5.6.1', running: true, machines: [{ name: 'podman-machine-default', running: true, cpus: 10, memoryMiB: 28672, diskGB: 120 }] },
};

describe('the API contract', () => {
  it('gives every method a request and a response schema, and every topic a schema', () => {
    expect(methodNames.length).toBeGreaterThan(0);
    for (const m of methodNames) {
      expect(typeof methods[m].request.safeParse, m).toBe('function');
      expect(typeof methods[m].response.safeParse, m).toBe('function');
    }
    for (const t of topicNames) expect(typeof events[t].safeParse, t).toBe('function');
    expect(methodNames).toEqual(expect.arrayContaining(['app.info', 'host.check', 'task.cancel']));
  });

  it('recognises its own method and topic names only (no prototype keys)', () => {
    expect(isMethodName('app.info')).toBe(true);
    expect(isMethodName('toString')).toBe(false);
    expect(isMethodName('__proto__')).toBe(false);
    expect(isMethodName(42)).toBe(false);
    expect(isTopic('task.progress')).toBe(true);
    expect(isTopic('constructor')).toBe(false);
    expect(PRELOAD_GLOBAL).toBe('llmdApi');
  });

  it('rejects extra fields in strict requests', () => {
    expect(methods['app.info'].request.safeParse({}).success).toBe(true);
    expect(methods['app.info'].request.safeParse({ x: 1 }).success).toBe(false);
    expect(methods['host.check'].request.safeParse({ refresh: true }).success).toBe(true);
    expect(methods['host.check'].request.safeParse({ refresh: 'yes' }).success).toBe(false);
  });

  it('describes app info and a full host report', () => {
    expect(AppInfo.safeParse({ name: 'n', version: '1', transport: 'web', rehearsal: true, dataDir: '/d', platform: 'linux', arch: 'x64' }).success).toBe(true);
    expect(AppInfo.safeParse({ name: 'n', version: '1', transport: 'ssh', rehearsal: true, dataDir: '/d', platform: 'linux', arch: 'x64' }).success).toBe(false);
    expect(HostFacts.parse(facts)).toEqual(facts);
    expect(HostFacts.safeParse({ ...facts, cpuCores: -1 }).success).toBe(false);
    expect(HostFacts.safeParse({ ...facts, archLabel: 'PowerPC' }).success).toBe(false);
    const report = {
      facts,
      needs: { driver: 'podman', usesPodmanMachine: true, memoryMiB: 24576, cpus: 8, diskGB: 100, replicas: 2, perReplicaMemoryGiB: 6 },
      fit: { level: 'fits', summary: 's', checks: [{ resource: 'memory', level: 'fits', need: 'n', have: 'h' }], advice: [] },
      detectedAt: '2026-01-01T00:00:00.000Z',
    };
    expect(HostReport.parse(report)).toEqual(report);
    expect(FitNeeds.safeParse({ ...report.needs, replicas: 0 }).success).toBe(false);
    expect(methods['host.check'].response.safeParse(report).success).toBe(true);
  });
});
