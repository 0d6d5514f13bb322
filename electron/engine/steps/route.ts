// Step "Route the gateway to the model servers" (docs/architecture.md §4 step 8): the HTTPRoute whose backend is the
// InferencePool in the `inference.networking.k8s.io` group. Istio 1.28 rejects the older
// `inference.networking.x-k8s.io` group (InvalidKind / BackendNotFound); when the route carries it — an
// outdated manifest, or something rewrote it — the step repairs it by re-applying the right group, and
// waits (informer, no polling) until Istio reports the route's references resolved.
import { CustomObjectsApi, makeInformer, type KubeConfig, type KubernetesListObject, type KubernetesObject } from '@kubernetes/client-node';
import { ApiException } from '../../../shared/result.js';
import { releaseNames, type StackRelease } from '../../../shared/release.js';
import { INFERENCE_POOL_GROUP, INFERENCE_POOL_GROUP_LEGACY } from '../../../shared/stack.js';
import { applyObjects, deleteObjects, parseManifests } from '../kube/apply.js';
import type { Step, StepContext } from '../plan/step.js';
import { clusterConfig, liveCluster, nodeReady, requireCluster } from './cluster-access.js';
import { isNotFound } from '../kube/errors.js';
import { fileIn, renderFor } from './rendered-stack.js';
import { timeoutMs } from './timeouts.js';

/** The route's and pool's names; a release with an Istio gateway must name its HTTPRoute. */
function routeNames(r: StackRelease): { httpRoute: string; inferencePool: string } {
  const n = releaseNames(r);
  if (!n.httpRoute) throw new ApiException('INTERNAL', `The stack release ${r.id} names no HTTPRoute.`);
  return { httpRoute: n.httpRoute, inferencePool: n.inferencePool };
}

const GROUP = 'gateway.networking.k8s.io';
const VERSION = 'v1';
const PLURAL = 'httproutes';

interface Condition { type: string; status: string; reason?: string; message?: string; observedGeneration?: number }
export interface RouteLike extends KubernetesObject {
  spec?: { rules?: Array<{ backendRefs?: Array<{ group?: string; kind?: string; name?: string }> }> };
  status?: { parents?: Array<{ conditions?: Condition[] }> };
}

/** The InferencePool backend groups the route names. */
export const poolGroups = (r: RouteLike): string[] =>
  (r.spec?.rules ?? []).flatMap((rule) => rule.backendRefs ?? []).filter((b) => b.kind === 'InferencePool').map((b) => b.group ?? '');

export const hasLegacyGroup = (r: RouteLike): boolean => poolGroups(r).some((g) => g === INFERENCE_POOL_GROUP_LEGACY);

/** Istio's verdict on the route's current generation: resolved, refused (with why) or not yet known. */
export function routeVerdict(r: RouteLike): { state: 'resolved' } | { state: 'refused'; reason: string; message: string } | { state: 'pending' } {
  const gen = r.metadata?.generation;
  const conds = (r.status?.parents ?? []).flatMap((p) => p.conditions ?? []).filter((c) => gen === undefined || c.observedGeneration === undefined || c.observedGeneration === gen);
  const resolved = conds.find((c) => c.type === 'ResolvedRefs');
  if (!resolved) return { state: 'pending' };
  if (resolved.status === 'True') return { state: 'resolved' };
  return { state: 'refused', reason: resolved.reason ?? 'ResolvedRefs False', message: resolved.message ?? '' };
}

async function readRoute(kc: KubeConfig, ns: string, name: string): Promise<RouteLike | undefined> {
  try {
    return (await kc.makeApiClient(CustomObjectsApi).getNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: ns, plural: PLURAL, name })) as RouteLike;
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

/** Resolves with the route each time it changes (through an informer), until `decide` returns a value. */
function watchRoute<T>(kc: KubeConfig, ns: string, name: string, decide: (r: RouteLike) => T | undefined, opts: { timeoutMs: number; signal: AbortSignal }): Promise<T> {
  const custom = kc.makeApiClient(CustomObjectsApi);
  const inf = makeInformer<RouteLike>(kc, `/apis/${GROUP}/${VERSION}/namespaces/${ns}/${PLURAL}`,
    () => custom.listNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: ns, plural: PLURAL }) as Promise<KubernetesListObject<RouteLike>>);
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const finish = (f: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal.removeEventListener('abort', onAbort);
      inf.stop().catch(() => undefined);
      f();
    };
    const check = (r: RouteLike) => {
      if (r.metadata?.name !== name) return;
      let out: T | undefined;
      try {
        out = decide(r);
      } catch (e) {
        return finish(() => reject(e));
      }
      if (out !== undefined) finish(() => resolve(out));
    };
    const onAbort = () => finish(() => reject(new ApiException('CANCELLED', 'Cancelled by the user.')));
    const timer = setTimeout(() => finish(() => reject(new ApiException('TIMEOUT',
      `Istio did not report on HTTPRoute ${name} within ${Math.round(opts.timeoutMs / 1000)} s.`,
      `Check \`kubectl describe httproute ${name} -n ${ns}\` and that istiod is running.`))), opts.timeoutMs);
    opts.signal.addEventListener('abort', onAbort, { once: true });
    inf.on('add', check);
    inf.on('update', check);
    inf.on('error', () => { if (!settled) setTimeout(() => { if (!settled) inf.start().catch(() => undefined); }, 1000); });
    inf.start().then(() => inf.list().forEach(check), (e: unknown) => finish(() => reject(e)));
  });
}

