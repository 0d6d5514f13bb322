// Pod log streams belong to the browser tab that opened them (docs/architecture.md §5): the web host notes
// each stream a client starts and stops the ones still open when that client's socket closes, so a tab that
// is closed, reloaded or dropped as a slow consumer leaves no API server connection behind. Each client may hold only
// part of the engine's streams (the engine caps them all, handlers/cluster.ts MAX_LOG_STREAMS), so one tab that opens
// streams in a loop cannot take every place and leave the other tabs none.
import type { Dispatcher } from '../engine/dispatch.js';
import { err, type Result } from '../../shared/result.js';

/** Pod log streams one client may have open or opening at once: half the engine's 16, so two tabs always fit. */
export const MAX_STREAMS_PER_CLIENT = 8;

export interface ClientStreams {
  /** Called before a request is dispatched: the refusal to send instead, if this client may not open another stream. */
  admit(method: string): Result<unknown> | undefined;
  /** Called with every reply the client gets: remembers started streams, forgets stopped ones. */
  observe(method: string, payload: unknown, result: Result<unknown>): void;
  /** The client is gone: stops every stream it left open. */
  release(): Promise<void>;
  readonly open: ReadonlySet<string>;
}

export function clientStreams(dispatcher: Pick<Dispatcher, 'dispatch'>): ClientStreams {
  const open = new Set<string>();
  /** Starts dispatched but not answered yet: two frames in one write must not both pass the cap. */
  let starting = 0;
  return {
    open,
    admit(method) {
      if (method !== 'pod.logs.start') return undefined;
      if (open.size + starting >= MAX_STREAMS_PER_CLIENT) {
        return err('CONFLICT', `This window already has ${open.size + starting} pod log streams open.`, 'Stop one (pod.logs.stop) before opening another.');
      }
      starting++;
      return undefined;
    },
    observe(method, payload, result) {
      if (method === 'pod.logs.start') starting--;
      if (!result.ok) return;
      if (method === 'pod.logs.start') {
        const id = (result.value as { streamId?: unknown }).streamId;
        if (typeof id === 'string') open.add(id);
      } else if (method === 'pod.logs.stop') {
        const id = (payload as { streamId?: unknown } | null)?.streamId;
        if (typeof id === 'string') open.delete(id);
      }
    },
    async release() {
      const ids = [...open];
      open.clear();
      await Promise.all(ids.map((streamId) => dispatcher.dispatch('pod.logs.stop', { streamId })));
    },
  };
}
