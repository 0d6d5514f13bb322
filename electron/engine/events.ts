// A typed event bus for engine → UI topics. Transports subscribe once and forward every event.
import type { EventPayload, Topic } from '../../shared/contract.js';

export type AnyListener = (topic: Topic, payload: unknown) => void;

export class EventBus {
  private readonly listeners = new Set<AnyListener>();

  emit<T extends Topic>(topic: T, payload: EventPayload<T>): void {
    for (const listener of this.listeners) {
      try {
        listener(topic, payload);
      } catch {
        // A broken subscriber (e.g. a closed socket) must never break the engine.
      }
    }
  }

  subscribe(listener: AnyListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
