// Step "Wait for the model servers" (docs/architecture.md §4 step 9): once the Deployment controller has seen the
// newest specs (a short bounded check, rolloutsObserved), client-node informers on the namespace's pods and
// events (no polling), kubectl-equivalent READY per pod, until the EPP is 1/1, the gateway 1/1 and
// every decode replica 2/2. Fails fast, naming the cause, when a decode pod is OOMKilled or stays in
// ImagePullBackOff / CrashLoopBackOff, or cannot be scheduled (the node has too little CPU or memory for
// what the stack requests — Prometheus in the monitoring namespace included), instead of waiting out the
// (generous) timeout.
import { ApiException } from '../../../shared/result.js';
import type { PodSummary } from '../../../shared/api/cluster.js';
import { AppsV1Api, type KubeConfig } from '@kubernetes/client-node';
import { replicaResources } from '../../../shared/api/settings.js';
import { decodeWaitSeconds, fillNames, releaseNames, releaseSelectors } from '../../../shared/release.js';
import { ClusterWatch } from '../kube/cluster-watch.js';
import { labelMatcher } from '../kube/pod-summary.js';
import type { PlanContext, Step, StepContext } from '../plan/step.js';
import { liveCluster, podsMatching, requireCluster } from './cluster-access.js';
import { timeoutMs } from './timeouts.js';

const STUCK = new Set(['ImagePullBackOff', 'ErrImagePull', 'CrashLoopBackOff']);

/** Waits per group: the guide's 300 s for EPP and gateway; for decode the model's own startup budget. */
export function readyWaits(plan: PlanContext, env: NodeJS.ProcessEnv) {
  // The model's startup probe budget plus a margin (shared/release.ts decodeWaitSeconds; Configure shows the same).
  const decodeDefault = decodeWaitSeconds(plan.release.models[plan.settings.model]) * 1000;
  // The release says what to wait for; the per-replica group is the model servers.
  return plan.release.readiness.map((w) => w.count === 'replicas'
    // A wait the person chose (the doctor's "keep waiting") wins over the environment's test-sized one.
    ? { what: w.what, selector: fillNames(plan.release, w.selector), count: plan.settings.replicas, timeoutMs: plan.settings.decodeWaitMinutes !== undefined ? plan.settings.decodeWaitMinutes * 60_000 : timeoutMs(env, 'LLMD_WAIT_DECODE_MS', decodeDefault) }
    : { what: w.what, selector: fillNames(plan.release, w.selector), count: 1, timeoutMs: timeoutMs(env, /gateway/i.test(w.what) ? 'LLMD_WAIT_GATEWAY_MS' : 'LLMD_WAIT_EPP_MS', 300_000) });
}

/** A decode pod problem that will not fix itself: OOMKilled at once, back-off states after a grace period. */
/**
 * Why waiting longer is pointless: a decode pod OOMKilled (vLLM outgrew its limit), or any pod of the
 * stack (EPP, gateway, decode) stuck in an image pull or crash back-off for the grace period.
 */
