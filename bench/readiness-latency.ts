// Readiness latency (issue #16): a simulated pod turns Ready → the Cluster page shows it. The stack is
// installed through the web host's API; then the EPP pod is deleted again and again (its ReplicaSet
// makes a new one, which turns Ready after its startup). The moment the simulated API server reports the
// new pod Ready is taken from a watch in this process; the moment the page shows it, from a
// MutationObserver on the pods table in Chromium. Both read the same wall clock (performance.timeOrigin).
// The engine's RSS is read once the install has finished (issue #16's memory figures).
import { CoreV1Api, KubeConfig, Watch, type V1Pod } from '@kubernetes/client-node';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { chromium } from 'playwright-core';
import { z } from 'zod';
import { apiCall } from '../e2e/support/api.js';
import { MIRROR_URL, startSimHost } from '../e2e/support/sim-host.js';
import { CHROMIUM_ARGS, rssMiB } from './startup.js';

export interface ReadinessLatency {
  changes: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  samplesMs: number[];
  /** The web host process (the engine) once the install through it has finished, MiB. */
  engineRssAfterInstallMiB: number;
}

const JournalView = z.object({ journal: z.object({ status: z.string() }).nullable() });
const now = (): number => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const isReady = (p: V1Pod): boolean => (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

const RECORD_SHOWN_READY = `(() => {
  const shown = (window.__shownReady = {});
  const scan = () => {
    for (const row of document.querySelectorAll('[data-testid^="pod-"][data-ready]')) {
      const name = row.dataset.testid.slice(4);
      const [r, t] = (row.dataset.ready || '').split('/').map(Number);
      if (t && r === t && !(name in shown)) shown[name] = performance.timeOrigin + performance.now();
    }
  };
  scan();
  new MutationObserver(scan).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-ready'] });
})()`;

export const percentile = (xs: readonly number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
};

export async function readinessLatency(changes = 20): Promise<ReadinessLatency> {
  const sim = await startSimHost({ settings: { mirror: MIRROR_URL, cpus: 4, memoryMiB: 16384, diskGB: 50, replicas: 2 } });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  let abortWatch: { abort(): void } | undefined;
  try {
    await apiCall(sim.port, sim.token, 'plan.run');
    for (const deadline = Date.now() + 180_000; ;) {
      const view = JournalView.parse(await apiCall(sim.port, sim.token, 'journal.get'));
      if (view.journal && view.journal.status !== 'running') {
        if (view.journal.status !== 'succeeded') throw new Error(`install ${view.journal.status}`);
        break;
      }
      if (Date.now() > deadline) throw new Error('install did not finish within 180 s');
      await sleep(500);
    }
    const engineRssAfterInstallMiB = rssMiB(sim.pid);

    const kc = new KubeConfig();
    kc.loadFromFile(path.join(sim.stateDir, 'kubeconfig'));
    const core = kc.makeApiClient(CoreV1Api);
    const epp = (await core.listPodForAllNamespaces()).items.find((p) => /epp/.test(p.metadata?.name ?? '') && isReady(p));
    if (!epp?.metadata?.namespace) throw new Error('no ready EPP pod after the install');
    const ns = epp.metadata.namespace;
    const prefix = (epp.metadata.name ?? '').replace(/-[a-z0-9]+$/, '');

    const readyAt = new Map<string, number>();
    abortWatch = await new Watch(kc).watch(`/api/v1/namespaces/${ns}/pods`, {}, (_type: string, pod: V1Pod) => {
      const name = pod.metadata?.name ?? '';
      if (isReady(pod) && !readyAt.has(name)) readyAt.set(name, now());
    }, () => {});

    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.goto(`${sim.url}#/cluster`);
    await page.getByTestId('pods').waitFor();
    // Records, per pod row, the first moment its Ready column shows every container ready. A string,
    // not a function: tsx would wrap a named inner function in a __name() helper the page lacks.
    await page.evaluate(RECORD_SHOWN_READY);

    const samplesMs: number[] = [];
    const eppPods = async () => (await core.listNamespacedPod({ namespace: ns })).items.filter((p) => (p.metadata?.name ?? '').startsWith(prefix));
    while (samplesMs.length < changes) {
      const pods = await eppPods();
      // Every pod seen so far counts as old: the next sample is a pod made after this delete.
      const before = new Set([...pods.map((p) => p.metadata?.name ?? ''), ...readyAt.keys()]);
      const current = pods.find((p) => isReady(p) && !p.metadata?.deletionTimestamp)?.metadata?.name;
      if (!current) {
        await sleep(50);
        continue;
      }
      await core.deleteNamespacedPod({ name: current, namespace: ns });
      let next: string | undefined;
      for (const deadline = Date.now() + 30_000; !next; await sleep(20)) {
        next = [...readyAt.keys()].find((n) => n.startsWith(prefix) && !before.has(n));
        if (Date.now() > deadline) throw new Error(`no new ready EPP pod after deleting ${current}`);
      }
      const shownAt = await page.waitForFunction((n) => (window as unknown as { __shownReady: Record<string, number> }).__shownReady[n], next, { timeout: 30_000 });
      samplesMs.push(Math.max(0, Number(await shownAt.jsonValue()) - readyAt.get(next)!));
    }
    return { changes, p50Ms: percentile(samplesMs, 0.5), p95Ms: percentile(samplesMs, 0.95), maxMs: Math.max(...samplesMs), samplesMs, engineRssAfterInstallMiB };
  } finally {
    abortWatch?.abort();
    await browser.close();
    await sim.dispose();
  }
}
