// The Playground's engine side: one streamed reply at a time per task, the routing experiment, and the
// replicas' live metrics. Token deltas go to the UI as small batched events (never whole conversations).
import { randomUUID } from 'node:crypto';
import type { Attribution, ChatMessage, ChatParams, ChatReply, ExperimentResult, ReplicaSample } from '../../../shared/api/chat.js';
import { ApiException } from '../../../shared/result.js';
import { requestIdOfCompletion } from '../../../shared/vllm-request-id.js';
import { attribute, counterVerdict, isQuiet, type CounterSnapshot, type CounterVerdict, type HandledRequest, type ReplicaCounters } from '../chat/attribution.js';
import { listModels, refusedConnection, streamChat, type ChatResult } from '../chat/chat-client.js';
import { armStats, distribution, readExperiment, type ArmStats, type ExperimentArm, type ExperimentSample, type ReplicaStats } from '../chat/experiment-stats.js';
import { parsePromText, rate, replicaMetrics, sumOf } from '../metrics/prom-text.js';
import type { ClusterLink } from './cluster-link.js';

/** How long to wait for the EPP's "Request handled" line after a reply ends. */
const EPP_WAIT_MS = 1500;
/**
 * How long to keep re-reading the replicas' counters after a reply (or an experiment group) until they
 * account for it: vLLM may count a request a moment after its last bytes left. Bounded, never a guess.
 */
const METRICS_SETTLE_MS = 2000;
const ARM_SETTLE_MS = 5000;
const METRICS_POLL_MS = 100;
/** At most one chat.delta event per this many ms per reply, after the first. */
const DELTA_BATCH_MS = 16;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Every ready decode replica's request counters, each scraped through the API server (link.metrics). */
export async function readCounters(link: ClusterLink): Promise<CounterSnapshot> {
  const pods = (await link.decodePods()).filter((p) => p.ready);
  return new Map(await Promise.all(pods.map(async (p): Promise<[string, ReplicaCounters]> => {
    try {
      const samples = parsePromText(await link.metrics(p.name));
      const success = sumOf(samples, 'vllm:request_success_total');
      const running = sumOf(samples, 'vllm:num_requests_running');
      const waiting = sumOf(samples, 'vllm:num_requests_waiting');
      return [p.name, { ...(success !== undefined ? { success } : { error: '/metrics has no vllm:request_success_total' }), ...(running !== undefined ? { running } : {}), ...(waiting !== undefined ? { waiting } : {}) }];
    } catch (e) {
      return [p.name, { error: message(e) }];
    }
  })));
}

/** A snapshot, or why there is none (listing the pods failed). */
type Before = { snapshot: CounterSnapshot } | { error: string };

const LATE = 'they arrived only after the reply had ended';

/**
 * Per replica, how many requests of one experiment group its counter grew by between `before` and
 * `after`; or why the counters cannot say (a replica restarted, turned ready mid-group, or was unreadable).
 */
export function counterDeltas(before: CounterSnapshot, after: CounterSnapshot): { deltas: Map<string, number> } | { error: string; retry: boolean } {
  const deltas = new Map<string, number>();
  for (const [pod, a] of after) {
    const b = before.get(pod);
    if (b?.success === undefined) return { error: `the counters of ${pod} were not read before the group`, retry: false };
    if (a.success === undefined) return { error: `the counters of ${pod} could not be read${a.error ? ` (${a.error})` : ''}`, retry: true };
    if (a.success < b.success) return { error: `${pod} restarted during the group`, retry: false };
    if (a.success > b.success) deltas.set(pod, a.success - b.success);
  }
  return { deltas };
}

/**
 * One experiment group's statistics with per-replica counts from the counters' deltas: right in every
 * gateway mode and at any concurrency, where attributing single replies may be ambiguous. Timings per
 * replica come from the replies that were attributed one by one.
 */
export function armFromCounts(arm: ExperimentArm, samples: readonly ExperimentSample[], counts: ReadonlyMap<string, number>): ArmStats {
  const mine = samples.filter((s) => s.arm === arm);
  const ok = mine.filter((s) => s.ok);
  const counted = [...counts.values()].reduce((a, n) => a + n, 0);
  const replicas: ReplicaStats[] = [...counts.entries()]
    .filter(([, n]) => n > 0)
    .map(([replica, count]) => {
      const timed = ok.filter((s) => s.replica === replica);
      const ttft = distribution(timed.flatMap((s) => (s.ttftMs === undefined ? [] : [s.ttftMs])));
      const latency = distribution(timed.map((s) => s.latencyMs));
      return { replica, count, share: count / counted, ...(ttft ? { ttft } : {}), ...(latency ? { latency } : {}) };
    })
    .sort((a, b) => b.count - a.count || a.replica.localeCompare(b.replica));
  return {
    arm,
    total: mine.length,
    failed: mine.length - ok.length,
    unattributed: Math.max(0, ok.length - counted),
    replicas,
    concentration: replicas.length ? replicas[0]!.share : 0,
  };
}

