// A simulated vLLM replica (the `vllm` container of a decode pod), modelled on llm-d-inference-sim:
// OpenAI `/v1/models`, `/v1/chat/completions`, `/v1/completions` (JSON or SSE streaming with
// `stream_options.include_usage`), `/health`, `/metrics` with vLLM's names, echo/random text,
// time-to-first-token and inter-token latency, max-num-seqs queueing, vLLM's context-length error, and an
// injectable mid-stream error frame. Only an llm-d-inference-sim image sends `x-inference-pod`: real vLLM
// names no pod in its responses (llm-d-facts.md §6–7), and a sim that always sent it would hide that the
// app must find the replica some other way.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { vllmCompletionId } from '../../shared/vllm-request-id.js';
import { gauge, Histogram } from './metrics.js';
import { countTokens, generate } from './text.js';

export interface ReplicaOptions {
  model: string;
  podName: string;
  namespace: string;
  mode: 'echo' | 'random';
  /** Already scaled by the scenario's time scale. */
  timeToFirstTokenMs: number;
  interTokenLatencyMs: number;
  maxModelLen: number;
  maxNumSeqs?: number;
  maxTokensDefault?: number;
  /** Consulted once per streamed request: a number = fail after that many tokens. */
  streamError?: () => number | undefined;
  /** One line per request, like uvicorn's access log in the vllm container. */
  accessLog?: (line: string) => void;
  /** The container's image: llm-d-inference-sim or vLLM (isInferenceSim), which decides the headers and ids. */
  image?: string;
}

/** The image is llm-d-inference-sim (anything else is taken for vLLM). */
export const isInferenceSim = (image: string | undefined): boolean => /^ghcr\.io\/llm-d\/llm-d-inference-sim(?:[:@]|$)/.test(image ?? '');
/** llm-d-inference-sim sets `x-inference-pod`/`-namespace` (from POD_NAME/POD_NAMESPACE); vLLM sends none. */
export const sendsPodHeaders = isInferenceSim;

