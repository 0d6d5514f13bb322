// Step "Pre-pull the model server images" (issue 5): as soon as the cluster answers, pull the stack's
// images into the node — `minikube image pull <image> -p <profile>`, one process per image, in parallel
// with the CRDs, Istio and monitoring — so the decode pods do not sit in ContainerCreating behind a
// multi-GB vLLM image after helmfile returns. A failed pull is a warning: the kubelet pulls it anyway.
// With the image cache on (settings imageCache), an image already kept on the host is loaded from its
// tarball instead (`minikube image load <tar>`), and an image pulled here is kept (`minikube image save
// <image> <tar>`, minikube PR #12162) in the app data dir — outside the minikube profile, so deleting the
// cluster does not take the ~4 GB vLLM image with it. With the cache on, the images of the release's other
// charts this plan installs (monitoring, Istio: release.yaml charts.<role>.images) are pulled and kept too —
// 2.8 GB that a new cluster would otherwise fetch again when their pods start.
import fs from 'node:fs';
import path from 'node:path';
import { CoreV1Api } from '@kubernetes/client-node';
import { ApiException } from '../../../shared/result.js';
import type { PlanContext, Step, StepContext } from '../plan/step.js';
import { liveCluster } from './cluster-access.js';
import { istio } from './istio.js';
import { monitoring } from './monitoring.js';
import { diskSize } from './cache-use.js';
import { stackImageRefs } from './rendered-stack.js';
import { normalizeImage } from '../../../shared/image-ref.js';

export { normalizeImage };

/**
 * Every image the image cache keeps: the stack's own and those of the release's charts that this plan
 * installs (the monitoring chart when monitoring is on, Istio's when the release's gateway is Istio).
 */
export function keptImageRefs(plan: PlanContext): string[] {
  const charts = [
    ...((monitoring.include?.(plan) ?? true) ? [plan.release.charts.monitoring] : []),
    ...((istio.include?.(plan) ?? true) ? [plan.release.charts.istioBase, plan.release.charts.istiod] : []),
  ];
  return [...new Set([...stackImageRefs(plan), ...charts.flatMap((c) => c?.images?.map((i) => i.ref) ?? [])])];
}

/** The images this step brings into the node: all the cache keeps when it is on, else the stack's only. */
const wantedImages = (plan: PlanContext): string[] => (plan.settings.imageCache ? keptImageRefs(plan) : stackImageRefs(plan));

/** `minikube image ls --format json` → normalised names. */
export function parseImageList(stdout: string): Set<string> {
  try {
    const list = JSON.parse(stdout) as Array<{ repoTags?: string[] }>;
    return new Set(list.flatMap((i) => i.repoTags ?? []).map(normalizeImage));
  } catch {
    return new Set();
  }
}

/** The tarball an image is kept in: its normalised reference, percent-encoded so no two refs share a name. */
export const imageCacheFile = (dir: string, image: string): string => path.join(dir, `${encodeURIComponent(normalizeImage(image))}.tar`);

/** Keeps an image the node has on the host: saved beside, then renamed, so a half-written tarball is never loaded. */
async function keepImage(ctx: StepContext, image: string): Promise<void> {
  const file = imageCacheFile(ctx.paths.imageCacheDir, image);
  if (fs.existsSync(file)) return;
  fs.mkdirSync(ctx.paths.imageCacheDir, { recursive: true });
  const partial = `${file}.partial`;
  try {
    await ctx.run('minikube', ['image', 'save', image, partial, '-p', ctx.settings.profile]);
    fs.renameSync(partial, file);
    ctx.log(`${image}: kept on the host for the next cluster`);
  } catch (e) {
    fs.rmSync(partial, { force: true });
    ctx.log(`Warning: could not keep ${image} on the host: ${e instanceof Error ? e.message : String(e)} — a new cluster will pull it again.`);
  }
}

/** Loads a kept image into the node; false when there is none or it would not load (then it is pulled). */
async function loadKept(ctx: StepContext, image: string): Promise<boolean> {
  const file = imageCacheFile(ctx.paths.imageCacheDir, image);
  if (!fs.existsSync(file)) return false;
  try {
    await ctx.run('minikube', ['image', 'load', file, '-p', ctx.settings.profile]);
    ctx.log(`${image}: loaded from the host's image cache (nothing downloaded)`);
    return true;
  } catch (e) {
    ctx.log(`Warning: could not load ${image} from ${file}: ${e instanceof Error ? e.message : String(e)} — pulling it instead.`);
    fs.rmSync(file, { force: true });
    return false;
  }
}

/** The wanted images the node does not have yet (`minikube image ls`; an unreadable list counts as none). */
async function missingImages(ctx: StepContext): Promise<string[]> {
  const listed = await ctx.run('minikube', ['image', 'ls', '--format', 'json', '-p', ctx.settings.profile], { quiet: true }).then((r) => parseImageList(r.stdout), () => new Set<string>());
  return wantedImages(ctx).filter((i) => !listed.has(normalizeImage(i)));
}

