// What the Playground needs from the cluster: the gateway's local URL (through the detached forwarder),
// the decode pods (name ↔ IP for attribution), the EPP's "Request handled" lines (and whether the
// gateway keeps our request ids), and each replica's /metrics. One link per engine; it follows the
// current settings (profile → context, namespace).
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { releaseNames, releaseSelectors, type StackRelease } from '../../../shared/release.js';
import { loadRelease } from '../stack/releases.js';
import { parseEppLine, RequestIdWatch, type HandledRequest } from '../chat/attribution.js';
import { loadClusterConfig } from '../kube/kubeconfig.js';
import { followPodLog, type LogStream } from '../kube/pod-logs.js';
import { podHttpGet } from '../kube/pod-http.js';
import { ensureForward, type ForwarderLauncher, type ForwardSpec } from '../forward/forwards.js';
import { readForwardState, stateFileFor, type ForwardState } from '../forward/forward-state.js';
import { pidAlive } from '../plan/journal.js';

export interface ClusterTarget {
  profile: string;
  namespace: string;
  /** The stack release id: names, selectors, containers and ports of what is installed. */
  release: string;
}

export interface DecodePod {
  name: string;
  ip?: string;
  ready: boolean;
}

export interface ClusterLink {
  gatewayUrl(): Promise<string>;
  /** A request to that URL could not connect: the next gatewayUrl() checks the forward in full again. */
  forgetGateway(): void;
  decodePods(): Promise<DecodePod[]>;
  /** Registers an id the app is about to send, so the link can tell whether the gateway keeps ids. */
  noteSent(requestId: string): void;
  /**
   * The EPP record for a request id, waiting up to `waitMs` for its log line — or, for an id the app sent,
   * not at all once the link has learnt that the gateway rewrites ids (that line will never come). An id
   * the replica says it `served` (received from the gateway) is always waited for: the EPP logged it.
   */
  handled(requestId: string, waitMs: number, opts?: { served?: boolean }): Promise<HandledRequest | undefined>;
  /** The EPP logs "Request handled" lines, but none with an id the app sent recently. */
  idRewritten(): boolean;
  /** The EPP's log has named a request by the id the app sent (and nothing since says ids are replaced). */
  idKept(): boolean;
  /** Whether the EPP logs routing decisions (its --v flag ≥ 3). */
  eppVerbose(): Promise<boolean>;
  metrics(pod: string): Promise<string>;
  close(): void;
}

export interface ClusterLinkOptions {
  target: () => ClusterTarget;
  env: NodeJS.ProcessEnv;
  runDir: string;
  launcher?: ForwarderLauncher;
  /** Opens or checks a forward (default ensureForward; a test counts the calls). */
  ensure?: typeof ensureForward;
}

const sameForward = (a: ForwardState, b: ForwardState, spec: ForwardSpec): boolean =>
  a.pid === b.pid && a.port === b.port && a.startedAt === b.startedAt
  && a.context === spec.context && a.namespace === spec.namespace && a.service === spec.service && a.servicePort === spec.servicePort;

const MAX_RECORDS = 2000;

