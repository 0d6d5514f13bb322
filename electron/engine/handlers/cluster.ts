// cluster.*, pod.logs.* and access.* (shared/api/cluster.ts), the Cluster page: a live view of the app's namespaces through
// informers (pods.changed / events.changed on every change), container log streams (pod.log events), and
// the local URLs (access.*: the gateway, Prometheus and Grafana forwards, restarted when they died).
import { randomUUID } from 'node:crypto';
import type { ClusterSnapshot, clusterMethods } from '../../../shared/api/cluster.js';
import { ApiException } from '../../../shared/result.js';
import { gatewayNamespaces } from '../../../shared/release.js';
import { loadRelease } from '../stack/releases.js';
import type { EngineContext } from '../context.js';
import type { Handlers } from '../dispatch.js';
import type { SettingsOverrides } from '../settings/service.js';
import { accessStatus, closeForward, openForward } from '../forward/access.js';
import { ClusterWatch } from '../kube/cluster-watch.js';
import { loadClusterConfig } from '../kube/kubeconfig.js';
import { followPodLog, type LogStream } from '../kube/pod-logs.js';
import { nodeReady } from '../steps/cluster-access.js';

/** Open follow streams at once, across the engine's clients: each holds an API server connection, so a page that
 * opens them in a loop (or a client that never stops them) cannot exhaust the engine or the API server. The Cluster
 * page shows one at a time. */
export const MAX_LOG_STREAMS = 16;

