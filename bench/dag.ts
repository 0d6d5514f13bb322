// The floor of an install: the longest chain through the plan's DAG, each step weighted by its duration.
// No schedule can finish before it; wall time above it is time some step spent waiting for a slot, or
// the executor's own overhead.
export interface DagStep {
  id: string;
  needs: readonly string[];
  ms: number;
}

export interface CriticalPath {
  ms: number;
  steps: string[];
}

export function criticalPath(steps: readonly DagStep[]): CriticalPath {
  const byId = new Map(steps.map((s) => [s.id, s]));
  const memo = new Map<string, CriticalPath>();
  const finish = (id: string): CriticalPath => {
    const hit = memo.get(id);
    if (hit) return hit;
    const step = byId.get(id);
    if (!step) throw new Error(`unknown step ${id}`);
    let before: CriticalPath = { ms: 0, steps: [] };
    for (const n of step.needs) {
      const p = finish(n);
      if (p.ms > before.ms) before = p;
    }
    const path = { ms: before.ms + step.ms, steps: [...before.steps, id] };
    memo.set(id, path);
    return path;
  };
  return steps.map((s) => finish(s.id)).reduce<CriticalPath>((a, b) => (b.ms > a.ms ? b : a), { ms: 0, steps: [] });
}
