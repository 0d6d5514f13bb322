// What went wrong, in the Playground's words. The engine's chat client already turns each failure the
// guide knows into a clear message (electron/engine/chat/chat-client.ts); here we only decide which
// kind it is, so the page can offer the right next step (Reconnect, open the Cluster page, shorten the
// conversation) and keep the server's own message.

export type PlaygroundErrorKind =
  /** The local port-forward or the gateway behind it cannot be reached. */
  | 'gateway-down'
  /** The gateway answered but no replica has passed its readiness probe yet (503). */
  | 'model-loading'
  /** The server refused the conversation as longer than the model's context. */
  | 'context-length'
  /** The reply started and then broke off (the replica or the forward went away). */
  | 'mid-stream'
  | 'other';

export interface PlaygroundError {
  kind: PlaygroundErrorKind;
  title: string;
  message: string;
  hint?: string;
}

export interface EngineError {
  code: string;
  message: string;
  hint?: string | undefined;
}

const TITLES: Record<PlaygroundErrorKind, string> = {
  'gateway-down': 'Cannot reach the gateway',
  'model-loading': 'The model is still loading',
  'context-length': 'The conversation is too long for the model',
  'mid-stream': 'The reply broke off',
  other: 'The request failed',
};

export function classifyError(e: EngineError): PlaygroundError {
  const text = `${e.message} ${e.hint ?? ''}`;
  let kind: PlaygroundErrorKind = 'other';
  if (/no replica is ready/i.test(text)) kind = 'model-loading';
  else if (e.code === 'BAD_REQUEST' && /context|max_model_len|too long|maximum/i.test(text)) kind = 'context-length';
  else if (/cannot reach the gateway|port-forward .*did not start|could not start the port-forward/i.test(text)) kind = 'gateway-down';
  else if (/^could not reach the engine/i.test(e.message)) kind = 'other';
  return { kind, title: TITLES[kind], message: e.message, ...(e.hint ? { hint: e.hint } : {}) };
}

/** A reply that started and then failed: the engine puts the reason in `reply.error`. */
export function midStreamError(message: string): PlaygroundError {
  return { kind: 'mid-stream', title: TITLES['mid-stream'], message, hint: 'What arrived before the break is kept above. Send again to retry; the gateway will pick a replica that is still there.' };
}
