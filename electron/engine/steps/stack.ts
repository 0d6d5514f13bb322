// Step "Deploy the llm-d stack" (docs/architecture.md §4 step 7): the namespace, the HF token Secret (only when a
// token is set), then the release's stack: `helmfile sync` of infra / gaie / ms (the guide's release), or
// `helm upgrade --install` of the router chart plus the model-server manifests, server-side applied
// (today's llm-d). Rendered from the settings into <app data>/stack/current. A record of what was synced
// (hash, release id) lets detect() see a settings change without running a tool, and lets a switch of
// release remove the old release's stack first, so two stacks never serve one namespace. What the record
// cannot see — the model-server or EPP Deployment scaled or deleted by hand — detect() reads from the cluster
// (stack-drift.ts), so running the install again puts it back.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { chooseImages, needChart, stackHelmReleases, type StackRelease } from '../../../shared/release.js';
import { HF_TOKEN_SECRET } from '../../../shared/stack.js';
import { applyObjects, deleteObjects, parseManifests, type ManifestObject } from '../kube/apply.js';
import { loadRelease } from '../stack/releases.js';
import { renderStackSync, writeStack, type RenderedFile } from '../stack/render.js';
import type { PlanContext, Step, StepContext } from '../plan/step.js';
import { clusterConfig, helmReleases, liveCluster, nodeReady, requireCluster } from './cluster-access.js';
import { isNotFound } from '../kube/errors.js';
import { fileIn, renderFor, stackDir } from './rendered-stack.js';
import { z } from 'zod';
import { readRecord, writeRecord } from './run-records.js';
import { liveDeployments, ownedDeployments, stackDrift } from './stack-drift.js';
import { findResourcesDir } from '../resources.js';

const RECORD = 'stack-applied.json';
const StackRecord = z.object({ hash: z.string().optional(), release: z.string().optional(), at: z.string().optional() });

/** The stack release the stack step last deployed here (its record), if any. */
export const installedRelease = (ctx: Pick<StepContext, 'paths'>): string | undefined => readRecord(ctx, RECORD, StackRecord)?.release;

/** The rendered files that decide what the stack is (a change in any means a sync). */
const STACK_FILES = /^(helmfile|gaie-values|ms-values|router-values|modelservers)\.yaml$/;

export const stackHelmfileArgs = (verb: 'sync' | 'destroy', file: string, plan: Pick<PlanContext, 'settings'>): string[] =>
  [verb, '-f', file, '--kube-context', plan.settings.profile];

/** `helm upgrade --install` of the router chart (today's llm-d), pinned to the release's version. */
export function routerHelmArgs(plan: Pick<PlanContext, 'settings' | 'release'>, valuesFile: string): string[] {
  const c = needChart(plan.release, 'router');
  return ['upgrade', '--install', c.release, c.chart, '--version', c.version, '--namespace', plan.settings.namespace,
    '-f', valuesFile, '--kube-context', plan.settings.profile];
}

export const stackHash = (files: RenderedFile[], namespace: string, release = ''): string =>
  createHash('sha256').update(JSON.stringify([namespace, release, files.filter((f) => STACK_FILES.test(f.name))])).digest('hex');

export function namespaceObject(ns: string): ManifestObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } };
}

export function tokenSecret(ns: string, token: string): ManifestObject {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name: HF_TOKEN_SECRET, namespace: ns }, type: 'Opaque', stringData: { HF_TOKEN: token } } as ManifestObject;
}

async function hfToken(ctx: StepContext): Promise<string | undefined> {
  return (await ctx.services.hfToken?.()) || undefined;
}

const manifestsOf = (release: StackRelease, files: RenderedFile[]): ManifestObject[] =>
  release.stack.kind === 'router' ? parseManifests(fileIn(files, release.stack.manifests), release.stack.manifests) : [];

