// Which replica answered. Three sources, tried in this order, and the reply says which one decided:
// - `header`: `x-inference-pod` on the response. Only llm-d-inference-sim sends it; real vLLM does not.
// - `epp-log`: the EPP's "Request handled" line (verbosity >= 3) carrying this request's `x-request-id`,
//   whose endpoint "<podIP>:<port>" maps to a pod (GAIE pkg/epp/requestcontrol/director.go; llm-d-facts.md
//   §7). Trustworthy only when a line with one of the request's ids exists: the id the app sent, or — when
//   Envoy replaced it (Istio's gateway and the standalone sidecar regenerate the id of a request arriving
//   through a port-forward) — the id the replica received, which vLLM names its completion after
//   (`chatcmpl-<x-request-id>`, shared/vllm-request-id.ts) and which is the one the EPP logged. No proxy
//   of the stack returns the chosen endpoint to the client (the EPP sets `x-gateway-destination-endpoint`
//   on the upstream request only; llm-d-router v0.10.0 handlers/response.go adds no endpoint header).
// - `metrics`: every ready decode replica's `vllm:request_success_total` just before and just after the
//   reply. Exactly one replica grew, by exactly one, while none other did → that replica.
// Guessing by time order ("the latest line") is deliberately not a source: under concurrency it is wrong.
// When nothing decides we say "unknown" and name what was tried.
import type { Attribution } from '../../../shared/api/chat.js';

export type { Attribution };

export interface HandledRequest {
  requestId?: string;
  /** All endpoints the EPP named (it comma-joins several). */
  endpoints: Array<{ ip: string; port?: number }>;
  targetModel?: string;
  ts?: string;
}

/** Parses one EPP log line; returns undefined for anything that is not a "Request handled" record. */
export function parseEppLine(line: string): HandledRequest | undefined {
  const start = line.indexOf('{');
  if (start < 0) return undefined;
  let rec: unknown;
  try {
    rec = JSON.parse(line.slice(start));
  } catch {
    return undefined;
  }
  if (typeof rec !== 'object' || rec === null) return undefined;
  const r = rec as Record<string, unknown>;
  if (r.msg !== 'Request handled' || typeof r.endpoint !== 'string') return undefined;
  const endpoints = r.endpoint
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((ep) => {
      const m = /^\[?([0-9a-fA-F:.]+?)\]?(?::(\d+))?$/.exec(ep);
      return m ? { ip: m[1]!, ...(m[2] ? { port: Number(m[2]) } : {}) } : undefined;
    })
    .filter((e): e is { ip: string; port?: number } => e !== undefined);
  if (endpoints.length === 0) return undefined;
  return {
    endpoints,
    ...(typeof r['x-request-id'] === 'string' ? { requestId: r['x-request-id'] } : {}),
    ...(typeof r.targetModel === 'string' ? { targetModel: r.targetModel } : typeof r.targetModelName === 'string' ? { targetModel: r.targetModelName } : {}),
    ...(typeof r.ts === 'string' ? { ts: r.ts } : typeof r.ts === 'number' ? { ts: new Date(r.ts * 1000).toISOString() } : {}),
  };
}

/** How many of the app's recent request ids count as "ours" when reading the EPP's lines. */
const MAX_SENT = 1000;

/**
 * Learns whether the gateway keeps the app's `x-request-id`. Istio's gateway Envoy regenerates it for a
 * request it treats as external — one through `kubectl port-forward` is (sim/replicas/gateway.ts) — and
 * then no EPP line ever carries our id. The evidence: a wait for our line ran out while lines with ids
 * we never sent arrived after we sent it, and none with any of our ids did. One line with one of our
 * ids proves the opposite, so the verdict follows the gateway if it is reconfigured.
 */
export class RequestIdWatch {
  private seq = 0;
  private lastOwn = 0;
  private lastForeign = 0;
  private readonly sent = new Map<string, number>();
  private learnt = false;

  /** True once the evidence says the gateway replaces our ids. */
  get rewritten(): boolean {
    return this.learnt;
  }

  /** True once a "Request handled" line carried one of our ids, and nothing since says they are replaced. */
  get kept(): boolean {
    return this.lastOwn > 0 && !this.learnt;
  }

  noteSent(id: string): void {
    this.sent.set(id, this.seq);
    if (this.sent.size > MAX_SENT) this.sent.delete(this.sent.keys().next().value!);
  }

  /** Every "Request handled" line with an id. */
  onLine(id: string): void {
    this.seq += 1;
    if (this.sent.has(id)) {
      this.lastOwn = this.seq;
      this.learnt = false;
    } else {
      this.lastForeign = this.seq;
    }
  }

  /** The wait for the line of `id` ran out. */
  onMissed(id: string): void {
    const at = this.sent.get(id);
    if (at !== undefined && this.lastForeign > at && this.lastOwn <= at) this.learnt = true;
  }
}

/** One replica's counters from one scrape of its /metrics. */
export interface ReplicaCounters {
  /** vllm:request_success_total summed over finished_reason; undefined when the scrape failed. */
  success?: number;
  /** vllm:num_requests_running. */
  running?: number;
  /** vllm:num_requests_waiting. */
  waiting?: number;
  error?: string;
}