export interface PlaygroundDeps {
  link: ClusterLink;
  /** Called with coalesced text for one task (every ~16 ms while tokens stream). */
  onDelta: (taskId: string, text: string) => void;
  now?: () => number;
}

export class Playground {
  /**
   * The latest counters read in which no replica was running a request, and when that read completed: a
   * request sent after it cannot be in it, nor can one still in flight then be counted after it. A reply
   * whose own "before" read came too late is measured from it instead (see send).
   */
  private quiet: { snapshot: CounterSnapshot; at: number } | undefined;
  /** Our requests on their way (sent, reply not ended), and how many were ever sent. */
  private inFlight = 0;
  private sent = 0;
  /**
   * The last reply the EPP's log could be asked about (the header decides nothing here) was found there by
   * the id its replica received: the gateway rewrites ours, but the log still names each reply.
   */
  private servedTraced = false;

  constructor(private readonly deps: PlaygroundDeps) {}

  /** Counts one of our requests in flight until `reply` settles. */
  private track<T>(reply: Promise<T>): Promise<T> {
    this.sent += 1;
    this.inFlight += 1;
    return reply.finally(() => { this.inFlight -= 1; });
  }

  /**
   * Reads every replica's counters, keeping the read as the baseline when it is quiet: none of our requests
   * went out or was on its way while it ran (one not yet at its replica would look idle and be counted
   * later), and no replica was running or queueing anything.
   */
  private async counters(): Promise<CounterSnapshot> {
    const calm = this.inFlight === 0 ? this.sent : undefined;
    const snapshot = await readCounters(this.deps.link);
    if (calm === this.sent && this.inFlight === 0 && isQuiet(snapshot)) this.quiet = { snapshot, at: performance.now() };
    return snapshot;
  }

  private snapshot(): Promise<Before> {
    return this.counters().then((s) => ({ snapshot: s }), (e: unknown) => ({ error: message(e) }));
  }

  async models(): Promise<{ models: string[]; gatewayUrl: string }> {
    const gatewayUrl = await this.deps.link.gatewayUrl();
    const models = await listModels(gatewayUrl);
    // A first baseline for the counters, off the reply's path: the Playground lists the models when it opens.
    void this.snapshot();
    return { models, gatewayUrl };
  }

  /**
   * Which replica served one reply: the header, else the EPP line with the id we sent or with the id the
   * replica says it received (vLLM names its completion after it: shared/vllm-request-id.ts — the id the
   * gateway gave the request, which the EPP logged), else the counters read before the request (`before`)
   * against reads after it, re-read until they decide or the bound runs out. Without `before` the counters
   * are not consulted (concurrent experiment requests: the other requests' completions would make them
   * ambiguous anyway).
   */
  private async attribution(result: ChatResult, requestId: string, before: Before | undefined, opts: { settle: boolean; eppVerbose?: boolean }): Promise<Attribution> {
    const link = this.deps.link;
    if (result.headers['x-inference-pod']) return attribute({ headers: result.headers, podsByIp: new Map(), eppVerbose: true });
    // When we cannot tell whether the EPP logs, look for its line anyway.
    const verbose = opts.eppVerbose ?? (await link.eppVerbose().catch(() => true));
    const received = requestIdOfCompletion(result.responseId);
    const servedId = received !== undefined && received !== requestId ? received : undefined;
    // Not verbose: no line will come, but one already there is still evidence.
    const waitMs = verbose ? EPP_WAIT_MS : 0;
    const [handled, pods] = await Promise.all([
      firstFound([link.handled(requestId, waitMs), ...(servedId ? [link.handled(servedId, waitMs, { served: true })] : [])]),
      link.decodePods().catch(() => []),
    ]);
    const podsByIp = new Map(pods.flatMap((p) => (p.ip ? [[p.ip, p.name] as const] : [])));
    const base = { headers: result.headers, ...(handled ? { handled } : {}), podsByIp, eppVerbose: verbose, idRewritten: link.idRewritten(), ...(servedId ? { servedId } : {}) };
    const byLog = attribute(base);
    if (verbose) this.servedTraced = handled !== undefined && servedId !== undefined && handled.requestId === servedId;
    if (byLog.known || !before) return byLog;
    return attribute({ ...base, counters: await this.countersAfter(before, opts.settle) });
  }

