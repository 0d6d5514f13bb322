// The plan is a DAG built from settings (DESIGN.md §4). Later issues add steps by listing their file in
// steps/index.ts; a step left out for these settings (no podman machine on Linux with docker, say) is
// removed and whatever needed it inherits its needs, so the order stays right.
import type { PlanDescription } from '../../../shared/api/engine.js';
import type { Settings } from '../../../shared/api/settings.js';
import { STEPS } from '../steps/index.js';
import { checkDag } from './executor.js';
import type { PlanContext, Step } from './step.js';

export interface PlanHost {
  platform: NodeJS.Platform | string;
  arch: string;
  /** Which runtimes are installed (decides `driver: auto`). */
  runtimes: { docker: boolean; podman: boolean };
}

/** deploy.sh's rule: podman when it is installed, else docker. */
export function resolveDriver(driver: Settings['driver'], runtimes: PlanHost['runtimes']): 'docker' | 'podman' {
  if (driver !== 'auto') return driver;
  return runtimes.podman ? 'podman' : runtimes.docker ? 'docker' : 'podman';
}

export function planContext(settings: Settings, host: PlanHost): PlanContext {
  const driver = resolveDriver(settings.driver, host.runtimes);
  return {
    settings,
    platform: host.platform,
    arch: host.arch,
    driver,
    usesPodmanMachine: driver === 'podman' && (host.platform === 'darwin' || settings.podmanMachine),
  };
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
  return {
    steps: steps.map((s) => {
      const d = s.describe(plan);
      return { id: s.id, title: s.title, needs: s.needs, commands: d.commands, manifests: d.manifests ?? [], notes: d.notes ?? [] };
    }),
  };
}
