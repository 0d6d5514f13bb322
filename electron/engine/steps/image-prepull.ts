// Step "Pre-pull the model server images" (issue 5): as soon as the cluster answers, pull the stack's
// images into the node — `minikube image pull <image> -p <profile>`, one process per image, in parallel
// with the CRDs, Istio and monitoring — so the decode pods do not sit in ContainerCreating behind a
// multi-GB vLLM image after helmfile returns. A failed pull is a warning: the kubelet pulls it anyway.
import { CoreV1Api } from '@kubernetes/client-node';
import { ApiException } from '../../../shared/result.js';
import type { Step } from '../plan/step.js';
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

export const imagePrepull: Step = {
  id: 'image-prepull',
  title: 'Pre-pull the model server images',
  needs: ['minikube-start'],
  // Minutes of download and little else: it must not hold an executor slot CRDs, Istio or monitoring need.
  load: 'network',
  describe(plan) {
    const p = plan.settings.profile;
    return {
      commands: [['minikube', 'image', 'ls', '--format', 'json', '-p', p], ...stackImageRefs(plan).map((i) => ['minikube', 'image', 'pull', i, '-p', p])],
      notes: ['Runs while the CRDs, Istio and monitoring install; a failed pull is only a warning (the node pulls the image when the pod starts).'],
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
    const listed = await ctx.run('minikube', ['image', 'ls', '--format', 'json', '-p', p], { quiet: true }).then((r) => parseImageList(r.stdout), () => new Set<string>());
    const todo = stackImageRefs(ctx).filter((i) => !listed.has(normalizeImage(i)));
    for (const i of stackImageRefs(ctx)) if (!todo.includes(i)) ctx.log(`${i}: already in the node`);
    let done = 0;
    const results = await Promise.allSettled(todo.map(async (image) => {
      await ctx.run('minikube', ['image', 'pull', image, '-p', p]);
      done += 1;
      ctx.log(`${image}: pulled`);
      ctx.progress(done / todo.length, `${done}/${todo.length} images`);
    }));
    if (ctx.signal.aborted) throw new ApiException('CANCELLED', 'Cancelled by the user.');
    for (const [i, r] of results.entries()) {
      if (r.status === 'rejected') {
        ctx.log(`Warning: could not pre-pull ${todo[i]}: ${r.reason instanceof Error ? r.reason.message : String(r.reason)} — the node will pull it when the pod starts.`);
      }
    }
    ctx.progress(1, `${done}/${todo.length} images pulled`);
  },
};