  private async countersAfter(before: Before, settle: boolean): Promise<CounterVerdict> {
    if ('error' in before) return { kind: 'undecided', reason: `the replicas’ request counters could not be read (${before.error})`, settled: true };
    const deadline = Date.now() + (settle ? METRICS_SETTLE_MS : 0);
    for (;;) {
      let verdict: CounterVerdict;
      try {
        verdict = counterVerdict(before.snapshot, await this.counters());
      } catch (e) {
        verdict = { kind: 'undecided', reason: `the replicas’ request counters could not be read (${message(e)})`, settled: false };
      }
      if (verdict.kind === 'decided' || verdict.settled || Date.now() >= deadline) return verdict;
      await sleep(METRICS_POLL_MS);
    }
  }

  /**
   * Streams one reply. The first delta goes out at once (it is the time to first token a person feels);
   * after it, deltas are coalesced per ~16 ms so a fast model cannot flood the UI.
   */
  async send(taskId: string, req: { model: string; messages: ChatMessage[]; params: ChatParams }, signal: AbortSignal): Promise<ChatReply> {
    const requestId = randomUUID();
    const gatewayUrl = await this.deps.link.gatewayUrl();
    this.deps.link.noteSent(requestId);
    const sentAt = performance.now();
    let pending = '';
    let timer: NodeJS.Timeout | undefined;
    let lastEmit = -Infinity;
    const clock = () => performance.now();
    let firstOut = (): void => undefined;
    const firstEmitted = new Promise<void>((resolve) => (firstOut = resolve));
    const flush = () => {
      timer = undefined;
      if (pending) {
        lastEmit = clock();
        this.deps.onDelta(taskId, pending);
        pending = '';
        firstOut();
      }
    };
    const open = (baseUrl: string) => streamChat({
      baseUrl,
      model: req.model,
      messages: req.messages,
      params: req.params,
      signal,
      requestId,
      ...(this.deps.now ? { now: this.deps.now } : {}),
      onDelta: (t) => {
        pending += t;
        if (timer) return;
        const wait = DELTA_BATCH_MS - (clock() - lastEmit);
        if (wait <= 0) flush();
        else timer = setTimeout(flush, wait);
      },
    });
    // The link re-uses a forward it checked before without probing it again; if that forwarder has gone
    // since, nothing listens: check the forward in full (restarting it) and send once more.
    const reply = open(gatewayUrl).catch(async (e: unknown) => {
      if (!refusedConnection(e) || signal.aborted) throw e;
      this.deps.link.forgetGateway();
      return open(await this.deps.link.gatewayUrl());
    });
    // The replicas' counters before the reply: the replica whose count grows by this one reply served it.
    // They are read while the request is under way, not before it leaves: two API round trips (15–30 ms)
    // were most of what the app added to the first token. A replica counts a request once it has
    // finished — when its stream ends — so counters read before the stream ended cannot include this
    // reply; ones that arrived after it might, and are not used. (Cutting at the first token instead left
    // every reply unattributed on a loaded machine, where the reads take longer than a short TTFT.)
    // Once the EPP's log has named our ids (or, with ids rewritten, the ids our replicas received), its line
    // attributes the reply and the counters are only a fallback: they are read once the first token is out,
    // off its path — their API reads share the API server with the reply's port-forward, and on a loaded
    // machine delayed the first token by several ms.
    // Reads that arrive after the reply ended (a loaded machine, a short reply) are not raced: the reply is
    // measured from the last quiet read taken before it was sent, if there is one (this.quiet).
    let streamEndedAt: number | undefined;
    const baseline = this.quiet && this.quiet.at <= sentAt ? this.quiet.snapshot : undefined;
    const ended = this.track(reply).finally(() => { streamEndedAt = clock(); });
    const late = (): Before => (baseline ? { snapshot: baseline } : { error: LATE });
    const counted = (): Promise<Before> => (streamEndedAt === undefined ? this.snapshot() : Promise.resolve(late()));
    const eppFirst = this.deps.link.idKept() || this.servedTraced;
    const early = (eppFirst ? Promise.race([firstEmitted, ended.then(() => undefined, () => undefined)]).then(counted) : counted())
      .then((b): Before => (streamEndedAt === undefined ? b : late()));
    const result = await ended;
    if (timer) clearTimeout(timer);
    flush();
    const before = await early;
    return {
      requestId,
      model: req.model,
      content: result.content,
      ...(result.finishReason ? { finishReason: result.finishReason } : {}),
      ...(result.usage ? { usage: result.usage } : {}),
      ...(result.ttftMs !== undefined ? { ttftMs: result.ttftMs } : {}),
      durationMs: result.durationMs,
      ...(result.tokensPerSecond !== undefined ? { tokensPerSecond: result.tokensPerSecond } : {}),
      stopped: result.stopped,
      ...(result.error ? { error: result.error } : {}),
      // A stopped or broken reply may never be counted as a success: read the counters once, no waiting.
      attribution: result.stopped && !result.content
        ? { known: false, reason: 'Stopped before the first token.' }
        : await this.attribution(result, requestId, before, { settle: !result.stopped && !result.error }),
    };
  }

