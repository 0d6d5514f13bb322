// Pod log streams belong to the browser tab that opened them (docs/architecture.md §5): the web host notes
// each stream a client starts and stops the ones still open when that client's socket closes, so a tab that
// is closed, reloaded or dropped as a slow consumer leaves no API server connection behind.
import type { Dispatcher } from '../engine/dispatch.js';
import type { Result } from '../../shared/result.js';

export interface ClientStreams {
  /** Called with every reply the client gets: remembers started streams, forgets stopped ones. */
  observe(method: string, payload: unknown, result: Result<unknown>): void;
  /** The client is gone: stops every stream it left open. */
  release(): Promise<void>;
  readonly open: ReadonlySet<string>;
}

export function clientStreams(dispatcher: Pick<Dispatcher, 'dispatch'>): ClientStreams {
  const open = new Set<string>();
  return {
    open,
    observe(method, payload, result) {
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
