// How vLLM's OpenAI server names a completion: after the `X-Request-Id` header of the request it received.
// That header is the id the gateway's Envoy forwarded — the same one the EPP saw in ext_proc and logged
// with its routing decision ("Request handled", `x-request-id`) — so the `id` of the reply leads back to the
// EPP's line even when Envoy replaced the id the client sent. The sim's replicas answer with it
// (sim/replicas/replica.ts), the Playground reads it back (electron/engine/playground/playground.ts).
//
// Upstream:
// - vllm-project/vllm vllm/entrypoints/openai/chat_completion/serving.py (main, commit 006c49d4):
//   `request_id = f"chatcmpl-{self._base_request_id(raw_request, request.request_id)}"`; every streamed
//   chunk is a ChatCompletionStreamResponse with `id=request_id`. completion/serving.py: `f"cmpl-{…}"`.
// - vllm/entrypoints/openai/engine/serving.py (older: serving_engine.py) `_base_request_id`: the request's
//   `X-Request-Id` header when present, else the given default, else `random_uuid()` (32 hex digits). The
//   same rule in the v0.6-era and current shapes of the function, so vLLM 0.26 (release 0.9) and the 0.4
//   guide's image both follow it.
// - llm-d/llm-d-router v0.10.0 pkg/epp/handlers/server.go:425-433: the EPP takes `x-request-id` from the
//   request headers Envoy sends it (generating one only when absent) and logs it with every line.
// Envoy generates an x-request-id for a request that has none and forwards it upstream (HTTP connection
// manager, `generate_request_id` default true), so a request reaching vLLM through the gateway has one.
// llm-d-inference-sim's ids were not checked: the sim keeps a random id for it (it names its pod anyway).

/** The `id` prefix vLLM gives a chat completion and a text completion. */
export const VLLM_ID_PREFIX = { chat: 'chatcmpl-', completion: 'cmpl-' } as const;

/** The `id` vLLM answers with for a request carrying `xRequestId` (or none: then `fallback()`). */
export function vllmCompletionId(kind: keyof typeof VLLM_ID_PREFIX, xRequestId: string | undefined, fallback: () => string): string {
  return `${VLLM_ID_PREFIX[kind]}${xRequestId ?? fallback()}`;
}

/**
 * The request id a vLLM completion `id` was made from: what the replica received as `X-Request-Id`.
 * Undefined for an id without one of vLLM's prefixes (another server, or nothing after the prefix).
 */
export function requestIdOfCompletion(id: string | undefined): string | undefined {
  if (!id) return undefined;
  for (const prefix of Object.values(VLLM_ID_PREFIX)) {
    if (id.startsWith(prefix) && id.length > prefix.length) return id.slice(prefix.length);
  }
  return undefined;
}