  /**
   * N requests sharing one long prefix, then N with distinct prompts, each group at the given concurrency.
   * The shared prefix is long enough for the EPP's prefix-cache scorer to notice (it hashes blocks of the
   * prompt). The groups run one after the other, so each group's counter deltas are its own.
   */
  async experiment(
    taskId: string,
    req: { requests: number; concurrency: number; maxTokens: number; model?: string },
    signal: AbortSignal,
    onProgress: (done: number, total: number) => void,
  ): Promise<ExperimentResult> {
    const link = this.deps.link;
    const gatewayUrl = await link.gatewayUrl();
    const model = req.model ?? (await listModels(gatewayUrl, { signal }))[0]!;
    const eppVerbose = await link.eppVerbose().catch(() => true);
    const prefix = SHARED_PREFIX;
    const groups: Array<{ arm: ExperimentArm; prompts: string[] }> = [
      { arm: 'shared-prefix', prompts: Array.from({ length: req.requests }, (_, i) => `${prefix}\n\nQuestion ${i + 1}: summarise the text above in one sentence.`) },
      { arm: 'distinct', prompts: Array.from({ length: req.requests }, (_, i) => `${DISTINCT_TOPICS[i % DISTINCT_TOPICS.length]} (variant ${i + 1}, ${randomUUID().slice(0, 8)})`) },
    ];
    const total = groups.reduce((n, g) => n + g.prompts.length, 0);
    const cancelled = () => new ApiException('CANCELLED', 'The experiment was cancelled.');
    const samples: ExperimentSample[] = [];
    const errors: string[] = [];
    const notes: string[] = [];
    const arms = new Map<ExperimentArm, ArmStats>();
    // One at a time, the counters around each request decide it as in the chat; with several in flight
    // they would only say "ambiguous", so per-request attribution uses the header and the EPP log only.
    const perRequestCounters = req.concurrency === 1;
    let done = 0;
    for (const group of groups) {
      const before = await this.snapshot();
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < group.prompts.length) {
          if (signal.aborted) throw cancelled();
          const prompt = group.prompts[next++]!;
          const requestId = randomUUID();
          try {
            const own = perRequestCounters ? await this.snapshot() : undefined;
            link.noteSent(requestId);
            const r = await this.track(streamChat({ baseUrl: gatewayUrl, model, messages: [{ role: 'user', content: prompt }], params: { maxTokens: req.maxTokens, temperature: 0 }, signal, requestId }));
            const a = await this.attribution(r, requestId, own, { settle: !r.error, eppVerbose });
            samples.push({ arm: group.arm, ok: !r.error, latencyMs: r.durationMs, ...(r.ttftMs !== undefined ? { ttftMs: r.ttftMs } : {}), ...(a.known ? { replica: a.pod } : {}) });
            if (r.error) errors.push(r.error);
          } catch (e) {
            if (signal.aborted) throw cancelled();
            samples.push({ arm: group.arm, ok: false, latencyMs: 0 });
            errors.push(message(e));
          }
          onProgress(++done, total);
        }
      };
      await Promise.all(Array.from({ length: Math.min(req.concurrency, group.prompts.length) }, worker));
      const completed = samples.filter((x) => x.arm === group.arm && x.ok).length;
      const counts = await this.groupCounts(before, completed, signal);
      if ('deltas' in counts) {
        arms.set(group.arm, armFromCounts(group.arm, samples, counts.deltas));
      } else {
        arms.set(group.arm, armStats(group.arm, samples));
        notes.push(`The ${group.arm === 'shared-prefix' ? 'shared-prefix' : 'distinct'} group is counted from the replies attributed one by one: ${counts.error}.`);
      }
    }
    const shared = arms.get('shared-prefix')!;
    const distinct = arms.get('distinct')!;
    const replicas = (await link.decodePods().catch(() => [])).filter((p) => p.ready).length;
    return { taskId, replicas, shared, distinct, reading: [...readExperiment(shared, distinct, replicas), ...notes], errors: [...new Set(errors)].slice(0, 5) };
  }

  /**
   * The counters' growth over one group, once it accounts for every completed request (re-read until
   * then, bounded). Growth beyond that means someone else's requests reached the replicas too, and the
   * deltas are not this group's alone.
   */
  private async groupCounts(before: Before, completed: number, signal: AbortSignal): Promise<{ deltas: Map<string, number> } | { error: string }> {
    if ('error' in before) return { error: `the replicas’ request counters could not be read (${before.error})` };
    const deadline = Date.now() + ARM_SETTLE_MS;
    for (;;) {
      if (signal.aborted) throw new ApiException('CANCELLED', 'The experiment was cancelled.');
      let read: ReturnType<typeof counterDeltas>;
      try {
        read = counterDeltas(before.snapshot, await this.counters());
      } catch (e) {
        read = { error: `the replicas could not be listed (${message(e)})`, retry: true };
      }
      const late = Date.now() >= deadline;
      if ('deltas' in read) {
        const sum = [...read.deltas.values()].reduce((a, n) => a + n, 0);
        if (sum > completed) return { error: `the replicas finished ${sum} requests while this group completed ${completed}, so other requests reached them too` };
        // Short of the total at the deadline: what was counted stands, the rest shows as unattributed.
        if (sum === completed || late) return read;
      } else if (!read.retry || late) {
        return { error: read.error };
      }
      await sleep(METRICS_POLL_MS);
    }
  }
}

