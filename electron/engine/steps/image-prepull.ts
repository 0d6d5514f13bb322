// Step "Pre-pull the model server images" (issue 5): as soon as the cluster answers, pull the stack's
// images into the node — `minikube image pull <image> -p <profile>`, one process per image, in parallel
// with the CRDs, Istio and monitoring — so the decode pods do not sit in ContainerCreating behind a
// multi-GB vLLM image after helmfile returns. A failed pull is a warning: the kubelet pulls it anyway.
// With the image cache on (settings imageCache), an image already kept on the host is loaded from its
// tarball instead (`minikube image load <tar>`), and an image pulled here is kept (`minikube image save
// <image> <tar>`, minikube PR #12162) in the app data dir — outside the minikube profile, so deleting the
// cluster does not take the ~4 GB vLLM image with it.
import fs from 'node:fs';
import path from 'node:path';
import { CoreV1Api } from '@kubernetes/client-node';
import { ApiException } from '../../../shared/result.js';
import type { Step, StepContext } from '../plan/step.js';
import { liveCluster } from './cluster-access.js';
import { stackImageRefs } from './rendered-stack.js';
import { normalizeImage } from '../../../shared/image-ref.js';

export { normalizeImage };

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

/** The stack's images the node does not have yet (`minikube image ls`; an unreadable list counts as none). */
async function missingImages(ctx: StepContext): Promise<string[]> {
  const listed = await ctx.run('minikube', ['image', 'ls', '--format', 'json', '-p', ctx.settings.profile], { quiet: true }).then((r) => parseImageList(r.stdout), () => new Set<string>());
  return stackImageRefs(ctx).filter((i) => !listed.has(normalizeImage(i)));
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
    const images = stackImageRefs(plan);
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
          ? `Image cache on: an image kept in ${dir} is loaded from there instead of pulled; one pulled here is saved there, so a new cluster after "delete the cluster" downloads none of them again.`
          : 'Image cache off: a new cluster pulls every image again.',
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
    return missing.length === 0 ? { state: 'done', detail: 'the stack\'s images are in the node' } : { state: 'todo', reason: `to pull: ${missing.join(', ')}` };
  },
  async run(ctx) {
    const p = ctx.settings.profile;
    const todo = await missingImages(ctx);
    const cache = ctx.settings.imageCache;
    for (const i of stackImageRefs(ctx)) if (!todo.includes(i)) ctx.log(`${i}: already in the node`);
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
      ...(cache ? stackImageRefs(ctx).filter((i) => !todo.includes(i)).map((i) => keepImage(ctx, i)) : []),
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
