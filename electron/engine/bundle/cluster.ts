// The cluster's side of the support bundle, read with @kubernetes/client-node: nodes, helm's release
// records (names and labels only), and per namespace the pods, events, a describe per pod and the last
// log lines of every container. Every failure becomes a warning: a bundle is most needed exactly when the
// cluster is broken, so it must never fail because the cluster does.
import {
  CoreV1Api,
  Observable,
  type ConfigurationOptions,
  type CoreV1Event,
  type KubeConfig,
  type ObservableMiddleware,
  type RequestContext,
  type ResponseContext,
  type V1Node,
  type V1Pod,
  type V1Secret,
} from '@kubernetes/client-node';
import { kubeError, statusCodeOf } from '../kube/errors.js';
import { describePod, sortEvents } from './describe.js';
import { REDACTED } from '../process/redact.js';
import { SECRET_ENV_NAME } from './redact.js';

export interface StagedFile {
  /** Path inside the bundle, / separated. */
  path: string;
  content: string;
  /** Values already replaced before the text was made (structured redaction of env values). */
  redactions?: number;
}

export interface ClusterCollectOptions {
  kc: KubeConfig;
  namespaces: string[];
  signal?: AbortSignal | undefined;
  /** Per API request: a cluster that accepts connections but never answers must not hang the bundle. */
  requestTimeoutMs?: number;
  tailLines?: number;
  /** How many container logs are read at once (a namespace can have dozens of containers). */
  concurrency?: number;
}

export interface ClusterCollection {
  files: StagedFile[];
  warnings: string[];
}

export const HELM_RELEASE_TYPE = 'helm.sh/release.v1';
const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_TAIL_LINES = 500;

/** Path-safe piece of a name (pod and container names are DNS labels, but the file system is not ours). */
const safe = (s: string): string => s.replace(/[^A-Za-z0-9._-]/g, '_') || '_';

const json = (v: unknown): string => `${JSON.stringify(v, null, 2)}\n`;

/**
 * Options that give every request its own deadline (and the caller's cancel). client-node 2.x's object
 * API takes Observable-style middleware; the request's signal is what undici's fetch honours.
 */
function requestOptions(signal: AbortSignal | undefined, timeoutMs: number): ConfigurationOptions {
  const deadline: ObservableMiddleware = {
    pre: (ctx: RequestContext) => {
      const t = AbortSignal.timeout(timeoutMs);
      ctx.setSignal(signal ? AbortSignal.any([signal, t]) : t);
      return new Observable(Promise.resolve(ctx));
    },
    post: (res: ResponseContext) => new Observable(Promise.resolve(res)),
  };
  return { middleware: [deadline], middlewareMergeStrategy: 'append' };
}

/** The API server's own words for a failure, one line; a cancel by the caller is rethrown, not reported. */
function failure(e: unknown, what: string, signal: AbortSignal | undefined): string {
  if (signal?.aborted) throw signal.reason;
  const timedOut = e instanceof Error && (e.name === 'TimeoutError' || (e.cause as { name?: string } | undefined)?.name === 'TimeoutError');
  if (timedOut) return `${what}: the API server did not answer in time.`;
  if (statusCodeOf(e) === undefined && e instanceof Error && e.cause !== undefined) {
    // No HTTP answer at all (refused, DNS, TLS, a port fetch blocks): say so, with the cause's own words.
    return `${what}: the cluster's API server is not reachable (${causeOf(e)}).`;
  }
  return kubeError(e, what).message.split('\n')[0] ?? what;
}

/** The innermost cause's code or message: undici wraps the socket error in "fetch failed". */
function causeOf(e: Error): string {
  let cur: unknown = e;
  while (cur instanceof Error && cur.cause !== undefined) cur = cur.cause;
  const code = (cur as { code?: unknown })?.code;
  return typeof code === 'string' ? code : cur instanceof Error ? cur.message : String(cur);
}

/** Pods as JSON, minus what is noise (managedFields) or may quote secrets verbatim (env values, last-applied). */
function sanitizePod(pod: V1Pod): { pod: unknown; redactions: number } {
  const plain = JSON.parse(JSON.stringify(pod)) as V1Pod;
  let redactions = 0;
  if (plain.metadata) {
    delete plain.metadata.managedFields;
    if (plain.metadata.annotations) delete plain.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'];
  }
  for (const c of [...(plain.spec?.initContainers ?? []), ...(plain.spec?.containers ?? []), ...(plain.spec?.ephemeralContainers ?? [])]) {
    for (const e of c.env ?? []) {
      if (e.value && e.value !== REDACTED && SECRET_ENV_NAME.test(e.name)) {
        e.value = REDACTED;
        redactions += 1;
      }
    }
  }
  return { pod: plain, redactions };
}

const stripManaged = <T extends { metadata?: { managedFields?: unknown } }>(o: T): T => {
  const plain = JSON.parse(JSON.stringify(o)) as T;
  if (plain.metadata) delete plain.metadata.managedFields;
  return plain;
};

/** What a node offers, the fields a resource problem is diagnosed from. */
function nodeSummary(n: V1Node) {
  return {
    name: n.metadata?.name ?? '',
    labels: { ...(n.metadata?.labels ?? {}) },
    capacity: { ...(n.status?.capacity ?? {}) },
    allocatable: { ...(n.status?.allocatable ?? {}) },
    conditions: (n.status?.conditions ?? []).map((c) => ({ type: c.type, status: c.status, ...(c.reason ? { reason: c.reason } : {}), ...(c.message ? { message: c.message } : {}) })),
  };
}