/** The first of several bounded EPP look-ups to find a record, or undefined once all have come back empty. */
function firstFound(lookups: Array<Promise<HandledRequest | undefined>>): Promise<HandledRequest | undefined> {
  return new Promise((resolve) => {
    let left = lookups.length;
    const one = (r: HandledRequest | undefined) => {
      if (r) resolve(r);
      else if (--left === 0) resolve(undefined);
    };
    for (const l of lookups) l.then(one, () => one(undefined));
  });
}

/** Scrapes each decode replica's /metrics; keeps the previous sample to derive a request rate. */
export class MetricsSampler {
  private readonly previous = new Map<string, { value: number; at: number }>();
  constructor(private readonly link: ClusterLink, private readonly now: () => number = Date.now) {}

  async sample(): Promise<ReplicaSample[]> {
    const pods = (await this.link.decodePods()).filter((p) => p.ready);
    return Promise.all(pods.map(async (p): Promise<ReplicaSample> => {
      const at = this.now();
      try {
        const m = replicaMetrics(parsePromText(await this.link.metrics(p.name)));
        const r = m.requestsTotal !== undefined ? rate(this.previous.get(p.name), { value: m.requestsTotal, at }) : undefined;
        if (m.requestsTotal !== undefined) this.previous.set(p.name, { value: m.requestsTotal, at });
        return { pod: p.name, at: new Date(at).toISOString(), ...m, ...(r !== undefined ? { requestRate: r } : {}) };
      } catch (e) {
        return { pod: p.name, at: new Date(at).toISOString(), error: e instanceof Error ? e.message : String(e) };
      }
    }));
  }
}

const SHARED_PREFIX = [
  'llm-d is a Kubernetes-native distributed inference serving stack. Its inference scheduler, the endpoint picker (EPP),',
  'decides which model server replica receives each request. It scores replicas on queue depth, KV-cache utilisation and',
  'prefix-cache affinity: requests that share a long prompt prefix are sent where that prefix was recently computed, so the',
  'replica can reuse its cached attention keys and values instead of recomputing them. On CPU, vLLM runs the model with',
  'PyTorch and a paged KV cache in host memory; the routing proxy sidecar in each decode pod forwards requests to vLLM.',
  'This paragraph is the shared prefix of the routing experiment: every request in this group starts with the same text.',
].join(' ');

const DISTINCT_TOPICS = [
  'Name three uses of a hash map.', 'Why is the sky blue?', 'Give a haiku about autumn rain.', 'What does DNS do?',
  'Explain recursion to a child.', 'List two prime numbers above 50.', 'What is a container image?', 'Describe a rainbow in one line.',
  'How do plants make food?', 'What is the capital of Portugal?', 'Suggest a name for a cat.', 'What is TCP for?',
];