export function createClusterHandlers(ctx: Pick<EngineContext, 'paths' | 'env' | 'toolEnv' | 'settings' | 'events' | 'onDispose' | 'redactor' | 'secrets'>): Pick<Handlers, keyof typeof clusterMethods> {
  const paths = ctx.paths;
  // The settings service's copy: loaded once, replaced by each save, never re-read per call.
  const settings = () => ctx.settings.current();
  const env = () => ctx.toolEnv();
  let watch: { key: string; watch: ClusterWatch } | undefined;
  const streams = new Map<string, LogStream>();
  // Ids of streams between the cap check and their entry in `streams`, taken before the first await: two
  // requests in one write must not both pass the cap, nor both open one client-chosen id.
  const opening = new Set<string>();

  const stopWatch = async () => {
    const w = watch;
    watch = undefined;
    await w?.watch.stop();
  };
  // The watch follows the settings' namespaces (the stack's, the gateway's, monitoring's when it is on):
  // a save drops it so the next snapshot watches what the new settings name, not what the old ones did.
  ctx.onDispose(ctx.settings.onChange(() => void stopWatch()));
  ctx.onDispose(async () => {
    for (const s of streams.values()) s.stop();
    streams.clear();
    await stopWatch();
  });

  // The saved settings with the caller's overrides (`cli status --release …`): the services a forward targets.
  const access = (overrides: SettingsOverrides = {}) => {
    const s = ctx.settings.effective(overrides);
    return { runDir: paths.runDir, env: env(), settings: s,
      onRestart: (info: { name: 'gateway' | 'prometheus' | 'grafana'; alive: boolean; url: string }, message: string) =>
        ctx.events.emit('forward.state', { name: info.name, alive: info.alive, url: info.url, message }) };
  };

  type StartRequest = Parameters<Handlers['pod.logs.start']>[0];
  const startStream = async (req: StartRequest, streamId: string): Promise<{ streamId: string }> => {
    const s = settings();
    // A container can print the HF token (a model server echoing its environment, a failed download's URL):
    // pod log lines pass the same redactor as step logs, which must know the token before the first line.
    await ctx.secrets.learn();
    const kc = loadClusterConfig({ context: s.profile, env: ctx.env });
    let batch: string[] = [];
    let timer: NodeJS.Timeout | undefined;
    // Coalesce lines (~16 ms) so a chatty container never floods the UI.
    const flush = () => {
      timer = undefined;
      if (batch.length) ctx.events.emit('pod.log', { streamId, lines: batch });
      batch = [];
    };
    const stream = await followPodLog(kc, {
      namespace: req.namespace, pod: req.pod, container: req.container, follow: req.follow ?? true, ...(req.tailLines !== undefined ? { tailLines: req.tailLines } : { tailLines: 500 }),
      onLine: (l) => {
        batch.push(ctx.redactor.redact(l));
        timer ??= setTimeout(flush, 16);
      },
      onEnd: (error) => {
        if (timer) clearTimeout(timer);
        flush();
        streams.delete(streamId);
        ctx.events.emit('pod.log', { streamId, lines: [], ended: true, ...(error ? { error } : {}) });
      },
    });
    streams.set(streamId, stream);
    return { streamId };
  };

  return {
    async 'cluster.snapshot'(): Promise<ClusterSnapshot> {
      const s = settings();
      let kc;
      try {
        kc = loadClusterConfig({ context: s.profile, env: ctx.env });
      } catch (e) {
        await stopWatch();
        return { reachable: false, problem: e instanceof Error ? e.message : String(e), pods: [], events: [] };
      }
      const up = await nodeReady(kc, s.profile);
      if (!up.ok) {
        await stopWatch();
        return { reachable: false, problem: `The cluster "${s.profile}" does not answer (${up.why ?? 'stopped'}).`, pods: [], events: [] };
      }
      const release = loadRelease(s.release);
      const namespaces = () => [s.namespace, ...gatewayNamespaces(release), ...(s.monitoring ? [release.monitoringNamespace] : [])];
      const key = `${s.profile}|${kc.getCurrentCluster()?.server ?? ''}|${s.namespace}|${release.id}`;
      if (watch?.key !== key) {
        await stopWatch();
        const w = new ClusterWatch(kc, {
          namespaces: namespaces(),
          onPods: (pods) => ctx.events.emit('pods.changed', { pods }),
          onEvents: (events) => ctx.events.emit('events.changed', { events }),
        });
        watch = { key, watch: w };
        await w.start();
      }
      return { reachable: true, pods: watch.watch.pods(), events: watch.watch.events(), namespaces: namespaces() };
    },
    async 'pod.logs.start'(req) {
      const streamId = req.streamId ?? `log-${randomUUID().slice(0, 8)}`;
      if (streams.has(streamId) || opening.has(streamId)) {
        throw new ApiException('CONFLICT', `A pod log stream with the id ${streamId} is already open.`, 'Send a new id with each request.');
      }
      if (streams.size + opening.size >= MAX_LOG_STREAMS) {
        throw new ApiException('CONFLICT', `${streams.size + opening.size} pod log streams are already open`, 'Stop one (pod.logs.stop) before opening another.');
      }
      opening.add(streamId);
      try {
        return await startStream(req, streamId);
      } finally {
        opening.delete(streamId);
      }
    },
    'pod.logs.stop'(req) {
      const s = streams.get(req.streamId);
      if (!s) return { stopped: false };
      s.stop();
      return { stopped: true };
    },
    'access.status': (req) => accessStatus(access(req.settings ?? {})),
    async 'access.open'(req) {
      // A forward names the cluster of the saved settings: never one guessed from defaults.
      ctx.settings.requireReadable(`open the ${req.name} forward`);
      try {
        const info = await openForward(req.name, access(req.settings ?? {}));
        ctx.events.emit('forward.state', { name: info.name, alive: true, url: info.url });
        return info;
      } catch (e) {
        if (e instanceof ApiException) throw e;
        throw new ApiException('KUBE', `Could not open ${req.name}: ${e instanceof Error ? e.message : String(e)}`);
      }
    },
    async 'access.close'(req) {
      const closed = await closeForward(req.name, paths.runDir);
      ctx.events.emit('forward.state', { name: req.name, alive: false });
      return { closed };
    },
  };
}
