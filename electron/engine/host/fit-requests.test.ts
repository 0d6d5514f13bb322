// A property over both stack releases: whenever settingsFit leaves the cluster's CPUs and memory alone (no
// `cpus` or `memoryMiB` issue), the simulated kube-scheduler places every pod the release deploys — its
// non-model pods as release.yaml records them and each replica as the models ask — on a node of that
// size; and whenever it refuses the CPUs, the scheduler leaves a pod Pending. The fit and the sim's
// scheduler count the same requests, rounding and control plane included.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HostFacts } from '../../../shared/api/host.js';
import { MODEL_IDS, replicaResources, Settings } from '../../../shared/api/settings.js';
import { settingsFitOnHost } from '../../../shared/fit.js';
import { stackRequests } from '../../../shared/release.js';
import type { KubeObject } from '../../../sim/apiserver/types.js';
import { fitOnNode } from '../../../sim/cluster/scheduler.js';
import { findResourcesDir } from '../resources.js';
import { listReleases } from '../stack/releases.js';

const releases = listReleases(findResourcesDir({}));
const HOST = HostFacts.parse({
  os: 'linux', osName: 'Ubuntu', osVersion: '24.04', arch: 'x64', archLabel: 'Linux x86_64', cpuModel: 'test', cpuCores: 64,
  memoryBytes: 512 * 2 ** 30, diskFreeBytes: 500e9, diskPath: '/', gpu: { nvidia: false, models: [] },
  docker: { installed: true, running: true }, podman: { installed: false },
});

const pod = (name: string, cpu: string, memory: string): KubeObject =>
  ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'ns', uid: name }, spec: { containers: [{ name: 'c', resources: { requests: { cpu, memory } } }] } }) as KubeObject;

/** Binds the pods one by one as the sim's scheduler does; the names of those that stay Pending. */
function schedule(pods: KubeObject[], cpus: number, memoryMiB: number): string[] {
  const bound: KubeObject[] = [];
  const pending: string[] = [];
  for (const p of pods) {
    if (fitOnNode(p, bound, { cpuMilli: cpus * 1000, memoryBytes: memoryMiB * 2 ** 20 }).fits) bound.push({ ...p, spec: { ...(p.spec as object), nodeName: 'n' } });
    else pending.push(p.metadata.name);
  }
  return pending;
}

describe('settingsFit and the sim’s scheduler agree on what fits', () => {
  it('fits ⇒ every pod of the release is placed; CPUs refused ⇒ a pod stays Pending', () => {
    fc.assert(fc.property(
      fc.constantFrom(...releases.map((r) => r.id)), fc.constantFrom(...MODEL_IDS), fc.integer({ min: 2, max: 8 }), fc.integer({ min: 1, max: 8 }),
      fc.integer({ min: 4096, max: 98304 }), fc.option(fc.integer({ min: 1, max: 12 }), { nil: undefined }),
      (id, model, cpus, replicas, memoryMiB, memoryLimitGi) => {
        const release = releases.find((r) => r.id === id)!;
        const settings = Settings.parse({ release: id, model, cpus, replicas, memoryMiB, driver: 'docker', ...(memoryLimitGi ? { memoryLimitGi } : {}) });
        const issues = settingsFitOnHost(settings, HOST, stackRequests(release)).issues.map((i) => i.path);
        const r = replicaResources(settings)!;
        const pods = [
          ...release.podRequests.map((p, i) => pod(`stack-${i}`, p.cpu, p.memory)),
          ...Array.from({ length: replicas }, (_, i) => pod(`replica-${i}`, r.cpuRequest, `${r.memoryRequestGi}Gi`)),
        ];
        const pending = schedule(pods, cpus, memoryMiB);
        if (!issues.includes('cpus') && !issues.includes('memoryMiB')) expect(pending).toEqual([]);
        if (issues.includes('cpus')) expect(pending.length).toBeGreaterThan(0);
      },
    ), { numRuns: 300 });
  });
});
