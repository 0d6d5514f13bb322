// The stack as the steps see it: the images its pods run and its files rendered from the plan's release
// and settings, written to the app data dir for helmfile.
import path from 'node:path';
import { ApiException } from '../../../shared/result.js';
import { findResourcesDir } from '../resources.js';
import { renderStackSync, writeStack, type RenderedFile } from '../stack/render.js';
import type { PlanContext, StepContext } from '../plan/step.js';

/** Image references the stack's pods run (what the preflight checks and the pre-pull step pulls). */
export function stackImageRefs(plan: Pick<PlanContext, 'images'>): string[] {
  return plan.images.map((i) => i.ref);
}

export function renderFor(plan: PlanContext, env: NodeJS.ProcessEnv, hfToken = false): RenderedFile[] {
  return renderStackSync(findResourcesDir(env), { release: plan.release, settings: plan.settings, images: plan.images, accelerator: plan.accelerator, hfToken, ...(plan.dtype ? { dtype: plan.dtype.value } : {}) });
}

/** The rendered stack lives in <data dir>/stack/current (helmfile references values files beside it). */
export const stackDir = (ctx: Pick<StepContext, 'paths'>): string => path.join(ctx.paths.dataDir, 'stack', 'current');

export async function writeRendered(ctx: StepContext, hfToken = false): Promise<Record<string, string>> {
  return writeStack(stackDir(ctx), renderFor(ctx, ctx.env, hfToken));
}

export const fileIn = (files: RenderedFile[], name: string): string => {
  const f = files.find((x) => x.name === name);
  if (!f) throw new ApiException('INTERNAL', `The rendered stack has no ${name}.`);
  return f.content;
};