async function applyRoute(ctx: StepContext, kc: KubeConfig): Promise<void> {
  const objects = parseManifests(fileIn(renderFor(ctx, ctx.env), 'httproute.yaml'), 'httproute.yaml');
  await applyObjects(kc, objects, { signal: ctx.signal, onApplied: (ref) => ctx.log(`applied ${ref}`) });
}

export const route: Step = {
  id: 'route',
  title: 'Route the gateway to the model servers',
  needs: ['stack'],
  // Only an Istio gateway needs our HTTPRoute; the standalone proxy is the EPP pod's own Service.
  include: (plan) => plan.release.gateway.provider === 'istio',
  describe(plan) {
    return {
      commands: [],
      manifests: [{ name: 'httproute.yaml', yaml: fileIn(plan.renderedStack(), 'httproute.yaml') }],
      notes: [`Server-side applied; a backend in ${INFERENCE_POOL_GROUP_LEGACY} (which Istio rejects) is repaired to ${INFERENCE_POOL_GROUP}. Waits until the route reports "All references resolved".`],
    };
  },
  async detect(ctx) {
    const live = await liveCluster(ctx);
    if (!live.kc) return { state: 'todo', reason: live.why };
    const names = routeNames(ctx.release);
    const r = await readRoute(live.kc, ctx.settings.namespace, names.httpRoute);
    if (!r) return { state: 'todo', reason: `no HTTPRoute ${names.httpRoute} yet` };
    if (hasLegacyGroup(r)) return { state: 'todo', reason: `the route's InferencePool backend uses ${INFERENCE_POOL_GROUP_LEGACY}; it will be repaired to ${INFERENCE_POOL_GROUP}` };
    const v = routeVerdict(r);
    if (v.state === 'refused') return { state: 'todo', reason: `Istio refuses the route: ${v.reason} ${v.message}` };
    return { state: 'done', detail: `HTTPRoute ${names.httpRoute} → InferencePool ${names.inferencePool} (${INFERENCE_POOL_GROUP})${v.state === 'pending' ? ', not yet reported by Istio' : ', all references resolved'}` };
  },
  async run(ctx) {
    const kc = requireCluster(ctx);
    const ns = ctx.settings.namespace;
    const limit = timeoutMs(ctx.env, 'LLMD_WAIT_ROUTE_MS', 180_000);
    const names = routeNames(ctx.release);
    await applyRoute(ctx, kc);
    for (let repairs = 0; ; repairs++) {
      const outcome = await watchRoute(kc, ns, names.httpRoute, (r) => {
        if (hasLegacyGroup(r)) return 'legacy' as const;
        const v = routeVerdict(r);
        if (v.state === 'resolved') return 'resolved' as const;
        if (v.state === 'refused') throw new ApiException('KUBE', `Istio refuses HTTPRoute ${names.httpRoute}: ${v.reason}: ${v.message}`,
          `See \`kubectl describe httproute ${names.httpRoute} -n ${ns}\`; the InferencePool ${names.inferencePool} must exist (the stack step creates it).`);
        return undefined;
      }, { timeoutMs: limit, signal: ctx.signal });
      if (outcome === 'resolved') {
        ctx.log(`HTTPRoute ${names.httpRoute}: all references resolved.`);
        return;
      }
      if (repairs >= 3) throw new ApiException('CONFLICT', `HTTPRoute ${names.httpRoute} keeps getting the ${INFERENCE_POOL_GROUP_LEGACY} group back after ${repairs} repairs.`, 'Something else manages this route (another tool or an old manifest being re-applied); stop it and retry.');
      ctx.log(`The route's InferencePool backend uses ${INFERENCE_POOL_GROUP_LEGACY}, which Istio rejects (InvalidKind). Repairing: re-applying it with ${INFERENCE_POOL_GROUP}.`);
      await applyRoute(ctx, kc);
    }
  },
  async undo(ctx) {
    const kc = clusterConfig(ctx);
    if (!kc || !(await nodeReady(kc, ctx.settings.profile)).ok) return ctx.log('The cluster does not answer: no route to delete.');
    const deleted = await deleteObjects(kc, parseManifests(fileIn(renderFor(ctx, ctx.env), 'httproute.yaml')));
    ctx.log(deleted.length ? `Deleted ${deleted.join(', ')}.` : 'No route to delete.');
  },
};