/**
 * Loads every kept image the node lacks, one after another (a disk copy each; in parallel they would only
 * share the disk). minikube-start calls it as soon as a cluster answers — before the stack's pods can exist,
 * so no kubelet starts pulling an image whose tarball is still being loaded. Returns the images loaded.
 */
export async function loadKeptImages(ctx: StepContext): Promise<string[]> {
  const loaded: string[] = [];
  for (const image of await missingImages(ctx)) {
    if (ctx.signal.aborted) break;
    if (await loadKept(ctx, image)) loaded.push(image);
  }
  return loaded;
}

export const imagePrepull: Step = {
  id: 'image-prepull',
  title: 'Pre-pull the model server images',
  needs: ['minikube-start'],
  // Minutes of download and little else: it must not hold an executor slot CRDs, Istio or monitoring need.
  load: 'network',
  describe(plan) {
    const p = plan.settings.profile;
    const images = wantedImages(plan);
    const dir = plan.cacheDirs.images;
    const cache = plan.settings.imageCache;
    return {
      commands: [
        ['minikube', 'image', 'ls', '--format', 'json', '-p', p],
        ...(cache ? images.map((i) => ['minikube', 'image', 'load', imageCacheFile(dir, i), '-p', p]) : []),
        ...images.map((i) => ['minikube', 'image', 'pull', i, '-p', p]),
        ...(cache ? images.map((i) => ['minikube', 'image', 'save', i, `${imageCacheFile(dir, i)}.partial`, '-p', p]) : []),
      ],
      notes: [
        'Runs while the CRDs, Istio and monitoring install; a failed pull is only a warning (the node pulls the image when the pod starts).',
        cache
          ? `Image cache on: an image kept in ${dir} is loaded from there instead of pulled; one pulled here is saved there — the stack's and its monitoring and gateway charts' (${images.length} images) — so a new cluster after "delete the cluster" downloads none of them again.`
          : 'Image cache off: a new cluster pulls every image again.',
        ...(plan.cacheUse ? [`The image cache holds ${plan.cacheUse.images.files} image${plan.cacheUse.images.files === 1 ? '' : 's'} (${diskSize(plan.cacheUse.images.bytes)}) in ${dir}${cache ? '' : ', unused while the cache is off'}.`] : []),
      ],
    };
  },
  async detect(ctx) {
    const live = await liveCluster(ctx);
    if (!live.kc) return { state: 'todo', reason: live.why };
    // A container that runs (or ran) an image proves the node has it — one API read, no tool process.
    const pods = await live.kc.makeApiClient(CoreV1Api).listPodForAllNamespaces();
    const present = new Set(pods.items.flatMap((p) => [...(p.status?.containerStatuses ?? []), ...(p.status?.initContainerStatuses ?? [])])
      .filter((c) => c.imageID || c.state?.running || c.lastState?.terminated).map((c) => normalizeImage(c.image)));
    const missing = stackImageRefs(ctx).filter((i) => !present.has(normalizeImage(i)));
    if (missing.length > 0) return { state: 'todo', reason: `to pull: ${missing.join(', ')}` };
    // The cache is part of this step's work: a tarball removed since (by hand, or a save that failed) is redone.
    const unkept = ctx.settings.imageCache ? keptImageRefs(ctx).filter((i) => !fs.existsSync(imageCacheFile(ctx.paths.imageCacheDir, i))) : [];
    if (unkept.length > 0) return { state: 'todo', reason: `to keep on the host: ${unkept.join(', ')}` };
    return { state: 'done', detail: ctx.settings.imageCache ? 'the stack\'s images are in the node and kept on the host' : 'the stack\'s images are in the node' };
  },
  async run(ctx) {
    const p = ctx.settings.profile;
    const todo = await missingImages(ctx);
    const cache = ctx.settings.imageCache;
    const wanted = wantedImages(ctx);
    for (const i of wanted) if (!todo.includes(i)) ctx.log(`${i}: already in the node`);
    let done = 0;
    const results = await Promise.allSettled([
      ...todo.map(async (image) => {
        if (!(cache && await loadKept(ctx, image))) {
          await ctx.run('minikube', ['image', 'pull', image, '-p', p]);
          ctx.log(`${image}: pulled`);
          if (cache) await keepImage(ctx, image);
        }
        done += 1;
        ctx.progress(done / todo.length, `${done}/${todo.length} images`);
      }),
      // Images the node had before (the cache turned on later, or an earlier run stopped) are kept too.
      ...(cache ? wanted.filter((i) => !todo.includes(i)).map((i) => keepImage(ctx, i)) : []),
    ]);
    if (ctx.signal.aborted) throw new ApiException('CANCELLED', 'Cancelled by the user.');
    for (const [i, r] of results.entries()) {
      if (r.status === 'rejected') {
        ctx.log(`Warning: could not pre-pull ${todo[i]}: ${r.reason instanceof Error ? r.reason.message : String(r.reason)} — the node will pull it when the pod starts.`);
      }
    }
    ctx.progress(1, `${done}/${todo.length} images pulled`);
  },
};
