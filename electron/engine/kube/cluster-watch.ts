// Live pods and events of the app's namespaces through client-node informers (docs/architecture.md §4 step 9): not
// raw watches, which client-node aborts after 30 s of silence; informers re-list and re-watch. An
// informer that stops on an error is restarted with backoff (client-node 2 stops on non-timeout errors).
// No polling loops: waiting for readiness resolves from the informer's change events.
import { CoreV1Api, makeInformer, type CoreV1Event, type Informer, type KubeConfig, type ObjectCache, type V1Pod } from '@kubernetes/client-node';
import type { ClusterEvent, PodSummary } from '../../../shared/api/cluster.js';
import { ApiException } from '../../../shared/result.js';
import { labelMatcher, summarizeEvent, summarizePod } from './pod-summary.js';

type Inf<T extends object> = Informer<T> & ObjectCache<T>;

export interface ClusterWatchOptions {
  namespaces: string[];
  /** Events kept per namespace for the UI (newest). */
  maxEvents?: number;
  onPods?: (pods: PodSummary[]) => void;
  onEvents?: (events: ClusterEvent[]) => void;
  onError?: (message: string) => void;
  restartDelayMs?: number;
}

export interface WaitSpec {
  namespace: string;
  selector: string;
  /** How many matching pods must be Ready. */
  count: number;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Called on every change while waiting, for progress. */
  onProgress?: (ready: number, pods: PodSummary[]) => void;
}

export class ClusterWatch {
  private readonly podInformers: Inf<V1Pod>[] = [];
  private readonly eventInformers: Inf<CoreV1Event>[] = [];
  private readonly waiters = new Set<() => void>();
  private stopped = false;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly kc: KubeConfig, private readonly opts: ClusterWatchOptions) {}

  async start(): Promise<void> {
    const core = this.kc.makeApiClient(CoreV1Api);
    for (const namespace of this.opts.namespaces) {
      const pods = makeInformer<V1Pod>(this.kc, `/api/v1/namespaces/${namespace}/pods`, () => core.listNamespacedPod({ namespace }));
      const events = makeInformer<CoreV1Event>(this.kc, `/api/v1/namespaces/${namespace}/events`, () => core.listNamespacedEvent({ namespace }));
      this.wire(pods, () => this.emitPods());
      this.wire(events, () => this.emitEvents());
      this.podInformers.push(pods);
      this.eventInformers.push(events);
    }
    await Promise.all([...this.podInformers, ...this.eventInformers].map((i) => i.start()));
    this.emitPods();
    this.emitEvents();
  }

  private wire<T extends object>(inf: Inf<T>, changed: () => void): void {
    for (const verb of ['add', 'update', 'delete'] as const) inf.on(verb, changed);
    inf.on('error', (err: unknown) => {
      if (this.stopped) return;
      this.opts.onError?.(`Watching the cluster failed (${err instanceof Error ? err.message : String(err)}); retrying.`);
      const t = setTimeout(() => {
        this.timers.delete(t);
        if (!this.stopped) inf.start().catch(() => undefined);
      }, this.opts.restartDelayMs ?? 2000);
      this.timers.add(t);
    });
  }

  pods(): PodSummary[] {
    return this.podInformers
      .flatMap((i) => i.list())
      .map(summarizePod)
      .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  }

  events(): ClusterEvent[] {
    const max = this.opts.maxEvents ?? 200;
    return this.eventInformers
      .flatMap((i) => i.list())
      .map(summarizeEvent)
      .sort((a, b) => (b.lastSeen ?? '').localeCompare(a.lastSeen ?? ''))
      .slice(0, max);
  }

  private emitPods(): void {
    const pods = this.pods();
    this.opts.onPods?.(pods);
    for (const w of [...this.waiters]) w();
  }

  private emitEvents(): void {
    this.opts.onEvents?.(this.events());
  }

  /** Resolves when `count` pods matching the selector are Ready; rejects on timeout or abort. */
  waitForReady(spec: WaitSpec): Promise<PodSummary[]> {
    const matches = labelMatcher(spec.selector);
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const pods = this.pods().filter((p) => p.namespace === spec.namespace && matches(p.labels));
        const ready = pods.filter((p) => p.podReady);
        spec.onProgress?.(ready.length, pods);
        if (ready.length >= spec.count) finish(() => resolve(ready));
      };
      const onAbort = (): void => finish(() => reject(new ApiException('CANCELLED', 'Cancelled while waiting for pods.')));
      const timer = setTimeout(() => {
        const pods = this.pods().filter((p) => p.namespace === spec.namespace && matches(p.labels));
        const detail = pods.length ? pods.map((p) => `${p.name} ${p.readyText} ${p.status}${p.lastTerminationReason ? ` (last: ${p.lastTerminationReason})` : ''}`).join('; ') : 'no pods yet';
        finish(() => reject(new ApiException('TIMEOUT', `Waited ${Math.round(spec.timeoutMs / 1000)} s for ${spec.count} ready pod(s) with ${spec.selector} in ${spec.namespace}: ${detail}.`, 'See the Cluster page for events; vLLM on CPU can take many minutes to start.')));
      }, spec.timeoutMs);
      const finish = (settle: () => void): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
        spec.signal?.removeEventListener('abort', onAbort);
        settle();
      };
      if (spec.signal?.aborted) return onAbort();
      spec.signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.add(check);
      check();
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await Promise.all([...this.podInformers, ...this.eventInformers].map((i) => i.stop()));
  }
}
