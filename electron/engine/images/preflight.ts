// The preflight image check's policy: each image of the plan asked of its registry (electron/engine/registry),
// then judged — a removed, private, missing or wrong-architecture image stops the install with the registry's
// answer and what to do; a registry that cannot be reached (offline, proxy) or rate-limits us is only a
// warning, because the node may still pull (through its own network or credentials).
import type { ImageReport, ImagesReport, ImageVerdict } from '../../../shared/api/images.js';
import { IMAGE_ROLE_LABELS } from '../../../shared/release.js';
import type { ImageCheck } from '../../../shared/registry.js';
import type { PlanContext } from '../plan/step.js';
import { checkImages, mirrorFromEnv, type FetchFn } from '../registry/index.js';

export function verdictOf(c: ImageCheck): ImageVerdict {
  switch (c.outcome) {
    case 'available': return 'ok';
    case 'rate-limited':
    case 'unreachable': return 'warning';
    default: return 'blocker';
  }
}

const ALTERNATIVES = 'Choose another stack release in Configure, or set another image for it in Configure → Advanced';

export function adviceFor(c: ImageCheck, overridden: boolean): string | undefined {
  switch (c.outcome) {
    case 'available': return undefined;
    case 'not-found': return `${overridden ? 'Check the image you set in Configure → Advanced (name and tag)' : ALTERNATIVES}.`;
    case 'denied': return c.reason === 'credentials-required'
      ? `The registry only serves this image to signed-in users: ${ALTERNATIVES.toLowerCase()}, or add a pull secret to the cluster.`
      : `The image was removed or made private upstream. ${ALTERNATIVES}; if you have access, add a pull secret to the cluster.`;
    case 'arch-missing': return `The image has no build for ${c.arch} (it has ${c.platforms.join(', ') || 'no platform list'}). ${ALTERNATIVES} with a ${c.arch} build.`;
    case 'rate-limited': return `The registry is rate-limiting anonymous requests${c.retryAfterSeconds ? ` (retry in ${Math.ceil(c.retryAfterSeconds)} s)` : ''}; the install can go on, but the node's pull may hit the same limit.`;
    case 'unreachable': return 'The registry could not be reached from this computer (offline, a proxy or a firewall?). The install can go on; the node pulls through its own network.';
    case 'invalid-reference': return 'Fix the image reference in Configure → Advanced.';
  }
}

export interface PreflightOptions {
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  fetch?: FetchFn;
  timeoutMs?: number;
  now?: () => Date;
}

export async function checkPlanImages(plan: Pick<PlanContext, 'images' | 'nodeArch' | 'release'>, opts: PreflightOptions): Promise<ImagesReport> {
  const mirror = mirrorFromEnv(opts.env);
  const checks = await checkImages(plan.images.map((i) => i.ref), {
    arch: plan.nodeArch,
    ...(mirror ? { mirror } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
    ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
  });
  const images: ImageReport[] = plan.images.map((img, i) => {
    const check = checks[i]!;
    const advice = adviceFor(check, img.overridden);
    return { role: img.role, label: IMAGE_ROLE_LABELS[img.role], ref: img.ref, overridden: img.overridden, verdict: verdictOf(check), check, ...(advice ? { advice } : {}) };
  });
  return {
    release: { id: plan.release.id, title: plan.release.title },
    arch: plan.nodeArch,
    images,
    ok: images.every((i) => i.verdict !== 'blocker'),
    checkedAt: (opts.now?.() ?? new Date()).toISOString(),
  };
}

/** One line per image for logs and the CLI: `✔ Model server (vLLM) quay.io/…: available (linux/arm64)`. */
export function reportLines(r: ImagesReport): string[] {
  const mark: Record<ImageVerdict, string> = { ok: '✔', warning: '!', blocker: '✘' };
  return r.images.map((i) => `${mark[i.verdict]} ${i.label} ${i.ref}: ${i.check.message}${i.advice ? ` — ${i.advice}` : ''}`);
}
