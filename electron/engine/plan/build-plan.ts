// The plan is a DAG built from settings (docs/architecture.md §4). Later issues add steps by listing their file in
// steps/index.ts; a step left out for these settings (no podman machine on Linux with docker, say) is
// removed and whatever needed it inherits its needs, so the order stays right.
import type { PlanDescription } from '../../../shared/api/engine.js';
import type { Settings } from '../../../shared/api/settings.js';
import { chooseImages, dtypeFor, IMAGE_ROLE_LABELS, ReleaseImageMissing, type Arch, type CpuBf16 } from '../../../shared/release.js';
import { resolveSetup } from '../../../shared/fit.js';
import { ApiException } from '../../../shared/result.js';
import { loadRelease } from '../stack/releases.js';
import type { RenderedFile } from '../stack/render.js';
import { renderFor } from '../steps/rendered-stack.js';
import { STEPS } from '../steps/index.js';
import { checkDag } from './executor.js';
import type { PlanContext, Step } from './step.js';

export interface PlanHost {
  platform: NodeJS.Platform | string;
  arch: string;
  /** Which runtimes are installed (decides `driver: auto`). */
  runtimes: { docker: boolean; podman: boolean };
  /** Where resources/ is (default: found beside the sources or the packaged app). */
  resourcesDir?: string;
  /** The node CPU's bf16 support as the host check read it (unknown when absent: the safe dtype). */
  cpu?: CpuBf16;
  /** The environment the plan's tools run in (default: none — no overrides; never process.env implicitly). */
  env?: NodeJS.ProcessEnv;
  /** The app's image and model caches (AppPaths); absent in a plan made without an engine: placeholders. */
  cacheDirs?: PlanContext['cacheDirs'];
  /** What the caches hold now (the Plan shows the disk they take). */
  cacheUse?: PlanContext['cacheUse'];
}

/** Node's `process.arch` (x64, arm64) or an image platform name (amd64, arm64) → the image platform name. */
export const nodeArchOf = (arch: string): Arch => (arch === 'arm64' || arch === 'aarch64' ? 'arm64' : 'amd64');

export function planContext(settings: Settings, host: PlanHost): PlanContext {
  // `driver: auto` and "a podman machine hosts minikube" have one rule, shared with the fit (shared/fit.ts).
  const { driver, usesPodmanMachine } = resolveSetup(settings, host.platform, host.runtimes);
  const release = loadRelease(settings.release, host.resourcesDir);
  const nodeArch = nodeArchOf(host.arch);
  const accelerator = settings.gpu ? 'nvidia' : 'cpu';
  let images;
  try {
    images = chooseImages(release, nodeArch, accelerator, settings.images);
  } catch (e) {
    if (e instanceof ReleaseImageMissing) throw new ApiException('UNSUPPORTED', e.message, 'Choose another stack release, turn the GPU off, or set the image yourself in Configure → Advanced.');
    throw e;
  }
  const dtype = dtypeFor(release, accelerator, host.cpu, settings.dtype);
  const env = host.env ?? {};
  let rendered: RenderedFile[] | undefined;
  const plan: PlanContext = {
    settings,
    platform: host.platform,
    arch: host.arch,
    driver,
    usesPodmanMachine,
    release,
    nodeArch,
    accelerator,
    images,
    ...(dtype ? { dtype } : {}),
    env,
    cacheDirs: host.cacheDirs ?? { images: '<app data>/cache/images', models: '<app data>/cache/models' },
    ...(host.cacheUse ? { cacheUse: host.cacheUse } : {}),
    renderedStack: () => (rendered ??= renderFor(plan, env)),
  };
  return plan;
}

export function buildPlan(plan: PlanContext, registry: readonly Step[] = STEPS): Step[] {
  const included = registry.filter((s) => s.include?.(plan) ?? true);
  const kept = new Set(included.map((s) => s.id));
  const byId = new Map(registry.map((s) => [s.id, s]));
  // Replace a need on a left-out step by that step's own (resolved) needs.
  const resolve = (id: string, seen: Set<string>): string[] => {
    if (kept.has(id)) return [id];
    if (seen.has(id)) return [];
    seen.add(id);
    return (byId.get(id)?.needs ?? []).flatMap((n) => resolve(n, seen));
  };
  const steps = included.map((s) => ({ ...s, needs: [...new Set(s.needs.flatMap((n) => resolve(n, new Set())))] }));
  checkDag(steps);
  return steps;
}

export function describePlan(plan: PlanContext, steps: Step[]): PlanDescription {
  const r = plan.release;
  return {
    release: { id: r.id, title: r.title, date: r.date, upstreamVersion: r.upstream.version },
    arch: plan.nodeArch,
    accelerator: plan.accelerator,
    ...(plan.dtype ? { dtype: plan.dtype } : {}),
    images: plan.images.map((i) => ({
      role: i.role, label: IMAGE_ROLE_LABELS[i.role], ref: i.ref, defaultRef: i.defaultRef, overridden: i.overridden, source: i.source,
      ...(i.vllmVersion ? { vllmVersion: i.vllmVersion } : {}),
    })),
    steps: steps.map((s) => {
      const d = s.describe(plan);
      return { id: s.id, title: s.title, needs: s.needs, commands: d.commands, manifests: d.manifests ?? [], notes: d.notes ?? [] };
    }),
  };
}
