// The engine's OpenAI-compatible client to the gateway (docs/architecture.md §4): the renderer never holds the URL
// nor fights CORS; it gets token deltas as events. Measures time to first token and tokens/s per reply,
// keeps a stopped reply's partial text, and turns each failure the guide knows into a clear message.
import { ApiException } from '../../../shared/result.js';
import { isNoEndpointAnswer } from '../../../shared/epp-answers.js';
import { createStreamDecoder, interpretFrame, type Usage } from './openai-stream.js';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatParams {
  temperature?: number;
  maxTokens?: number;
  topP?: number;
}

export interface ChatRequest {
  baseUrl: string;
  model: string;
  messages: ChatMessage[];
  params?: ChatParams;
  signal?: AbortSignal;
  onDelta?: (text: string) => void;
  /** Sent as x-request-id so the EPP's "Request handled" line can be matched to this reply. */
  requestId?: string;
  fetchImpl?: typeof fetch;
  now?: () => number;
}

export interface ChatResult {
  content: string;
  finishReason?: string;
  usage?: Usage;
  /** ms from sending to the first content token. */
  ttftMs?: number;
  durationMs: number;
  /** completion tokens per second after the first token (usage when the server sent it, else deltas). */
  tokensPerSecond?: number;
  stopped: boolean;
  /** A mid-stream failure; `content` holds what arrived before it. */
  error?: string;
  headers: Record<string, string>;
  /** The completion's own `id` (its first chunk's): vLLM makes it from the X-Request-Id it received. */
  responseId?: string;
}

const trimSlash = (u: string) => u.replace(/\/+$/, '');

/** Maps a non-2xx answer to what a person should read. */
async function httpError(res: Response): Promise<ApiException> {
  const body = await res.text().catch(() => '');
  let serverMessage: string | undefined;
  try {
    const [e] = interpretFrame(body);
    if (e?.type === 'error') serverMessage = e.message;
  } catch {
    // not JSON: fall through with the raw text
  }
  const text = serverMessage ?? body.trim().slice(0, 300);
  // 503 (the EPP's answer to a chat with no Ready endpoint, or Envoy's) and the EPP's 500 to a request
  // without a body (/v1/models) both mean no model server is Ready (shared/epp-answers.ts).
  if (res.status === 503 || /no healthy upstream/i.test(body) || isNoEndpointAnswer({ status: res.status, body })) {
    return new ApiException('NETWORK', 'No replica is ready to answer yet.', 'The model is still loading (vLLM on CPU takes minutes to start) — watch the Cluster page until the decode pods are 2/2.', { status: res.status, body: text });
  }
  if (res.status === 400 && /context|max_model_len|maximum context length|too long/i.test(text)) {
    return new ApiException('BAD_REQUEST', text || 'The conversation is longer than the model’s context.', 'Start a new conversation or lower max tokens.', { status: 400 });
  }
  if (res.status === 404 && /model/i.test(text)) {
    return new ApiException('NOT_FOUND', text, 'Pick a model the server lists.', { status: 404 });
  }
  return new ApiException('NETWORK', `The gateway answered ${res.status}${text ? `: ${text}` : ''}`, undefined, { status: res.status });
}

function connectError(e: unknown, baseUrl: string): ApiException {
  const cause = (e as { cause?: { code?: string } })?.cause?.code;
  return new ApiException('NETWORK', `Cannot reach the gateway at ${baseUrl}${cause ? ` (${cause})` : ''}.`, 'The port-forward may have stopped: check the gateway status on the Cluster page and reconnect.', cause ? { cause } : undefined);
}

/**
 * Nothing listened at the URL (connection refused): the request never left, so sending it again through
 * a new forward cannot serve it twice.
 */
export const refusedConnection = (e: unknown): boolean =>
  e instanceof ApiException && e.code === 'NETWORK' && (e.details as { cause?: unknown } | undefined)?.cause === 'ECONNREFUSED';