/** pod name → counters, for every ready decode replica at one moment. */
export type CounterSnapshot = ReadonlyMap<string, ReplicaCounters>;

/**
 * Every replica was read and none was running or queueing a request: nothing in flight then can be
 * counted after it, so it is a sound "before" for any request sent later.
 */
export const isQuiet = (s: CounterSnapshot): boolean =>
  s.size > 0 && [...s.values()].every((c) => c.success !== undefined && c.running === 0 && c.waiting === 0);

export type CounterVerdict =
  | { kind: 'decided'; pod: string }
  /** `settled`: reading again cannot change the answer (e.g. two replicas grew). */
  | { kind: 'undecided'; reason: string; settled: boolean };

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * What the counters say about one reply, read before it was sent and after it ended. "Pending" answers
 * (nothing grew yet, a replica unreadable, another replica still running a request that might be ours)
 * are `settled: false`: the caller may read again. Running requests matter because vLLM may count a
 * request a moment after its last bytes left: while another replica still runs one, ours could be that
 * one, not yet counted, and the single replica that grew would be someone else's.
 */
export function counterVerdict(before: CounterSnapshot, after: CounterSnapshot): CounterVerdict {
  const grown: Array<{ pod: string; delta: number }> = [];
  // A replica whose counter cannot be compared cannot prove it served nothing: `retry` when only this
  // scrape failed; `never` when there is no "before" (it turned ready mid-reply, or that scrape failed)
  // or the counter fell (it restarted).
  const retry: string[] = [];
  const never: string[] = [];
  for (const [pod, a] of after) {
    const b = before.get(pod);
    if (b?.success === undefined) never.push(pod);
    else if (a.success === undefined) retry.push(pod);
    else if (a.success < b.success) never.push(pod);
    else if (a.success > b.success) grown.push({ pod, delta: a.success - b.success });
  }
  if (grown.length > 1) return { kind: 'undecided', reason: `${grown.length} replicas finished requests during this reply`, settled: true };
  const one = grown[0];
  if (one && one.delta > 1) return { kind: 'undecided', reason: `${one.delta} requests finished on ${one.pod} during this reply`, settled: true };
  if (retry.length + never.length > 0) {
    const bad = [...retry, ...never];
    const err = bad.map((p) => after.get(p)?.error ?? before.get(p)?.error).find(Boolean);
    return { kind: 'undecided', reason: `the request counters of ${plural(bad.length, 'replica')} could not be compared${err ? ` (${err})` : ''}`, settled: never.length > 0 };
  }
  if (!one) return { kind: 'undecided', reason: after.size === 0 ? 'no ready replica had request counters to read' : 'no replica’s request counter moved during this reply', settled: false };
  const busy = [...after].filter(([pod, a]) => pod !== one.pod && (a.running ?? 0) > 0).length;
  if (busy > 0) return { kind: 'undecided', reason: `${plural(busy, 'other replica was', 'other replicas were')} still running requests when the reply ended`, settled: false };
  return { kind: 'decided', pod: one.pod };
}

export interface AttributionInput {
  /** Response headers (lower-case names). */
  headers?: Record<string, string | undefined>;
  /** The EPP record carrying the x-request-id this request was sent with (never one matched by time). */
  handled?: HandledRequest;
  /** podIP → pod name, from the pod list. */
  podsByIp: ReadonlyMap<string, string>;
  /** Whether the EPP logs routing decisions at all (verbosity >= 3). */
  eppVerbose: boolean;
  /** The link saw the EPP log lines, none with an id the app sent: the gateway replaces them. */
  idRewritten?: boolean;
  /** The id the replica says it received (from its completion's `id`), when it is not the one we sent. */
  servedId?: string;
  /** What the replicas' counters said; absent when they were not read for this request. */
  counters?: CounterVerdict;
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function attribute(input: AttributionInput): Attribution {
  const header = input.headers?.['x-inference-pod'];
  if (header) return { known: true, pod: header, source: 'header' };
  let epp: string;
  if (input.handled) {
    const ip = input.handled.endpoints[0]!.ip;
    const pod = input.podsByIp.get(ip);
    if (pod) return { known: true, pod, source: 'epp-log', ip };
    epp = `the EPP routed to ${ip}, but no current pod has that IP (the replica may have restarted)`;
  } else if (!input.eppVerbose) {
    epp = 'the EPP is not logging routing decisions (its verbosity is below 3)';
  } else if (input.servedId) {
    epp = 'the gateway rewrote the request id, but no "Request handled" line from the EPP carried the id the replica received';
  } else if (input.idRewritten) {
    epp = 'the gateway rewrote the request id (and the reply did not name the one its replica received)';
  } else {
    epp = 'no "Request handled" line from the EPP carried this request’s id';
  }
  if (input.counters?.kind === 'decided') return { known: true, pod: input.counters.pod, source: 'metrics' };
  return { known: false, reason: `${capitalise(epp)}${input.counters ? `, and ${input.counters.reason}` : ''}.` };
}