/** Takes one release's stack out of the namespace (helm / helmfile, its manifests). */
async function removeStack(ctx: StepContext, kc: KubeConfig, release: StackRelease, files: RenderedFile[]): Promise<void> {
  const ns = ctx.settings.namespace;
  const installed = await helmReleases(kc, ns);
  if (release.stack.kind === 'helmfile') {
    if (stackHelmReleases(release).some((r) => installed.has(r))) {
      const written = await writeStack(path.join(stackDir(ctx), '..', `remove-${release.id}`), files);
      await ctx.run('helmfile', stackHelmfileArgs('destroy', written['helmfile.yaml']!, ctx));
    }
    // The guide's HTTPRoute is applied by the route step, not by helmfile.
    if (files.some((f) => f.name === 'httproute.yaml')) {
      const gone = await deleteObjects(kc, parseManifests(fileIn(files, 'httproute.yaml')));
      if (gone.length) ctx.log(`Deleted ${gone.join(', ')}.`);
    }
  } else {
    const router = needChart(release, 'router');
    if (installed.has(router.release)) await ctx.run('helm', ['uninstall', router.release, '--namespace', ns, '--kube-context', ctx.settings.profile]);
    const gone = await deleteObjects(kc, manifestsOf(release, files));
    if (gone.length) ctx.log(`Deleted ${gone.join(', ')}.`);
  }
}

/** Another release's stack rendered for this node (what was installed before a switch), to take it out. */
function renderOther(ctx: StepContext, release: StackRelease): RenderedFile[] {
  let images;
  try {
    images = chooseImages(release, ctx.nodeArch, ctx.accelerator);
  } catch {
    images = chooseImages(release, ctx.nodeArch, 'cpu');
  }
  return renderStackSync(findResourcesDir(ctx.env), { release, settings: ctx.settings, images, accelerator: ctx.accelerator, hfToken: false });
}