export function stackFault(pods: PodSummary[], stuckSince: Map<string, number>, now: number, graceMs: number, plan: PlanContext): ApiException | undefined {
  const isDecode = labelMatcher(releaseSelectors(plan.release).decode);
  // A pod on its way out (a scale-down after "1 replica", a rollout) keeps its old OOMKilled or back-off:
  // it is not what the wait is waiting for.
  const live = pods.filter((x) => x.status !== 'Terminating');
  // More decode pods than replicas: a scale-down has been asked for and the controller has not removed the
  // extra pod yet (it removes the crashing one first). Judge the decode pods once the count is right.
  const scalingDown = live.filter((p) => isDecode(p.labels)).length > plan.settings.replicas;
  // While a pod is going away its requests still hold room on the node, so a pod that cannot be placed may
  // fit in a moment (a rollout, a scale-down): judge "unschedulable" only when nothing is terminating.
  const terminating = pods.some((x) => x.status === 'Terminating');
  for (const p of live) {
    const decode = isDecode(p.labels);
    if (decode && scalingDown) continue;
    // The monitoring namespace is watched for one thing: a Prometheus (or Grafana) the node has no room for.
    // helm's --wait does not cover the Prometheus the operator creates after the release, so without this
    // the install reported success with Prometheus Pending; its other troubles are the doctor's to explain.
    const monitoring = p.namespace === plan.release.monitoringNamespace && p.namespace !== plan.settings.namespace;
    if (monitoring && !p.unschedulable) continue;
    if (decode && (p.lastTerminationReason === 'OOMKilled' || p.status === 'OOMKilled')) {
      const m = replicaResources(plan.settings);
      return new ApiException('KUBE', `Decode pod ${p.name} was OOMKilled: vLLM needed more memory than its ${m?.memoryLimitGi ?? '?'}Gi limit or the node ran out (${plan.settings.replicas} replicas in ${plan.settings.memoryMiB} MiB).`,
        'Run the doctor for one-click fixes: raise the memory limit, lower the KV cache, use 1 replica or a smaller model; or give minikube more memory (delete the cluster to resize it).');
    }
    if (p.unschedulable && !terminating) {
      const key = `unschedulable:${p.name}`;
      const since = stuckSince.get(key) ?? now;
      stuckSince.set(key, since);
      if (now - since >= graceMs) {
        return new ApiException('KUBE', `${decode ? 'Decode pod' : 'Pod'} ${p.name} cannot be scheduled: ${p.unschedulable} (for ${Math.round((now - since) / 1000)} s; the cluster has ${plan.settings.cpus} CPUs and ${plan.settings.memoryMiB} MiB).`,
          `The pods of the stack request more than the node has. Use fewer replicas (${plan.settings.replicas} now), or give minikube more CPUs / memory (delete the cluster to resize it); \`kubectl describe node\` shows what is allocated.`);
      }
      continue;
    }
    stuckSince.delete(`unschedulable:${p.name}`);
    if (STUCK.has(p.status)) {
      const since = stuckSince.get(p.name) ?? now;
      stuckSince.set(p.name, since);
      if (now - since >= graceMs) {
        return new ApiException('KUBE', `${decode ? 'Decode pod' : 'Pod'} ${p.name} is in ${p.status}${p.message ? `: ${p.message}` : ''} (for ${Math.round((now - since) / 1000)} s).`,
          p.status === 'CrashLoopBackOff'
            ? `See its logs: kubectl logs -n ${p.namespace} ${p.name}${decode ? ` -c ${plan.release.containers.modelServer}` : ''} --previous`
            : 'Check the image name and the network (or pre-pull it); an arm64-only image cannot run on an amd64 node.');
      }
    } else {
      stuckSince.delete(p.name);
    }
  }
  return undefined;
}

export const ready: Step = {
  id: 'ready',
  title: 'Wait for the model servers',
  needs: ['route'],
  describe(plan) {
    return {
      commands: [],
      notes: readyWaits(plan, plan.env).map((w) => `Wait until ${w.count} pod(s) with ${w.selector} are Ready (up to ${Math.round(w.timeoutMs / 60000)} min).`)
        .concat('Stops early with the reason when a decode pod is OOMKilled, or a pod of the stack is stuck in ImagePullBackOff / CrashLoopBackOff or cannot be scheduled.'),
    };
  },
  async detect(ctx) {
    const live = await liveCluster(ctx);
    if (!live.kc) return { state: 'todo', reason: live.why };
    const all = await podsMatching(live.kc, ctx.settings.namespace, '');
    const short = readyWaits(ctx, ctx.env).map((w) => {
      const m = labelMatcher(w.selector);
      return { ...w, ready: all.filter((p) => m(p.labels) && p.podReady).length };
    }).filter((w) => w.ready < w.count);
    return short.length === 0 ? { state: 'done', detail: 'EPP, gateway and every decode replica are Ready' }
      : { state: 'todo', reason: short.map((w) => `${w.what} ${w.ready}/${w.count} ready`).join(', ') };
  },
  async run(ctx) {
    await waitReady(ctx);
  },
};

/**
 * Waits until the Deployment controller has seen the newest spec of every Deployment in the namespace
 * (status.observedGeneration ≥ metadata.generation, the first thing `kubectl rollout status` waits for).
 * Until then the pods are the previous template's: after a fix that changed the model servers (a raised
 * memory limit), the old pod still shows the OOMKilled the fix is about and would fail the wait at once.
 * The controller answers in milliseconds; the bound only keeps a stuck controller from holding the step.
 */