export function createClusterLink(opts: ClusterLinkOptions): ClusterLink {
  let eppFollow: { pod: string; target: string; follower: LogStream } | undefined;
  const records = new Map<string, HandledRequest>();
  const waiters = new Map<string, Array<(r: HandledRequest) => void>>();
  const ids = new RequestIdWatch();
  let gateway: ForwardState | undefined;

  const kc = (): KubeConfig => loadClusterConfig({ context: opts.target().profile, env: opts.env });
  const core = () => kc().makeApiClient(CoreV1Api);

  const release = (): StackRelease => loadRelease(opts.target().release);
  const eppPods = async () => (await core().listNamespacedPod({ namespace: opts.target().namespace, labelSelector: releaseSelectors(release()).epp })).items;

  const onEppLine = (line: string): void => {
    const rec = parseEppLine(line);
    if (!rec?.requestId) return;
    ids.onLine(rec.requestId);
    records.set(rec.requestId, rec);
    if (records.size > MAX_RECORDS) records.delete(records.keys().next().value!);
    for (const w of waiters.get(rec.requestId) ?? []) w(rec);
    waiters.delete(rec.requestId);
  };

  /**
   * Follows the EPP log from now on. A follow in place is kept without asking the API server again: it
   * ends (onEnd below) when its pod goes away, and the next request then attaches to the new EPP pod.
   * Listing the pods on every request put an API round trip before each reply's first token. Another
   * cluster or namespace in the settings is another EPP: then the pods are listed again.
   */
  const ensureEppFollow = async (): Promise<void> => {
    const t = opts.target();
    const target = `${t.profile}/${t.namespace}`;
    if (eppFollow?.target === target) return;
    const pod = (await eppPods()).find((p) => p.status?.phase === 'Running')?.metadata?.name;
    if (!pod) return;
    eppFollow?.follower.stop();
    const follower: LogStream = await followPodLog(kc(), {
      namespace: opts.target().namespace, pod, container: release().containers.epp, follow: true, tailLines: 0,
      onLine: onEppLine,
      // The EPP pod went away or the stream broke: the next request re-attaches.
      onEnd: () => { if (eppFollow?.follower === follower) eppFollow = undefined; },
    });
    eppFollow = { pod, target, follower };
  };

  return {
    async gatewayUrl() {
      const t = opts.target();
      const spec: ForwardSpec = { name: 'gateway', context: t.profile, namespace: t.namespace, service: releaseNames(release()).gatewayService, servicePort: release().ports.gatewayService, preferredPort: 8000 };
      // The forward this link saw answer is used again while its state file still names that forwarder
      // and the process lives: ensureForward's TCP probe of the port cost 1–16 ms before every reply's
      // first token on a loaded machine (most of what the app added to it). A forwarder gone in a way the
      // file does not show makes the request fail to connect; the Playground then calls forgetGateway().
      const recorded = gateway ? readForwardState(stateFileFor(opts.runDir, spec.name)) : undefined;
      const f = gateway && recorded && sameForward(recorded, gateway, spec) && pidAlive(recorded.pid)
        ? gateway
        : await (opts.ensure ?? ensureForward)(spec, { runDir: opts.runDir, env: opts.env, ...(opts.launcher ? { launcher: opts.launcher } : {}) });
      gateway = f;
      // Start listening for routing decisions before the first request goes out.
      await ensureEppFollow().catch(() => undefined);
      return f.url;
    },
    async decodePods() {
      const pods = await core().listNamespacedPod({ namespace: opts.target().namespace, labelSelector: releaseSelectors(release()).decode });
      return pods.items.map((p) => ({
        name: p.metadata?.name ?? '',
        ...(p.status?.podIP ? { ip: p.status.podIP } : {}),
        ready: (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'),
      }));
    },
    forgetGateway() {
      gateway = undefined;
    },
    noteSent(requestId) {
      ids.noteSent(requestId);
    },
    idRewritten: () => ids.rewritten,
    idKept: () => ids.kept,
    async handled(requestId, waitMs, o) {
      const have = records.get(requestId);
      if (have) return have;
      if ((ids.rewritten && !o?.served) || waitMs <= 0) return undefined;
      return new Promise((resolve) => {
        const t = setTimeout(() => {
          const list = waiters.get(requestId)?.filter((w) => w !== done) ?? [];
          if (list.length) waiters.set(requestId, list);
          else waiters.delete(requestId);
          ids.onMissed(requestId);
          resolve(undefined);
        }, waitMs);
        const done = (r: HandledRequest) => { clearTimeout(t); resolve(r); };
        waiters.set(requestId, [...(waiters.get(requestId) ?? []), done]);
      });
    },
    async eppVerbose() {
      const pod = (await eppPods())[0];
      const args = pod?.spec?.containers?.find((c) => c.name === release().containers.epp)?.args ?? [];
      for (let i = 0; i < args.length; i++) {
        const a = args[i]!;
        const m = /^--?v(?:=(\d+))?$/.exec(a);
        if (m) return Number(m[1] ?? args[i + 1] ?? 0) >= 3;
      }
      return false;
    },
    async metrics(pod) {
      const r = await podHttpGet(kc(), opts.target().namespace, pod, release().ports.decodeVllm, '/metrics');
      if (r.status !== 200) throw new Error(`/metrics answered ${r.status}`);
      return r.body;
    },
    close() {
      eppFollow?.follower.stop();
      eppFollow = undefined;
    },
  };
}
