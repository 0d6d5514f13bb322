// The object the preload exposes, built over two primitives so it can be tested without Electron.
// Method names outside the contract are rejected here already; topics outside it are dropped.
// Imports from the contract are names only: the preload bundle swaps the contract for a generated
// names-only module (scripts/build-preload.mjs), so no schema library ends up in the preload.
import { isMethodName, isTopic, type RawTransport } from '../../shared/contract.js';
import type { Err } from '../../shared/result.js';

export interface IpcPrimitives {
  invoke(method: string, payload: unknown): Promise<unknown>;
  /** Adds a listener for engine events; returns its removal. */
  on(listener: (topic: unknown, payload: unknown) => void): () => void;
}

export function createPreloadApi(ipc: IpcPrimitives): RawTransport {
  return Object.freeze({
    invoke(method: string, payload: unknown): Promise<unknown> {
      if (!isMethodName(method)) {
        const refused: Err = { ok: false, error: { code: 'UNKNOWN_METHOD', message: `Unknown method ${JSON.stringify(typeof method === 'string' ? method : typeof method).slice(0, 80)}.` } };
        return Promise.resolve(refused);
      }
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
