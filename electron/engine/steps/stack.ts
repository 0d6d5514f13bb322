// Step "Deploy the llm-d stack" (DESIGN.md §4 step 7): the namespace, the HF token Secret (only when a
// token is set), then `helmfile sync` of infra / gaie / ms rendered from the settings (resources/stack →
// <app data>/stack/current). A hash of what was synced lets detect() see a settings change (replicas,
// model, images) without running helmfile.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { CoreV1Api } from '@kubernetes/client-node';
import { HF_TOKEN_SECRET } from '../../../shared/stack.js';
import { applyObjects, type ManifestObject } from '../kube/apply.js';
import { writeStack, type RenderedFile } from '../stack/render.js';
import type { PlanContext, Step, StepContext } from '../plan/step.js';
import { clusterConfig, helmReleases, liveCluster, nodeReady, readRecord, renderFor, requireCluster, stackDir, writeRecord } from './cluster-api.js';

const stackReleases = (plan: PlanContext): string[] => [plan.release.charts.infra.release, plan.release.charts.gaie.release, plan.release.charts.ms.release];
const RECORD = 'stack-applied.json';

export const stackHelmfileArgs = (verb: 'sync' | 'destroy', file: string, plan: PlanContext): string[] =>
  [verb, '-f', file, '--kube-context', plan.settings.profile];

export const stackHash = (files: RenderedFile[], namespace: string): string =>
  createHash('sha256').update(JSON.stringify([namespace, files.filter((f) => /^(helmfile|gaie-values|ms-values)\.yaml$/.test(f.name))])).digest('hex');

export function namespaceObject(ns: string): ManifestObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } };
}

export function tokenSecret(ns: string, token: string): ManifestObject {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name: HF_TOKEN_SECRET, namespace: ns }, type: 'Opaque', stringData: { HF_TOKEN: token } } as ManifestObject;
}

async function hfToken(ctx: StepContext): Promise<string | undefined> {
  return (await ctx.services.hfToken?.()) || undefined;
}

export const stack: Step = {
  id: 'stack',
  title: 'Deploy the llm-d stack',
  needs: ['istio', 'monitoring', 'crds'],
  describe(plan) {
    const files = renderFor(plan, process.env);
    const file = path.join('<app data>', 'stack', 'current', 'helmfile.yaml');
    return {
      commands: [['helmfile', ...stackHelmfileArgs('sync', file, plan)]],
      manifests: [
        { name: `namespace/${plan.settings.namespace}`, yaml: `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${plan.settings.namespace}\n` },
        ...files.filter((f) => ['helmfile.yaml', 'gaie-values.yaml', 'ms-values.yaml'].includes(f.name)).map((f) => ({ name: f.name, yaml: f.content })),
      ],
      notes: [`When a Hugging Face token is set: Secret ${HF_TOKEN_SECRET} in ${plan.settings.namespace} (key HF_TOKEN), referenced by the model server.`],
    };
  },
  async detect(ctx) {
    const live = await liveCluster(ctx);
    if (!live.kc) return { state: 'todo', reason: live.why };
    const releases = await helmReleases(live.kc, ctx.settings.namespace);
    const missing = stackReleases(ctx).filter((r) => releases.get(r) !== 'deployed');
    if (missing.length) return { state: 'todo', reason: `not deployed: ${missing.join(', ')}` };
    const want = stackHash(renderFor(ctx, ctx.env, (await hfToken(ctx)) !== undefined), ctx.settings.namespace);
    if (readRecord<{ hash: string }>(ctx, RECORD)?.hash !== want) return { state: 'todo', reason: 'the settings changed since the last sync' };
    return { state: 'done', detail: `${stackReleases(ctx).join(', ')} (${ctx.release.title}) deployed in ${ctx.settings.namespace}` };
  },
  async run(ctx) {
    const kc = requireCluster(ctx);
    const ns = ctx.settings.namespace;
    const token = await hfToken(ctx);
    const files = renderFor(ctx, ctx.env, token !== undefined);
    const written = await writeStack(stackDir(ctx), files);
    ctx.log(`Rendered the stack into ${stackDir(ctx)}`);
    const objects = [namespaceObject(ns), ...(token ? [tokenSecret(ns, token)] : [])];
    await applyObjects(kc, objects, { signal: ctx.signal, onApplied: (ref) => ctx.log(`applied ${ref}`) });
    ctx.progress(0.1, 'helmfile sync');
    await ctx.run('helmfile', stackHelmfileArgs('sync', written['helmfile.yaml']!, ctx));
    writeRecord(ctx, RECORD, { hash: stackHash(files, ns), at: new Date().toISOString() });
  },
  async undo(ctx) {
    const kc = clusterConfig(ctx);
    if (!kc || !(await nodeReady(kc, ctx.settings.profile)).ok) {
      ctx.log(`The cluster "${ctx.settings.profile}" does not answer: nothing to remove from it.`);
      return;
    }
    const ns = ctx.settings.namespace;
    const releases = await helmReleases(kc, ns);
    if (stackReleases(ctx).some((r) => releases.has(r))) {
      const files = renderFor(ctx, ctx.env);
      const written = await writeStack(stackDir(ctx), files);
      await ctx.run('helmfile', stackHelmfileArgs('destroy', written['helmfile.yaml']!, ctx));
    } else {
      ctx.log('No stack release is installed.');
    }
    try {
      await kc.makeApiClient(CoreV1Api).deleteNamespace({ name: ns });
      ctx.log(`Deleted namespace ${ns}.`);
    } catch (e) {
      if ((e as { code?: unknown }).code !== 404) throw e;
      ctx.log(`Namespace ${ns} is already gone.`);
    }
    writeRecord(ctx, RECORD, {});
  },
};
