// The Playground's engine side: one streamed reply at a time per task, the routing experiment, and the
// replicas' live metrics. Token deltas go to the UI as small batched events (never whole conversations).
import { randomUUID } from 'node:crypto';
import type { Attribution, ChatMessage, ChatParams, ChatReply, ExperimentResult, ReplicaSample } from '../../../shared/api/chat.js';
import { ApiException } from '../../../shared/result.js';
import { attribute } from '../chat/attribution.js';
import { listModels, streamChat, type ChatResult } from '../chat/chat-client.js';
import { armStats, readExperiment, type ExperimentSample } from '../chat/experiment-stats.js';
import { parsePromText, rate, replicaMetrics } from '../metrics/prom-text.js';
import type { ClusterLink } from './cluster-link.js';

/** How long to wait for the EPP's "Request handled" line after a reply ends. */
const EPP_WAIT_MS = 1500;

export interface PlaygroundDeps {
  link: ClusterLink;
  /** Called with coalesced text for one task (every ~16 ms while tokens stream). */
  onDelta: (taskId: string, text: string) => void;
  now?: () => number;
}

export class Playground {
  constructor(private readonly deps: PlaygroundDeps) {}

  async models(): Promise<{ models: string[]; gatewayUrl: string }> {
    const gatewayUrl = await this.deps.link.gatewayUrl();
    return { models: await listModels(gatewayUrl), gatewayUrl };
  }

  private async attribution(result: ChatResult, requestId: string): Promise<Attribution> {
    if (result.headers['x-inference-pod']) return attribute({ headers: result.headers, podsByIp: new Map(), eppVerbose: true });
    const [handled, pods, verbose] = await Promise.all([
      this.deps.link.handled(requestId, EPP_WAIT_MS),
      this.deps.link.decodePods().catch(() => []),
      this.deps.link.eppVerbose().catch(() => false),
    ]);
    const podsByIp = new Map(pods.flatMap((p) => (p.ip ? [[p.ip, p.name] as const] : [])));
    return attribute({ headers: result.headers, ...(handled ? { handled } : {}), podsByIp, eppVerbose: verbose });
  }

  /** Streams one reply. Deltas are coalesced per ~16 ms so a fast model cannot flood the UI. */
  async send(taskId: string, req: { model: string; messages: ChatMessage[]; params: ChatParams }, signal: AbortSignal): Promise<ChatReply> {
    const gatewayUrl = await this.deps.link.gatewayUrl();
    const requestId = randomUUID();
    let pending = '';
    let timer: NodeJS.Timeout | undefined;
    const flush = () => {
      timer = undefined;
      if (pending) {
        this.deps.onDelta(taskId, pending);
        pending = '';
      }
    };
    const result = await streamChat({
      baseUrl: gatewayUrl,
      model: req.model,
      messages: req.messages,
      params: req.params,
      signal,
      requestId,
      ...(this.deps.now ? { now: this.deps.now } : {}),
      onDelta: (t) => {
        pending += t;
        timer ??= setTimeout(flush, 16);
      },
    });
    if (timer) clearTimeout(timer);
    flush();
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
      attribution: result.stopped && !result.content ? { known: false, reason: 'Stopped before the first token.' } : await this.attribution(result, requestId),
    };
  }

  /**
   * N requests sharing one long prefix, then N with distinct prompts, at the given concurrency. The
   * shared prefix is long enough for the EPP's prefix-cache scorer to notice (it hashes blocks of the prompt).
   */
  async experiment(
    taskId: string,
    req: { requests: number; concurrency: number; maxTokens: number; model?: string },
    signal: AbortSignal,
    onProgress: (done: number, total: number) => void,
  ): Promise<ExperimentResult> {
    const gatewayUrl = await this.deps.link.gatewayUrl();
    const model = req.model ?? (await listModels(gatewayUrl, { signal }))[0]!;
    const prefix = SHARED_PREFIX;
    const jobs: Array<{ arm: ExperimentSample['arm']; prompt: string }> = [
      ...Array.from({ length: req.requests }, (_, i) => ({ arm: 'shared-prefix' as const, prompt: `${prefix}\n\nQuestion ${i + 1}: summarise the text above in one sentence.` })),
      ...Array.from({ length: req.requests }, (_, i) => ({ arm: 'distinct' as const, prompt: `${DISTINCT_TOPICS[i % DISTINCT_TOPICS.length]} (variant ${i + 1}, ${randomUUID().slice(0, 8)})` })),
    ];
    const samples: ExperimentSample[] = [];
    const errors: string[] = [];
    let done = 0;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < jobs.length) {
        if (signal.aborted) throw new ApiException('CANCELLED', 'The experiment was cancelled.');
        const job = jobs[next++]!;
        const requestId = randomUUID();
        try {
          const r = await streamChat({ baseUrl: gatewayUrl, model, messages: [{ role: 'user', content: job.prompt }], params: { maxTokens: req.maxTokens, temperature: 0 }, signal, requestId });
          const a = await this.attribution(r, requestId);
          samples.push({ arm: job.arm, ok: !r.error, latencyMs: r.durationMs, ...(r.ttftMs !== undefined ? { ttftMs: r.ttftMs } : {}), ...(a.known ? { replica: a.pod } : {}) });
          if (r.error) errors.push(r.error);
        } catch (e) {
          if (signal.aborted) throw new ApiException('CANCELLED', 'The experiment was cancelled.');
          samples.push({ arm: job.arm, ok: false, latencyMs: 0 });
          errors.push(e instanceof Error ? e.message : String(e));
        }
        onProgress(++done, jobs.length);
      }
    };
    // The shared-prefix arm runs first so its requests can find the prefix cached; then the distinct arm.
    await Promise.all(Array.from({ length: Math.min(req.concurrency, jobs.length) }, worker));
    const shared = armStats('shared-prefix', samples);
    const distinct = armStats('distinct', samples);
    const replicas = (await this.deps.link.decodePods().catch(() => [])).filter((p) => p.ready).length;
    return { taskId, replicas, shared, distinct, reading: readExperiment(shared, distinct, replicas), errors: [...new Set(errors)].slice(0, 5) };
  }
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