/** helm's release record WITHOUT its data (the rendered values can hold the HF token): name and labels. */
function helmRelease(s: V1Secret) {
  const labels = { ...(s.metadata?.labels ?? {}) };
  return {
    namespace: s.metadata?.namespace ?? '',
    secret: s.metadata?.name ?? '',
    name: labels.name ?? '',
    status: labels.status ?? '',
    version: Number(labels.version ?? 0),
    labels,
  };
}

/** Runs fn over items with at most `limit` in flight. */
async function pool<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

class Collector {
  readonly files: StagedFile[] = [];
  readonly warnings: string[] = [];
  private readonly core: CoreV1Api;
  private readonly req: ConfigurationOptions;

  constructor(private readonly o: ClusterCollectOptions) {
    this.core = o.kc.makeApiClient(CoreV1Api);
    this.req = requestOptions(o.signal, o.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS);
  }

  private warn(e: unknown, what: string): void {
    this.warnings.push(failure(e, what, this.o.signal));
  }

  /** Nodes first: it is also the reachability probe. False when nothing else is worth asking. */
  async nodes(): Promise<boolean> {
    try {
      const list = await this.core.listNode({}, this.req);
      this.files.push({ path: 'cluster/nodes.json', content: json(list.items.map(nodeSummary)) });
      return true;
    } catch (e) {
      this.warn(e, 'cluster nodes');
      // An answer (403, 500) means the server is there and namespaced reads may still be allowed.
      return statusCodeOf(e) !== undefined;
    }
  }

  async helmReleases(): Promise<void> {
    const releases: Array<ReturnType<typeof helmRelease>> = [];
    for (const namespace of this.o.namespaces) {
      try {
        // The field selector keeps every other Secret off the wire; the type check guards a server that ignores it.
        const list = await this.core.listNamespacedSecret({ namespace, fieldSelector: `type=${HELM_RELEASE_TYPE}` }, this.req);
        releases.push(...list.items.filter((s) => s.type === HELM_RELEASE_TYPE).map(helmRelease));
      } catch (e) {
        this.warn(e, `helm releases in ${namespace}`);
      }
    }
    releases.sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name) || a.version - b.version);
    this.files.push({ path: 'cluster/helm-releases.json', content: json(releases) });
  }

  async namespace(namespace: string): Promise<void> {
    const dir = `cluster/${safe(namespace)}`;
    let pods: V1Pod[];
    try {
      pods = (await this.core.listNamespacedPod({ namespace }, this.req)).items;
    } catch (e) {
      this.warn(e, `pods in ${namespace}`);
      return;
    }
    let events: CoreV1Event[] = [];
    try {
      events = sortEvents((await this.core.listNamespacedEvent({ namespace }, this.req)).items);
    } catch (e) {
      this.warn(e, `events in ${namespace}`);
    }
    const sanitized = pods.map(sanitizePod);
    this.files.push({
      path: `${dir}/pods.json`,
      content: json({ apiVersion: 'v1', kind: 'PodList', items: sanitized.map((s) => s.pod) }),
      redactions: sanitized.reduce((n, s) => n + s.redactions, 0),
    });
    this.files.push({ path: `${dir}/events.json`, content: json({ apiVersion: 'v1', kind: 'EventList', items: events.map(stripManaged) }) });
    for (const pod of pods) this.files.push({ path: `${dir}/describe/${safe(pod.metadata?.name ?? '')}.txt`, content: describePod(pod, events) });
    await pool(pods.flatMap((p) => containersOf(p).map((c) => ({ pod: p, ...c }))), this.o.concurrency ?? 4, (c) => this.logs(dir, namespace, c));
  }

  /** The last lines of one container; a container with no log yet gets a file saying why, not a warning. */
  private async logs(dir: string, namespace: string, c: { pod: V1Pod; name: string; restartCount: number }): Promise<void> {
    const pod = c.pod.metadata?.name ?? '';
    const base = `${dir}/logs/${safe(pod)}/${safe(c.name)}`;
    const read = (previous: boolean) =>
      this.core.readNamespacedPodLog({ name: pod, namespace, container: c.name, tailLines: this.o.tailLines ?? DEFAULT_TAIL_LINES, previous }, this.req);
    try {
      this.files.push({ path: `${base}.log`, content: await read(false) });
    } catch (e) {
      this.files.push({ path: `${base}.log`, content: `(no log available: ${failure(e, `logs of ${namespace}/${pod}/${c.name}`, this.o.signal)})\n` });
    }
    if (c.restartCount > 0) {
      try {
        this.files.push({ path: `${base}.previous.log`, content: await read(true) });
      } catch (e) {
        failure(e, 'previous log', this.o.signal); // rethrows a cancel; otherwise the previous log is optional
      }
    }
  }
}

/** Every container that can have a log: init containers, the main ones, and their restart counts. */
function containersOf(pod: V1Pod): Array<{ name: string; restartCount: number }> {
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  return [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].map((c) => ({
    name: c.name,
    restartCount: statuses.find((s) => s.name === c.name)?.restartCount ?? 0,
  }));
}

export async function collectCluster(o: ClusterCollectOptions): Promise<ClusterCollection> {
  const c = new Collector(o);
  if (!(await c.nodes())) {
    c.warnings.push('The cluster did not answer: no pods, events or logs are in this bundle.');
    return { files: c.files, warnings: c.warnings };
  }
  await c.helmReleases();
  for (const ns of o.namespaces) {
    o.signal?.throwIfAborted();
    await c.namespace(ns);
  }
  // Logs arrive in whatever order the pool finished; the MANIFEST reads better (and diffs) sorted.
  return { files: [...c.files].sort((a, b) => a.path.localeCompare(b.path)), warnings: c.warnings };
}
