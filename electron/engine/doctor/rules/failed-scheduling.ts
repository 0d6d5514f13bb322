// Pods the scheduler cannot place (FailedScheduling: "0/1 nodes are available: 1 Insufficient memory"),
// read from the events and set against the node's allocatable. The fixes come from what the pods request
// (shared/fit.ts): 1 replica where one fits, else (or as well) the smallest cluster that holds them all.
import type { DoctorFix, Finding } from '../../../../shared/api/doctor.js';
import { fitsCluster, hostAllows, recreateFix, smallestClusterFor } from './recreate-cluster.js';
import { needsCluster, type Rule } from './rule.js';

export const failedScheduling: Rule = {
  id: 'failed-scheduling',
  title: 'Every pod fits on the node',
  applies: needsCluster,
  check(s): Finding | undefined {
    const pending = new Set(s.pods.filter((p) => p.phase === 'Pending').map((p) => `pod/${p.name}`));
    const events = s.events.filter((e) => e.reason === 'FailedScheduling' && pending.has(e.object));
    if (events.length === 0) return undefined;
    const latest = new Map(events.map((e) => [e.object, e]));
    const what = /Insufficient (cpu|memory)/.exec(events.map((e) => e.message).join(' '))?.[1];
    const { settings } = s.plan;
    const fixes: DoctorFix[] = [];
    // 1 replica only where one still fits the cluster's CPUs and memory (shared/fit.ts counts what is requested).
    if (settings.replicas > 1 && fitsCluster(s, 1)) {
      fixes.push({ kind: 'settings', id: 'one-replica', label: 'Run 1 replica', does: `Sets replicas from ${settings.replicas} to 1 and runs the install again.`, settings: { replicas: 1 } });
    }
    // The smallest cluster that holds every replica, when it is bigger than this one and the machine can give it.
    const size = smallestClusterFor(s, settings.replicas);
    if ((size.cpus !== settings.cpus || size.memoryMiB !== settings.memoryMiB) && hostAllows(s, size)) {
      fixes.push(recreateFix('bigger-cluster', settings, size));
    }
    const node = s.nodes[0];
    return {
      severity: 'error',
      summary: `${latest.size} pod${latest.size === 1 ? '' : 's'} cannot be scheduled${what ? `: the node has too little ${what} for what they request` : ''}.`,
      evidence: [
        ...[...latest.values()].map((e) => ({ source: `${e.object.replace('pod/', `pod/${e.namespace}/`)}`, ...(e.lastSeen ? { at: e.lastSeen } : {}), lines: [`${e.reason}: ${e.message}`] })),
        ...(node ? [{ source: `node/${node.name}`, lines: [`allocatable cpu ${node.allocatable.cpu ?? '?'}, memory ${node.allocatable.memory ?? '?'}`] }] : []),
      ],
      fixes,
    };
  },
};
