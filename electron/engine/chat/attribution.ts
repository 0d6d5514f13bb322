// Which replica answered: the EPP logs a "Request handled" line per request at verbosity >= 3 with the
// chosen endpoint "<podIP>:<port>" (GAIE pkg/epp/requestcontrol/director.go; llm-d-facts.md §7). We map
// that IP to a pod name through the pod informer's cache. When the server sends `x-inference-pod`
// (llm-d-inference-sim does), that header wins. When neither exists we say "unknown" and why.

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

export type Attribution =
  | { known: true; pod: string; source: 'header' | 'epp-log'; ip?: string }
  | { known: false; reason: string };

export interface AttributionInput {
  /** Response headers (lower-case names). */
  headers?: Record<string, string | undefined>;
  /** The EPP record matched to this request (by x-request-id or by time order). */
  handled?: HandledRequest;
  /** podIP → pod name, from the pod informer. */
  podsByIp: ReadonlyMap<string, string>;
  /** Whether the EPP logs routing decisions at all (verbosity >= 3). */
  eppVerbose: boolean;
}

export function attribute(input: AttributionInput): Attribution {
  const header = input.headers?.['x-inference-pod'];
  if (header) return { known: true, pod: header, source: 'header' };
  if (input.handled) {
    const ip = input.handled.endpoints[0]!.ip;
    const pod = input.podsByIp.get(ip);
    if (pod) return { known: true, pod, source: 'epp-log', ip };
    return { known: false, reason: `The EPP routed to ${ip}, but no current pod has that IP (the replica may have restarted).` };
  }
  if (!input.eppVerbose) {
    return { known: false, reason: 'The EPP is not logging routing decisions (its verbosity is below 3), and the server sent no x-inference-pod header.' };
  }
  return { known: false, reason: 'No "Request handled" line from the EPP matched this request yet.' };
}