export const stack: Step = {
  id: 'stack',
  title: 'Deploy the llm-d stack',
  // Istio is left out of the plan for a standalone release; its need then falls away.
  needs: ['istio', 'monitoring', 'crds'],
  describe(plan) {
    const files = plan.renderedStack();
    const dir = path.join('<app data>', 'stack', 'current');
    const r = plan.release;
    const commands = r.stack.kind === 'helmfile'
      ? [['helmfile', ...stackHelmfileArgs('sync', path.join(dir, 'helmfile.yaml'), plan)]]
      : [['helm', ...routerHelmArgs(plan, path.join(dir, r.stack.values))]];
    const shown = r.stack.kind === 'helmfile' ? ['helmfile.yaml', 'gaie-values.yaml', 'ms-values.yaml'] : [r.stack.values, r.stack.manifests];
    return {
      commands,
      manifests: [
        { name: `namespace/${plan.settings.namespace}`, yaml: `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${plan.settings.namespace}\n` },
        ...files.filter((f) => shown.includes(f.name)).map((f) => ({ name: f.name, yaml: f.content })),
      ],
      notes: [
        ...(r.stack.kind === 'router' ? [`Server-side applies the model servers (${r.stack.manifests}) after the chart.`] : []),
        `When a Hugging Face token is set: Secret ${HF_TOKEN_SECRET} in ${plan.settings.namespace} (key HF_TOKEN), referenced by the model server.`,
        'When another stack release is installed in this namespace, its stack is removed first.',
      ],
    };
  },
  async detect(ctx) {
    const live = await liveCluster(ctx);
    if (!live.kc) return { state: 'todo', reason: live.why };
    const rec = readRecord(ctx, RECORD, StackRecord);
    if (rec?.release && rec.release !== ctx.release.id) return { state: 'todo', reason: `the installed stack is ${rec.release}; the settings choose ${ctx.release.id}` };
    const releases = await helmReleases(live.kc, ctx.settings.namespace);
    const missing = stackHelmReleases(ctx.release).filter((r) => releases.get(r) !== 'deployed');
    if (missing.length) return { state: 'todo', reason: `not deployed: ${missing.join(', ')}` };
    const files = renderFor(ctx, ctx.env, (await hfToken(ctx)) !== undefined);
    const want = stackHash(files, ctx.settings.namespace, ctx.release.id);
    if (rec?.hash !== want) return { state: 'todo', reason: 'the settings changed since the last sync' };
    // The record cannot see a Deployment scaled or deleted by hand; the sync puts it back (stack-drift.ts).
    const drift = stackDrift(ownedDeployments(ctx.release, ctx.settings, files), await liveDeployments(live.kc, ctx.settings.namespace));
    if (drift.length) return { state: 'todo', reason: drift.join('; ') };
    return { state: 'done', detail: `${stackHelmReleases(ctx.release).join(', ')} (${ctx.release.title}) deployed in ${ctx.settings.namespace}` };
  },
  async run(ctx) {
    const kc = requireCluster(ctx);
    const ns = ctx.settings.namespace;
    const token = await hfToken(ctx);
    const files = renderFor(ctx, ctx.env, token !== undefined);
    const written = await writeStack(stackDir(ctx), files);
    ctx.log(`Rendered the stack (${ctx.release.title}) into ${stackDir(ctx)}`);
    const objects = [namespaceObject(ns), ...(token ? [tokenSecret(ns, token)] : [])];
    await applyObjects(kc, objects, { signal: ctx.signal, onApplied: (ref) => ctx.log(`applied ${ref}`) });

    const previous = readRecord(ctx, RECORD, StackRecord)?.release;
    if (previous && previous !== ctx.release.id) {
      ctx.progress(0.05, `removing ${previous}`);
      ctx.log(`Switching stack release: removing ${previous} from ${ns} first.`);
      const old = loadRelease(previous, findResourcesDir(ctx.env));
      const oldFiles = renderOther(ctx, old);
      await removeStack(ctx, kc, old, oldFiles).catch((e: unknown) => ctx.log(`Warning: could not remove all of ${previous}: ${e instanceof Error ? e.message : String(e)}`));
    }

    ctx.progress(0.1, ctx.release.stack.kind === 'helmfile' ? 'helmfile sync' : 'helm upgrade --install');
    if (ctx.release.stack.kind === 'helmfile') {
      await ctx.run('helmfile', stackHelmfileArgs('sync', written['helmfile.yaml']!, ctx));
    } else {
      await ctx.run('helm', routerHelmArgs(ctx, written[ctx.release.stack.values]!));
      ctx.progress(0.6, 'model servers');
      await applyObjects(kc, manifestsOf(ctx.release, files), { signal: ctx.signal, onApplied: (ref) => ctx.log(`applied ${ref}`) });
    }
    writeRecord(ctx, RECORD, { hash: stackHash(files, ns, ctx.release.id), release: ctx.release.id, at: new Date().toISOString() });
  },
  async undo(ctx) {
    const kc = clusterConfig(ctx);
    if (!kc || !(await nodeReady(kc, ctx.settings.profile)).ok) {
      ctx.log(`The cluster "${ctx.settings.profile}" does not answer: nothing to remove from it.`);
      return;
    }
    const ns = ctx.settings.namespace;
    const installed = readRecord(ctx, RECORD, StackRecord)?.release;
    const release = installed && installed !== ctx.release.id ? loadRelease(installed, findResourcesDir(ctx.env)) : ctx.release;
    const files = release === ctx.release ? renderFor(ctx, ctx.env) : renderOther(ctx, release);
    const releases = await helmReleases(kc, ns);
    if (stackHelmReleases(release).some((r) => releases.has(r)) || release.stack.kind === 'router') await removeStack(ctx, kc, release, files);
    else ctx.log('No stack release is installed.');
    try {
      await kc.makeApiClient(CoreV1Api).deleteNamespace({ name: ns });
      ctx.log(`Deleted namespace ${ns}.`);
    } catch (e) {
      if (!isNotFound(e)) throw e;
      ctx.log(`Namespace ${ns} is already gone.`);
    }
    writeRecord(ctx, RECORD, {});
  },
};
