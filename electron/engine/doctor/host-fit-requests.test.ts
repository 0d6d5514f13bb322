// The host-fit rule carries the fit's count of every pod the stack requests (shared/fit.ts): settings whose
// cluster CPUs cannot hold the control plane, the release's non-model pods and the replicas are a finding
// that says how many CPUs the pods request and what to set — whatever the size of the machine.
import { describe, expect, it } from 'vitest';
import { HostFacts } from '../../../shared/api/host.js';
import { Settings } from '../../../shared/api/settings.js';
import { settingsFitOnHost } from '../../../shared/fit.js';
import { findResourcesDir } from '../resources.js';
import { releaseRequests } from '../stack/releases.js';
import { ago, snapshot } from './fixtures.testkit.js';
import { hostFit } from './rules/host-fit.js';

const BIG_HOST = HostFacts.parse({
  os: 'linux', osName: 'Ubuntu', osVersion: '24.04', arch: 'x64', archLabel: 'Linux x86_64', cpuModel: 'test', cpuCores: 16,
  memoryBytes: 64 * 2 ** 30, diskFreeBytes: 500e9, diskPath: '/', gpu: { nvidia: false, models: [] },
  docker: { installed: true, running: true }, podman: { installed: false },
});

const hostReport = (over: Record<string, unknown>) => {
  const settings = Settings.parse({ driver: 'docker', ...over });
  const { needs, fit } = settingsFitOnHost(settings, BIG_HOST, releaseRequests(settings.release, findResourcesDir({})));
  return { facts: BIG_HOST, needs, fit, detectedAt: ago(60) };
};

describe('host-fit counts what the stack’s pods request', () => {
  it('2 cluster CPUs for the default release with 2 replicas on a 16-core host: an error naming the request and the CPUs to set', () => {
    const f = hostFit.check(snapshot({ host: hostReport({ cpus: 2, replicas: 2 }) }));
    expect(f).toMatchObject({ severity: 'error' });
    expect(f!.evidence[0]!.lines).toEqual(['cpu: needs 3 for the cluster: its pods request 3000m, has 16 — Raise cluster CPUs to 3: the stack and 2 replicas request 3000m.']);
  });

  it('3 CPUs hold them: nothing to find', () => {
    expect(hostFit.check(snapshot({ host: hostReport({ cpus: 3, replicas: 2 }) }))).toBeUndefined();
  });
});
