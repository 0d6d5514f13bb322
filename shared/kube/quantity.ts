// Kubernetes resource quantities ("500m", "2Gi", "1e3") as plain numbers: what the fit counts from a stack
// release's recorded requests, and what the simulated scheduler counts from pod specs. Pure, so the
// renderer's live fit can use it.

// Kubernetes' resource.Quantity suffixes (apimachinery pkg/api/resource): binary (Ki…Ei), decimal SI
// (n u m k M G T P E) and decimal exponents (1e3). client-node's own parser is not exported from its index
// and throws on a fraction with a suffix ("1.5Gi").
const SUFFIX: Record<string, number> = {
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
  n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
};
export const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?$/;

/** A quantity as a plain number ("500m" → 0.5, "2Gi" → 2147483648); throws on what Kubernetes would refuse. */
export function quantity(q: string | number | undefined): number {
  if (q === undefined) return 0;
  if (typeof q === 'number') return q;
  const m = QUANTITY.exec(q.trim());
  if (!m) throw new Error(`quantities must match the regular expression of resource.Quantity: ${JSON.stringify(q)}`);
  return Number(m[1]) * SUFFIX[m[2] ?? '']!;
}

/** CPU in millicores ("500m" → 500, "2" → 2000, "0.5" → 500). */
export const cpuMilli = (q: string | number | undefined): number => Math.round(quantity(q) * 1000);
/** Memory in bytes ("2Gi", "1024Ki", "1G"). */
export const memoryBytes = (q: string | number | undefined): number => Math.round(quantity(q));