async function rolloutsObserved(kc: KubeConfig, ns: string, signal: AbortSignal, boundMs = 30_000): Promise<void> {
  const apps = kc.makeApiClient(AppsV1Api);
  const until = Date.now() + boundMs;
  while (!signal.aborted && Date.now() < until) {
    const list = await apps.listNamespacedDeployment({ namespace: ns }).catch(() => undefined);
    const behind = (list?.items ?? []).filter((d) => (d.status?.observedGeneration ?? 0) < (d.metadata?.generation ?? 0));
    if (list && behind.length === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function waitReady(ctx: StepContext): Promise<void> {
  const ns = ctx.settings.namespace;
  await rolloutsObserved(requireCluster(ctx), ns, ctx.signal);
  const waits = readyWaits(ctx, ctx.env);
  const graceMs = timeoutMs(ctx.env, 'LLMD_READY_BACKOFF_GRACE_MS', 180_000);
  const seen = new Map<string, string>();
  const stuckSince = new Map<string, number>();
  const stop = new AbortController();
  const onOuterAbort = () => stop.abort(ctx.signal.reason);
  ctx.signal.addEventListener('abort', onOuterAbort, { once: true });
  let rejectFault: (e: ApiException) => void = () => undefined;
  const fault = new Promise<never>((_, reject) => { rejectFault = reject; });
  fault.catch(() => undefined);
  let graceTimer: NodeJS.Timeout | undefined;
  const watch = new ClusterWatch(requireCluster(ctx), {
    // The monitoring namespace too, for a Prometheus that cannot be scheduled (stackFault).
    namespaces: [...new Set([ns, ...(ctx.settings.monitoring ? [ctx.release.monitoringNamespace] : [])])],
    onPods: (pods) => {
      for (const p of pods) {
        const line = `${p.name} ${p.readyText} ${p.status}${p.restarts ? ` (${p.restarts} restarts${p.lastTerminationReason ? `, last ${p.lastTerminationReason}` : ''})` : ''}`;
        if (seen.get(p.name) !== line) ctx.log(line);
        seen.set(p.name, line);
      }
      const f = stackFault(pods, stuckSince, Date.now(), graceMs, ctx);
      if (f) rejectFault(f);
      // Re-check when a back-off state outlives the grace period without another change.
      if (graceTimer) clearTimeout(graceTimer);
      if (stuckSince.size) graceTimer = setTimeout(() => { const g = stackFault(watch.pods(), stuckSince, Date.now(), graceMs, ctx); if (g) rejectFault(g); }, graceMs + 50);
    },
    onEvents: (events) => {
      const e = events[0];
      if (e && e.type === 'Warning' && seen.get(`event:${e.object}:${e.reason}`) !== e.message) {
        seen.set(`event:${e.object}:${e.reason}`, e.message);
        ctx.log(`event ${e.object}: ${e.reason} — ${e.message}`);
      }
    },
  });
  try {
    await watch.start();
    const total = waits.reduce((n, w) => n + w.count, 0);
    const readyCount = new Map<string, number>();
    await Promise.race([
      Promise.all(waits.map((w) => watch.waitForReady({
        namespace: ns, selector: w.selector, count: w.count, timeoutMs: w.timeoutMs, signal: stop.signal,
        onProgress: (n) => {
          readyCount.set(w.what, Math.min(n, w.count));
          const sum = [...readyCount.values()].reduce((a, b) => a + b, 0);
          ctx.progress(sum / total, `${sum}/${total} pods ready`);
        },
      }))),
      fault,
    ]);
    const names = releaseNames(ctx.release);
    ctx.log(`Ready: EPP ${names.epp}${names.gateway ? `, gateway ${names.gateway}` : ''} and ${ctx.settings.replicas} decode replica(s).`);
  } finally {
    if (graceTimer) clearTimeout(graceTimer);
    ctx.signal.removeEventListener('abort', onOuterAbort);
    stop.abort();
    await watch.stop();
  }
}
