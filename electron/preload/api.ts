// The object the preload exposes, built over two primitives so it can be tested without Electron.
// Method names outside the contract are rejected here already; topics outside it are dropped.
import { isMethodName, isTopic, type RawTransport } from '../../shared/contract.js';
import { err } from '../../shared/result.js';

export interface IpcPrimitives {
  invoke(method: string, payload: unknown): Promise<unknown>;
  /** Adds a listener for engine events; returns its removal. */
  on(listener: (topic: unknown, payload: unknown) => void): () => void;
}

export function createPreloadApi(ipc: IpcPrimitives): RawTransport {
  return Object.freeze({
    invoke(method: string, payload: unknown): Promise<unknown> {
      if (!isMethodName(method)) return Promise.resolve(err('UNKNOWN_METHOD', `Unknown method ${JSON.stringify(String(method)).slice(0, 80)}.`));
      return ipc.invoke(method, payload);
    },
    subscribe(listener: (topic: string, payload: unknown) => void): () => void {
      if (typeof listener !== 'function') throw new TypeError('subscribe needs a function');
      return ipc.on((topic, payload) => {
        if (isTopic(topic)) listener(topic, payload);
      });
    },
  });
}
