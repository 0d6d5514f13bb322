// Decodes an OpenAI-compatible streaming response (vLLM, llm-d-inference-sim) into typed events.
// Robust to what the network does: bytes split anywhere (even inside a UTF-8 character or a frame),
// CRLF line ends, comments/keep-alives, the usage chunk with empty `choices`, vLLM's error frame
// (`{"object":"error",…}` or `{"error":{…}}`) and the `[DONE]` terminator.
import { createParser } from 'eventsource-parser';

export interface Usage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

export type StreamEvent =
  | { type: 'delta'; index: number; content: string }
  | { type: 'finish'; index: number; reason: string }
  | { type: 'usage'; usage: Usage }
  | { type: 'meta'; id?: string; model?: string }
  | { type: 'error'; message: string; code?: number | string; errorType?: string }
  | { type: 'done' };

interface ChunkJson {
  id?: unknown;
  model?: unknown;
  object?: unknown;
  message?: unknown;
  type?: unknown;
  code?: unknown;
  error?: unknown;
  choices?: unknown;
  usage?: unknown;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** Interprets one `data:` payload. Exported for tests and for non-streamed error bodies. */
export function interpretFrame(data: string): StreamEvent[] {
  const trimmed = data.trim();
  if (trimmed === '[DONE]') return [{ type: 'done' }];
  let json: ChunkJson;
  try {
    const parsed: unknown = JSON.parse(trimmed);
    if (!isRecord(parsed)) return [{ type: 'error', message: 'The server sent a frame that is not a JSON object.' }];
    json = parsed;
  } catch {
    return [{ type: 'error', message: `The server sent a malformed frame: ${trimmed.slice(0, 120)}` }];
  }
  const out: StreamEvent[] = [];
  // vLLM: {"object":"error","message":"…","type":"BadRequestError","code":400}; OpenAI: {"error":{"message":…}}
  if (json.object === 'error' || isRecord(json.error)) {
    const e = isRecord(json.error) ? json.error : json;
    const message = typeof e.message === 'string' ? e.message : 'The server reported an error.';
    const code = typeof e.code === 'number' || typeof e.code === 'string' ? e.code : undefined;
    const errorType = typeof e.type === 'string' ? e.type : undefined;
    return [{ type: 'error', message, ...(code !== undefined ? { code } : {}), ...(errorType ? { errorType } : {}) }];
  }
  if (typeof json.id === 'string' || typeof json.model === 'string') {
    out.push({ type: 'meta', ...(typeof json.id === 'string' ? { id: json.id } : {}), ...(typeof json.model === 'string' ? { model: json.model } : {}) });
  }
  if (Array.isArray(json.choices)) {
    for (const choice of json.choices) {
      if (!isRecord(choice)) continue;
      const index = num(choice.index);
      // chat: choices[].delta.content; completions: choices[].text
      const delta = isRecord(choice.delta) ? choice.delta : undefined;
      const content = typeof delta?.content === 'string' ? delta.content : typeof choice.text === 'string' ? choice.text : '';
      if (content) out.push({ type: 'delta', index, content });
      if (typeof choice.finish_reason === 'string' && choice.finish_reason) out.push({ type: 'finish', index, reason: choice.finish_reason });
    }
  }
  if (isRecord(json.usage)) {
    const u = json.usage;
    out.push({ type: 'usage', usage: { promptTokens: num(u.prompt_tokens), completionTokens: num(u.completion_tokens), totalTokens: num(u.total_tokens) } });
  }
  return out;
}

export interface StreamDecoder {
  /** Feed raw bytes (or text) as they arrive. */
  push(chunk: Uint8Array | string): void;
  /** Signal the end of the body; reports a stream that ended without `[DONE]`. */
  end(): void;
}

export function createStreamDecoder(onEvent: (event: StreamEvent) => void): StreamDecoder {
  const text = new TextDecoder('utf-8');
  let sawDone = false;
  let sawError = false;
  const emit = (e: StreamEvent): void => {
    if (e.type === 'done') sawDone = true;
    if (e.type === 'error') sawError = true;
    onEvent(e);
  };
  const parser = createParser({
    onEvent: (message) => {
      if (sawDone) return;
      for (const e of interpretFrame(message.data)) emit(e);
    },
  });
  return {
    push(chunk) {
      parser.feed(typeof chunk === 'string' ? chunk : text.decode(chunk, { stream: true }));
    },
    end() {
      const rest = text.decode();
      if (rest) parser.feed(rest);
      // A final frame without its blank line still counts (some proxies drop the trailing newline).
      parser.reset({ consume: true });
      if (!sawDone && !sawError) emit({ type: 'error', message: 'The stream ended before the server finished the reply (the replica may have gone away).' });
    },
  };
}
