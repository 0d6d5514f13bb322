// What the simulated world downloaded: bytes of images fetched from a registry and of model weights fetched
// from the Hugging Face Hub, one line per fetch in `<state>/fetches.jsonl` — beside, not inside,
// clusters/<profile>/, so `minikube delete` does not erase the record of what the next install must not
// fetch again. Each line is one O_APPEND write (atomic for lines this short), so the `minikube image pull`
// processes and the cluster process can all record without a lock.
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type Fetch =
  | { kind: 'image'; name: string; bytes: number; at: string }
  | { kind: 'model'; model: string; pod: string; bytes: number; at: string };

export interface FetchTotals {
  imageBytes: number;
  modelBytes: number;
  fetches: Fetch[];
}

const file = (state: string): string => join(state, 'fetches.jsonl');

type NewFetch = { kind: 'image'; name: string; bytes: number } | { kind: 'model'; model: string; pod: string; bytes: number };

export function recordFetch(state: string, fetch: NewFetch): void {
  mkdirSync(state, { recursive: true });
  appendFileSync(file(state), `${JSON.stringify({ ...fetch, at: new Date().toISOString() })}\n`);
}

/** Every fetch so far (optionally only those after `since`, an ISO time), with the byte totals. */
export function readFetches(state: string, since?: string): FetchTotals {
  let text = '';
  try { text = readFileSync(file(state), 'utf8'); } catch { /* nothing fetched yet */ }
  const fetches = text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Fetch).filter((f) => since === undefined || f.at >= since);
  const sum = (kind: Fetch['kind']) => fetches.filter((f) => f.kind === kind).reduce((n, f) => n + f.bytes, 0);
  return { imageBytes: sum('image'), modelBytes: sum('model'), fetches };
}