class BadRequest extends Error {
  constructor(readonly status: number, message: string, readonly type = 'BadRequestError', readonly param: string | null = null) {
    super(message);
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

interface Msg { role?: unknown; content?: unknown }
const contentText = (c: unknown): string =>
  typeof c === 'string' ? c : Array.isArray(c) ? c.map((p) => (p && typeof p === 'object' && 'text' in p ? String((p as { text: unknown }).text) : '')).join(' ') : '';

export class Replica {
  running = 0;
  waiting = 0;
  private seq = 0;
  private readonly success = new Map<string, number>();
  private promptTokens = 0;
  private generationTokens = 0;
  private readonly ttft = new Histogram('vllm:time_to_first_token_seconds', 'Histogram of time to first token in seconds.', [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10]);
  private readonly e2e = new Histogram('vllm:e2e_request_latency_seconds', 'Histogram of end to end request latency in seconds.', [0.3, 0.5, 0.8, 1, 1.5, 2, 2.5, 5, 10, 15, 20, 30, 40, 50, 60]);
  private readonly slotWaiters: Array<() => void> = [];

  constructor(readonly opts: ReplicaOptions) {}

  handle = (req: IncomingMessage, res: ServerResponse): void => {
    this.route(req, res).catch((err: unknown) => {
      if (!res.headersSent) this.sendError(res, new BadRequest(500, err instanceof Error ? err.message : String(err), 'InternalServerError'));
      else res.destroy();
    });
  };

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (sendsPodHeaders(this.opts.image)) {
      res.setHeader('x-inference-pod', this.opts.podName);
      res.setHeader('x-inference-namespace', this.opts.namespace);
    }
    const done = (status: number) => this.opts.accessLog?.(`INFO:     ${req.socket.remoteAddress ?? '127.0.0.1'}:${req.socket.remotePort ?? 0} - "${req.method} ${path} HTTP/1.1" ${status} ${status === 200 ? 'OK' : ''}`.trimEnd());
    if (req.method === 'GET' && (path === '/health' || path === '/ready')) { res.writeHead(200).end(); return; }
    if (req.method === 'GET' && path === '/metrics') { res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(this.metrics()); return; }
    if (req.method === 'GET' && path === '/v1/models') {
      this.json(res, 200, { object: 'list', data: [{ id: this.opts.model, object: 'model', created: Math.floor(Date.now() / 1000), owned_by: 'vllm', root: this.opts.model, parent: null, max_model_len: this.opts.maxModelLen }] });
      done(200);
      return;
    }
    if (req.method === 'POST' && (path === '/v1/chat/completions' || path === '/v1/completions')) {
      try {
        await this.complete(req, res, path === '/v1/chat/completions');
        done(res.statusCode);
      } catch (err) {
        if (!(err instanceof BadRequest)) throw err;
        this.sendError(res, err);
        done(err.status);
      }
      return;
    }
    this.json(res, 404, { detail: 'Not Found' });
  }

  private async complete(req: IncomingMessage, res: ServerResponse, chat: boolean): Promise<void> {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(await readBody(req)) as Record<string, unknown>;
    } catch {
      throw new BadRequest(400, 'Invalid JSON in request body');
    }
    if (typeof body !== 'object' || body === null) throw new BadRequest(400, 'Request body must be a JSON object');
    const model = body.model;
    if (model !== undefined && model !== this.opts.model) throw new BadRequest(404, `The model \`${String(model)}\` does not exist.`, 'NotFoundError', 'model');
    let prompt: string;
    if (chat) {
      if (!Array.isArray(body.messages) || body.messages.length === 0) throw new BadRequest(400, 'messages: Field required', 'BadRequestError', 'messages');
      const msgs = body.messages as Msg[];
      prompt = msgs.map((m) => contentText(m.content)).join('\n');
      const lastUser = [...msgs].reverse().find((m) => m.role === 'user');
      body.__echo = contentText(lastUser?.content ?? msgs[msgs.length - 1]?.content);
    } else {
      if (typeof body.prompt !== 'string') throw new BadRequest(400, 'prompt: Field required', 'BadRequestError', 'prompt');
      prompt = body.prompt;
      body.__echo = prompt;
    }
    const stream = body.stream === true;
    const streamOptions = body.stream_options as { include_usage?: boolean } | undefined;
    if (streamOptions && !stream) throw new BadRequest(400, 'Stream options can only be defined when `stream=True`.');
    const maxTokens = Number(body.max_completion_tokens ?? body.max_tokens ?? this.opts.maxTokensDefault ?? 64);
    if (!Number.isInteger(maxTokens) || maxTokens < 1) throw new BadRequest(400, 'max_tokens must be at least 1, got ' + String(maxTokens));
    const promptTokens = countTokens(prompt);
    if (promptTokens + maxTokens > this.opts.maxModelLen) {
      throw new BadRequest(400, `This model's maximum context length is ${this.opts.maxModelLen} tokens. However, you requested ${promptTokens + maxTokens} tokens (${promptTokens} in the messages, ${maxTokens} in the completion). Please reduce the length of the messages or completion.`);
    }
    const { tokens, finishReason } = generate(this.opts.mode, String(body.__echo), maxTokens, this.seq++);
    // vLLM names the completion after the X-Request-Id it received — the id the gateway's Envoy forwarded
    // and the EPP logged (shared/vllm-request-id.ts); without one, random_uuid()'s 32 hex digits.
    // llm-d-inference-sim's naming was not checked: a random id, as before.
    const xRequestId = typeof req.headers['x-request-id'] === 'string' && req.headers['x-request-id'] ? req.headers['x-request-id'] : undefined;
    const hex = () => randomUUID().replace(/-/g, '');
    const id = isInferenceSim(this.opts.image) ? `${chat ? 'chatcmpl' : 'cmpl'}-${randomUUID()}` : vllmCompletionId(chat ? 'chat' : 'completion', xRequestId, hex);
    const created = Math.floor(Date.now() / 1000);
    const started = Date.now();
    await this.acquireSlot();
    // The request is finished (counters up, slot free) just before its closing frames go out, so a client
    // that has read the whole reply finds it in /metrics. Real vLLM may count it a moment later (its
    // stats and its HTTP stream are separate paths; not verified either way) — the app re-reads, bounded.
    // Only finished requests count as a success: a mid-stream failure or a client that went away leaves
    // vllm:request_success_total alone.
    let released = false;
    const release = () => { if (!released) { released = true; this.releaseSlot(); } };
    const finish = () => {
      this.promptTokens += promptTokens;
      this.generationTokens += tokens.length;
      this.success.set(finishReason, (this.success.get(finishReason) ?? 0) + 1);
      this.e2e.observe((Date.now() - started) / 1000);
      release();
    };
    try {
      await sleep(this.opts.timeToFirstTokenMs);
      this.ttft.observe((Date.now() - started) / 1000);
      const usage = { prompt_tokens: promptTokens, completion_tokens: tokens.length, total_tokens: promptTokens + tokens.length };
      if (!stream) {
        await sleep(this.opts.interTokenLatencyMs * Math.max(0, tokens.length - 1));
        const text = tokens.join('');
        if (res.destroyed) return;
        finish();
        this.json(res, 200, chat
          ? { id, object: 'chat.completion', created, model: this.opts.model, choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: finishReason, logprobs: null }], usage }
          : { id, object: 'text_completion', created, model: this.opts.model, choices: [{ index: 0, text, finish_reason: finishReason, logprobs: null }], usage });
      } else {
        await this.stream(res, { chat, id, created, tokens, finishReason, usage, includeUsage: streamOptions?.include_usage === true }, finish);
      }
    } finally {
      release();
    }
  }

  /** Streams the tokens; `finish` runs once the last token is out, before the closing frames. */
  private async stream(res: ServerResponse, s: { chat: boolean; id: string; created: number; tokens: string[]; finishReason: string; usage: Record<string, number>; includeUsage: boolean }, finish: () => void): Promise<void> {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const object = s.chat ? 'chat.completion.chunk' : 'text_completion';
    const frame = (choices: unknown[], extra: Record<string, unknown> = {}) =>
      res.write(`data: ${JSON.stringify({ id: s.id, object, created: s.created, model: this.opts.model, choices, ...extra })}\n\n`);
    const choice = (text: string, finish: string | null, role = false) => (s.chat
      ? { index: 0, delta: role ? { role: 'assistant', content: text } : finish ? {} : { content: text }, logprobs: null, finish_reason: finish }
      : { index: 0, text, logprobs: null, finish_reason: finish });
    const failAfter = this.opts.streamError?.();
    if (s.chat) frame([choice('', null, true)]);
    for (const [i, tok] of s.tokens.entries()) {
      if (res.destroyed) return;
      if (failAfter !== undefined && i >= failAfter) {
        res.write(`data: ${JSON.stringify({ error: { message: 'The replica failed while generating (simulated fault).', type: 'InternalServerError', param: null, code: 500 } })}\n\n`);
        res.end('data: [DONE]\n\n');
        return;
      }
      if (i > 0) await sleep(this.opts.interTokenLatencyMs);
      frame([choice(tok, null)]);
    }
    if (res.destroyed) return;
    finish();
    frame([choice('', s.finishReason)]);
    if (s.includeUsage) frame([], { usage: s.usage });
    res.end('data: [DONE]\n\n');
  }

  private acquireSlot(): Promise<void> {
    if (this.running < (this.opts.maxNumSeqs ?? 5)) {
      this.running += 1;
      return Promise.resolve();
    }
    this.waiting += 1;
    return new Promise((resolve) => this.slotWaiters.push(() => { this.waiting -= 1; this.running += 1; resolve(); }));
  }

  private releaseSlot(): void {
    this.running -= 1;
    this.slotWaiters.shift()?.();
  }

  /** KV-cache usage grows with the requests in flight (what the EPP's kv-cache scorer reads). */
  kvCacheUsage(): number {
    return Math.min(1, (this.running + this.waiting) / ((this.opts.maxNumSeqs ?? 5) * 2));
  }

  metrics(): string {
    const l = { model_name: this.opts.model };
    return [
      gauge('vllm:num_requests_running', 'Number of requests in model execution batches.', 'gauge', [[l, this.running]]),
      gauge('vllm:num_requests_waiting', 'Number of requests waiting to be processed.', 'gauge', [[l, this.waiting]]),
      gauge('vllm:kv_cache_usage_perc', 'KV-cache usage. 1 means 100 percent usage.', 'gauge', [[l, this.kvCacheUsage()]]),
      gauge('vllm:request_success_total', 'Count of successfully processed requests.', 'counter',
        ['stop', 'length'].map((r) => [{ ...l, finished_reason: r }, this.success.get(r) ?? 0])),
      gauge('vllm:prompt_tokens_total', 'Number of prefill tokens processed.', 'counter', [[l, this.promptTokens]]),
      gauge('vllm:generation_tokens_total', 'Number of generation tokens processed.', 'counter', [[l, this.generationTokens]]),
      this.ttft.render(l),
      this.e2e.render(l),
      gauge('vllm:cache_config_info', 'Information of the LLMEngine CacheConfig', 'gauge', [[{ block_size: '16', num_gpu_blocks: '6400' }, 1]]),
    ].join('\n') + '\n';
  }

  private json(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }

  private sendError(res: ServerResponse, err: BadRequest): void {
    this.json(res, err.status, { error: { message: err.message, type: err.type, param: err.param, code: err.status } });
  }
}