export async function listModels(baseUrl: string, opts: { signal?: AbortSignal; fetchImpl?: typeof fetch } = {}): Promise<string[]> {
  const f = opts.fetchImpl ?? fetch;
  let res: Response;
  try {
    res = await f(`${trimSlash(baseUrl)}/v1/models`, { ...(opts.signal ? { signal: opts.signal } : {}) });
  } catch (e) {
    throw connectError(e, baseUrl);
  }
  if (!res.ok) throw await httpError(res);
  const body = (await res.json().catch(() => undefined)) as { data?: Array<{ id?: unknown }> } | undefined;
  const ids = (body?.data ?? []).map((m) => m.id).filter((id): id is string => typeof id === 'string');
  if (ids.length === 0) throw new ApiException('NETWORK', 'The gateway answered /v1/models without any model.', 'The model server may still be starting.');
  return ids;
}

export async function streamChat(req: ChatRequest): Promise<ChatResult> {
  const f = req.fetchImpl ?? fetch;
  const now = req.now ?? (() => performance.now());
  const started = now();
  const body = {
    model: req.model,
    messages: req.messages,
    stream: true,
    stream_options: { include_usage: true },
    ...(req.params?.temperature !== undefined ? { temperature: req.params.temperature } : {}),
    ...(req.params?.maxTokens !== undefined ? { max_tokens: req.params.maxTokens } : {}),
    ...(req.params?.topP !== undefined ? { top_p: req.params.topP } : {}),
  };
  let res: Response;
  try {
    res = await f(`${trimSlash(req.baseUrl)}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...(req.requestId ? { 'x-request-id': req.requestId } : {}) },
      body: JSON.stringify(body),
      ...(req.signal ? { signal: req.signal } : {}),
    });
  } catch (e) {
    if (req.signal?.aborted) return { content: '', durationMs: now() - started, stopped: true, headers: {} };
    throw connectError(e, req.baseUrl);
  }
  if (!res.ok) throw await httpError(res);
  const headers: Record<string, string> = {};
  res.headers.forEach((v, k) => (headers[k] = v));

  let content = '';
  let firstAt: number | undefined;
  let deltas = 0;
  let finishReason: string | undefined;
  let usage: Usage | undefined;
  let error: string | undefined;
  let responseId: string | undefined;
  const decoder = createStreamDecoder((e) => {
    if (e.type === 'meta') responseId ??= e.id;
    else if (e.type === 'delta' && e.index === 0) {
      firstAt ??= now();
      deltas++;
      content += e.content;
      req.onDelta?.(e.content);
    } else if (e.type === 'finish') finishReason = e.reason;
    else if (e.type === 'usage') usage = e.usage;
    else if (e.type === 'error') error ??= e.message;
  });
  let stopped = false;
  try {
    const reader = res.body?.getReader();
    if (!reader) throw new ApiException('NETWORK', 'The gateway sent no body.');
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      decoder.push(value);
    }
    decoder.end();
  } catch (e) {
    if (req.signal?.aborted) stopped = true;
    else if (e instanceof ApiException) throw e;
    else error ??= `The stream broke off: ${e instanceof Error ? e.message : String(e)} (the replica may have gone away).`;
  }
  const ended = now();
  const completionTokens = usage?.completionTokens ?? deltas;
  const genMs = firstAt !== undefined ? ended - firstAt : undefined;
  return {
    content,
    ...(finishReason ? { finishReason } : {}),
    ...(usage ? { usage } : {}),
    ...(firstAt !== undefined ? { ttftMs: firstAt - started } : {}),
    durationMs: ended - started,
    ...(genMs && genMs > 0 && completionTokens > 1 ? { tokensPerSecond: (completionTokens - 1) / (genMs / 1000) } : {}),
    stopped,
    ...(error && !stopped ? { error } : {}),
    headers,
    ...(responseId ? { responseId } : {}),
  };
}
