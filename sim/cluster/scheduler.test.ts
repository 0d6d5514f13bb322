// The simulated scheduler's resource fit: quantities parsed as Kubernetes parses them, a pod's effective
// request (limits standing in for missing requests, sidecars counted, init containers by their peak), the
// control plane's share of the node, and kube-scheduler's wording. Then the world: with
// `node.accountResources` a pod that does not fit stays Pending with FailedScheduling, as `kubectl`
// shows it, and is placed once a pod that held the room is deleted.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../apiserver/types.js';
import { makeWorld, until, type World } from '../testkit.js';
import { CONTROL_PLANE_REQUESTS, cpuMilli, fitOnNode, memoryBytes, podRequests, quantity, unschedulableMessage } from './scheduler.js';

const GiB = 2 ** 30;
const MiB = 2 ** 20;

function pod(name: string, containers: Array<{ cpu?: string; memory?: string; limitCpu?: string; limitMemory?: string; init?: boolean; sidecar?: boolean }>, nodeName?: string): KubeObject {
  const spec = (c: (typeof containers)[number], i: number) => ({
    name: `c${i}`, image: 'x',
    ...(c.sidecar ? { restartPolicy: 'Always' } : {}),
    resources: {
      requests: { ...(c.cpu ? { cpu: c.cpu } : {}), ...(c.memory ? { memory: c.memory } : {}) },
      limits: { ...(c.limitCpu ? { cpu: c.limitCpu } : {}), ...(c.limitMemory ? { memory: c.limitMemory } : {}) },
    },
  });
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: 'ns', uid: `uid-${name}` },
    spec: {
      ...(nodeName ? { nodeName } : {}),
      containers: containers.filter((c) => !c.init && !c.sidecar).map(spec),
      initContainers: containers.filter((c) => c.init || c.sidecar).map(spec),
    },
  } as KubeObject;
}

describe('quantities', () => {
  it('reads CPU and memory the way resource.Quantity does', () => {
    expect(cpuMilli('500m')).toBe(500);
    expect(cpuMilli('2')).toBe(2000);
    expect(cpuMilli('0.25')).toBe(250);
    expect(cpuMilli(4)).toBe(4000);
    expect(memoryBytes('2Gi')).toBe(2 * GiB);
    expect(memoryBytes('1.5Gi')).toBe(1.5 * GiB);
    expect(memoryBytes('16777216Ki')).toBe(16 * GiB);
    expect(memoryBytes('1G')).toBe(1e9);
    expect(memoryBytes('128974848')).toBe(128974848);
    expect(quantity('1e3')).toBe(1000);
  });
  it('refuses what Kubernetes refuses', () => {
    expect(() => quantity('2 Gi')).toThrow(/resource.Quantity/);
    expect(() => quantity('lots')).toThrow(/resource.Quantity/);
  });
});

describe('a pod’s request', () => {
  it('sums containers and native sidecars, takes an init container by its peak, and a limit for a missing request', () => {
    const p = pod('a', [{ cpu: '500m', memory: '2Gi' }, { limitCpu: '1', limitMemory: '512Mi' }, { cpu: '250m', memory: '256Mi', sidecar: true }, { cpu: '3', memory: '100Mi', init: true }]);
    // Running together: 500m + 1000m (limit) + 250m = 1750m; the init container alone asks 3000m.
    expect(podRequests(p)).toEqual({ cpuMilli: 3000, memoryBytes: 2 * GiB + 512 * MiB + 256 * MiB });
  });
});

describe('fit on the node', () => {
  const alloc = { cpuMilli: 2000, memoryBytes: 16 * GiB };
  it('counts the control plane and the pods already bound, not pending or finished ones', () => {
    const bound = pod('bound', [{ cpu: '750m' }], 'node');
    const pending = pod('pending', [{ cpu: '2' }]);
    const done = { ...pod('done', [{ cpu: '2' }], 'node'), status: { phase: 'Succeeded' } } as KubeObject;
    expect(fitOnNode(pod('new', [{ cpu: '500m' }]), [bound, pending, done], alloc)).toEqual({ fits: true });
    const tooMuch = fitOnNode(pod('new', [{ cpu: '501m' }]), [bound, pending, done], alloc);
    expect(tooMuch).toEqual({ fits: false, insufficient: ['cpu'], message: unschedulableMessage(['cpu']) });
    expect(CONTROL_PLANE_REQUESTS.cpuMilli + 750 + 500).toBe(alloc.cpuMilli);
  });
  it('names both resources when both are short, in kube-scheduler’s words', () => {
    const fit = fitOnNode(pod('big', [{ cpu: '4', memory: '20Gi' }]), [], alloc);
    expect(fit.fits).toBe(false);
    if (!fit.fits) expect(fit.message).toBe('0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.');
  });
});

describe('the simulated world with resource accounting', () => {
  let w: World;
  beforeAll(async () => {
    w = makeWorld('timeScale: 0.01\nnode: { accountResources: true }\n');
    const start = await w.run('minikube', ['start', '-p', 'llm-d-cpu', '--driver=docker', '--memory=8192', '--cpus=2']);
    if (start.exitCode !== 0) throw new Error(start.stderr);
  }, 60_000);
  afterAll(async () => { await w?.cleanup(); });

  const podJson = (name: string, cpu: string) => JSON.stringify({
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' },
    spec: { containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.10', resources: { requests: { cpu } } }] },
  });
  interface PodView { status?: { phase?: string; conditions?: Array<{ type: string; status: string; reason?: string; message?: string }> }; spec?: { nodeName?: string } }
  const get = async (name: string): Promise<PodView> => JSON.parse((await w.kubectl(['get', 'pod', name, '-o', 'json'])).stdout) as PodView;

  it('keeps a pod that does not fit Pending with FailedScheduling, and places it when room is freed', async () => {
    // 2 CPUs, 750m for the control plane: a 1-CPU pod fits, a second one does not.
    for (const [name, cpu] of [['first', '1'], ['second', '1']] as const) {
      const file = join(w.state, `${name}.json`);
      writeFileSync(file, podJson(name, cpu));
      const r = await w.kubectl(['apply', '-f', file]);
      expect(r.exitCode, r.stderr).toBe(0);
    }
    await until('first scheduled', async () => (await get('first')).spec?.nodeName === 'llm-d-cpu');
    const second = await until('second unschedulable', async () => {
      const p = await get('second');
      const c = p.status?.conditions?.find((x) => x.type === 'PodScheduled');
      return c?.reason === 'Unschedulable' ? { p, c } : undefined;
    });
    expect(second.p.status?.phase).toBe('Pending');
    expect(second.p.spec?.nodeName).toBeUndefined();
    expect(second.c.message).toBe(unschedulableMessage(['cpu']));
    const events = (await w.kubectl(['get', 'events', '--field-selector', 'involvedObject.name=second', '-o', 'jsonpath={range .items[*]}{.reason}|{.type}|{.source.component}{"\\n"}{end}'])).stdout;
    expect(events).toContain('FailedScheduling|Warning|default-scheduler');

    const del = await w.kubectl(['delete', 'pod', 'first', '--wait=false']);
    expect(del.exitCode, del.stderr).toBe(0);
    await until('second scheduled after first is gone', async () => (await get('second')).spec?.nodeName === 'llm-d-cpu', 30_000);
  }, 90_000);
});
