// The web host's answer to one text frame (docs/architecture.md §2): parsed and checked (messages.ts), dispatched, and
// noted for the client's pod log streams (client-streams.ts). Apart from server.ts so the dispatch fuzz runs exactly
// what a browser tab's frame goes through.
import type { Dispatcher } from '../engine/dispatch.js';
import type { ClientStreams } from './client-streams.js';
import { parseClientFrame, type ServerReply } from './messages.js';

export async function answerFrame(raw: string, dispatcher: Pick<Dispatcher, 'dispatch'>, streams: Pick<ClientStreams, 'admit' | 'observe'>): Promise<ServerReply> {
  const parsed = parseClientFrame(raw);
  if ('reply' in parsed) return parsed.reply;
  const { id, method, payload } = parsed.request;
  // Refused here, the start never reaches the engine (and so is not observed: admit counted nothing for it).
  const refused = streams.admit(method);
  if (refused) return { id, result: refused };
  // The dispatcher validates the method and payload and never throws.
  const result = await dispatcher.dispatch(method, payload);
  streams.observe(method, payload, result);
  return { id, result };
}
