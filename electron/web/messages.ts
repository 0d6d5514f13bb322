// The web host's wire format. Client → server: { id, method, payload }. Server → client:
// { id, result } (result is the envelope) and { topic, payload } for events. Every inbound message is
// validated; anything malformed gets an error envelope back, never a crash or a silent drop.
import { z } from 'zod';
import { err, type Result } from '../../shared/result.js';

export const RequestId = z.union([z.string().max(64), z.number().int().nonnegative()]);

export const ClientRequest = z.object({
  id: RequestId,
  method: z.string().min(1).max(100),
  payload: z.unknown().optional(),
}).strict();
export type ClientRequest = z.infer<typeof ClientRequest>;

export interface ServerReply {
  id: z.infer<typeof RequestId> | null;
  result: Result<unknown>;
}
export interface ServerEvent {
  topic: string;
  payload: unknown;
}

/** Parses one raw frame; returns the request or the reply to send instead. */
export function parseClientFrame(raw: string): { request: ClientRequest } | { reply: ServerReply } {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { reply: { id: null, result: err('BAD_REQUEST', 'The message is not valid JSON.') } };
  }
  const parsed = ClientRequest.safeParse(json);
  if (!parsed.success) {
    const maybeId = RequestId.safeParse((json as { id?: unknown } | null)?.id);
    return { reply: { id: maybeId.success ? maybeId.data : null, result: err('BAD_REQUEST', 'The message must be { id, method, payload }.') } };
  }
  return { request: parsed.data };
}
