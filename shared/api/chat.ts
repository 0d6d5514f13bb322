// The Playground (docs/architecture.md §4 "Chat and routing insight"): streaming chat through the gateway, which
// replica answered, the routing experiment and live per-replica metrics. The engine holds the gateway
// URL and talks to it; the renderer only sees deltas and results.
import { z } from 'zod';
import { ClientTaskId, TaskId } from './tasks.js';

export const ChatMessage = z.object({
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string().max(200_000),
});
export type ChatMessage = z.infer<typeof ChatMessage>;

export const ChatParams = z.object({
  temperature: z.number().min(0, 'must be at least 0').max(2, 'must be at most 2').optional(),
  maxTokens: z.number().int().min(1, 'must be at least 1').max(32_768).optional(),
  topP: z.number().gt(0, 'must be above 0').max(1, 'must be at most 1').optional(),
}).strict();
export type ChatParams = z.infer<typeof ChatParams>;

/**
 * Which replica answered, and what decided it (electron/engine/chat/attribution.ts): the
 * `x-inference-pod` response header (llm-d-inference-sim only), the EPP's "Request handled" line carrying
 * the request id the app sent (`ip` is the endpoint it named), or the replicas' request counters read
 * before and after the reply. Otherwise unknown, with a reason naming what was tried.
 */
export const AttributionSource = z.enum(['header', 'epp-log', 'metrics']);
export type AttributionSource = z.infer<typeof AttributionSource>;
/** How each source reads in the UI and in exported conversations. */
export const ATTRIBUTION_SOURCE_LABELS: Record<AttributionSource, string> = { header: 'x-inference-pod header', 'epp-log': 'EPP log', metrics: 'replica request counters' };
export const Attribution = z.discriminatedUnion('known', [
  z.object({ known: z.literal(true), pod: z.string(), source: AttributionSource, ip: z.string().optional() }),
  z.object({ known: z.literal(false), reason: z.string() }),
]);
export type Attribution = z.infer<typeof Attribution>;

export const ChatUsage = z.object({ promptTokens: z.number(), completionTokens: z.number(), totalTokens: z.number() });

export const ChatReply = z.object({
  requestId: z.string(),
  model: z.string(),
  content: z.string(),
  finishReason: z.string().optional(),
  usage: ChatUsage.optional(),
  ttftMs: z.number().optional(),
  durationMs: z.number(),
  tokensPerSecond: z.number().optional(),
  /** Stopped by the person: `content` is the partial reply. */
  stopped: z.boolean(),
  /** A failure after the reply started: `content` is what arrived before it. */
  error: z.string().optional(),
  attribution: Attribution,
});
export type ChatReply = z.infer<typeof ChatReply>;

export const ExperimentRequest = z.object({
  /** Requests per arm (shared prefix, distinct). */
  requests: z.number().int().min(2).max(64),
  concurrency: z.number().int().min(1).max(16),
  maxTokens: z.number().int().min(1).max(512).default(16),
  model: z.string().optional(),
  taskId: ClientTaskId.optional(),
}).strict();

const Distribution = z.object({ count: z.number(), min: z.number(), p50: z.number(), p90: z.number(), max: z.number(), mean: z.number() });
export const ArmStats = z.object({
  arm: z.enum(['shared-prefix', 'distinct']),
  total: z.number(),
  failed: z.number(),
  unattributed: z.number(),
  concentration: z.number(),
  /**
   * Per replica: `count` and `share` come from the replicas' request counters over the arm when they add
   * up, so they are right even when single replies could not be attributed; `ttft` and `latency` come
   * from the replies attributed one by one, and are absent when none was (their `count` says how many).
   */
  replicas: z.array(z.object({ replica: z.string(), count: z.number(), share: z.number(), ttft: Distribution.optional(), latency: Distribution.optional() })),
});
export type ArmStats = z.infer<typeof ArmStats>;

export const ExperimentResult = z.object({
  taskId: TaskId,
  replicas: z.number().int(),
  shared: ArmStats,
  distinct: ArmStats,
  reading: z.array(z.string()),
  errors: z.array(z.string()),
});
export type ExperimentResult = z.infer<typeof ExperimentResult>;

export const ReplicaSample = z.object({
  pod: z.string(),
  at: z.string(),
  kvCacheUsage: z.number().optional(),
  running: z.number().optional(),
  waiting: z.number().optional(),
  requestsTotal: z.number().optional(),
  /** requests/s since the previous sample of the same pod. */
  requestRate: z.number().optional(),
  error: z.string().optional(),
});
export type ReplicaSample = z.infer<typeof ReplicaSample>;

export const chatMethods = {
  /** The models the gateway serves (from /v1/models — never hard-coded) and the local gateway URL. */
  'chat.models': { request: z.object({}).strict(), response: z.object({ models: z.array(z.string()).min(1), gatewayUrl: z.string() }) },
  /** Streams one reply: `chat.delta` events, then `chat.done`. Stop with task.cancel (the partial reply is kept). */
  'chat.send': {
    request: z.object({ model: z.string().min(1), messages: z.array(ChatMessage).min(1).max(500), params: ChatParams.default({}), taskId: ClientTaskId.optional() }).strict(),
    response: z.object({ taskId: TaskId, requestId: z.string() }),
  },
  /** Runs the routing experiment: `experiment.progress` events, then `experiment.done`. */
  'experiment.run': { request: ExperimentRequest, response: z.object({ taskId: TaskId }) },
  /** Starts or stops pushing `metrics.sample` events (every ~2 s) for the decode replicas. */
  'metrics.watch': { request: z.object({ active: z.boolean(), intervalMs: z.number().int().min(250).max(60_000).optional() }).strict(), response: z.object({ active: z.boolean() }) },
} as const;

export const chatEvents = {
  'chat.delta': z.object({ taskId: TaskId, text: z.string() }),
  'chat.done': z.object({ taskId: TaskId, reply: ChatReply.optional(), error: z.object({ code: z.string(), message: z.string(), hint: z.string().optional() }).optional() }),
  'experiment.progress': z.object({ taskId: TaskId, done: z.number(), total: z.number() }),
  'experiment.done': z.object({ taskId: TaskId, result: ExperimentResult.optional(), error: z.object({ code: z.string(), message: z.string(), hint: z.string().optional() }).optional() }),
  'metrics.sample': z.object({ samples: z.array(ReplicaSample) }),
} as const;
