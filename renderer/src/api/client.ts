// The typed API the pages use. It sits on a RawTransport (the preload object or the WebSocket) and
// validates what comes back against the contract, so a page never sees an unchecked payload.
import {
  events,
  isTopic,
  methods,
  type EventPayload,
  type MethodName,
  type RawTransport,
  type Req,
  type Res,
  type Topic,
} from '../../../shared/contract.js';
import { resultSchema, type ApiError, type Result } from '../../../shared/result.js';

/** A failed call, thrown by `call`; carries the engine's code and hint. */
export class ApiCallError extends Error {
  readonly code: ApiError['code'];
  readonly hint: string | undefined;
  constructor(error: ApiError) {
    super(error.message);
    this.name = 'ApiCallError';
    this.code = error.code;
    this.hint = error.hint;
  }
}

export interface Api {
  /** The envelope, never throws. */
  invoke<M extends MethodName>(method: M, req: Req<M>): Promise<Result<Res<M>>>;
  /** The value, or throws ApiCallError. */
  call<M extends MethodName>(method: M, req: Req<M>): Promise<Res<M>>;
  on<T extends Topic>(topic: T, listener: (payload: EventPayload<T>) => void): () => void;
}

export function createApi(raw: RawTransport): Api {
  const listeners = new Map<Topic, Set<(payload: unknown) => void>>();
  let unsubscribe: (() => void) | undefined;

  const ensureSubscribed = (): void => {
    if (unsubscribe) return;
    unsubscribe = raw.subscribe((topic, payload) => {
      if (!isTopic(topic)) return;
      const parsed = events[topic].safeParse(payload);
      if (!parsed.success) {
        console.warn(`Dropped an invalid ${topic} event`, parsed.error.issues);
        return;
      }
      for (const l of listeners.get(topic) ?? []) l(parsed.data);
    });
  };

  const invoke = async <M extends MethodName>(method: M, req: Req<M>): Promise<Result<Res<M>>> => {
    let raw_: unknown;
    try {
      raw_ = await raw.invoke(method, req);
    } catch (e) {
      return { ok: false, error: { code: 'NETWORK', message: `Could not reach the engine: ${e instanceof Error ? e.message : String(e)}` } };
    }
    const parsed = resultSchema(methods[method].response).safeParse(raw_);
    if (!parsed.success) {
      return { ok: false, error: { code: 'INTERNAL', message: `The engine's answer to ${method} did not match the contract.` } };
    }
    return parsed.data as Result<Res<M>>;
  };

  return {
    invoke,
    async call(method, req) {
      const result = await invoke(method, req);
      if (!result.ok) throw new ApiCallError(result.error);
      return result.value;
    },
    on(topic, listener) {
      ensureSubscribed();
      const set = listeners.get(topic) ?? new Set();
      listeners.set(topic, set);
      const l = listener as (payload: unknown) => void;
      set.add(l);
      return () => set.delete(l);
    },
  };
}
