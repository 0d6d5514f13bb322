// The endpoint picker's decision, as the GAIE default profile makes it (llm-d-facts.md §7):
// queue-scorer (weight 2), kv-cache-utilization-scorer (weight 2), prefix-cache-scorer (weight 3), then
// max-score-picker. Pure: the gateway passes the candidates' load and the prefix index.
import { createHash } from 'node:crypto';

export interface Candidate {
  name: string;
  ip: string;
  /** Requests queued at the replica (vllm:num_requests_waiting) plus those in flight through the gateway. */
  queue: number;
  kvCacheUsage: number;
}

export const WEIGHTS = { queue: 2, kvCache: 2, prefix: 3 } as const;

/** Hash of the first `chars` characters of the prompt: requests that share it share a prefix-cache entry. */
export const prefixKey = (prompt: string, chars: number): string => createHash('sha256').update(prompt.slice(0, chars)).digest('hex').slice(0, 16);

export function scoreCandidates<C extends Candidate>(candidates: C[], prefixOwner: string | undefined): Array<{ c: C; score: number }> {
  const maxQ = Math.max(0, ...candidates.map((c) => c.queue));
  const minQ = Math.min(...candidates.map((c) => c.queue));
  return candidates.map((c) => {
    // queue-scorer: 1 for the shortest queue, 0 for the longest (min-max normalised).
    const queue = maxQ === minQ ? 1 : (maxQ - c.queue) / (maxQ - minQ);
    const kv = 1 - c.kvCacheUsage;
    const prefix = prefixOwner === c.name ? 1 : 0;
    return { c, score: WEIGHTS.queue * queue + WEIGHTS.kvCache * kv + WEIGHTS.prefix * prefix };
  });
}

/** Highest score wins; ties go to the first candidate after `rotate` (spreads equal load). */
export function pick<C extends Candidate>(candidates: C[], prefixOwner: string | undefined, rotate = 0): C | undefined {
  if (candidates.length === 0) return undefined;
  const scored = scoreCandidates(candidates, prefixOwner);
  const n = scored.length;
  let best: { c: C; score: number } | undefined;
  for (let i = 0; i < n; i++) {
    const s = scored[(i + rotate) % n];
    if (s && (!best || s.score > best.score + 1e-9)) best = s;
  }
  return best?.c;
}
