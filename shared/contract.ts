// The one API contract (docs/architecture.md §2): a typed map of methods (request → response) and one of event
// topics (engine → UI), each with a zod schema. Both transports, the engine and the UI import only this.
// Each concern keeps its schemas in shared/api/<concern>.ts and is merged here.
import { z } from 'zod';
import { appEvents, appMethods } from './api/app.js';
import { hostEvents, hostMethods } from './api/host.js';
import { taskEvents, taskMethods } from './api/tasks.js';
import { engineEvents, engineMethods } from './api/engine.js';
import { clusterEvents, clusterMethods } from './api/cluster.js';
import { chatEvents, chatMethods } from './api/chat.js';
import { stackEvents, stackMethods } from './api/stack.js';
import { imagesMethods } from './api/images.js';
import { doctorMethods } from './api/doctor.js';
import { bundleMethods } from './api/bundle.js';

export const methods = {
  ...appMethods,
  ...hostMethods,
  ...taskMethods,
  ...engineMethods,
  ...clusterMethods,
  ...chatMethods,
  ...stackMethods,
  ...imagesMethods,
  ...doctorMethods,
  ...bundleMethods,
} as const;

export const events = {
  ...appEvents,
  ...hostEvents,
  ...taskEvents,
  ...engineEvents,
  ...clusterEvents,
  ...chatEvents,
  ...stackEvents,
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type Req<M extends MethodName> = z.input<Methods[M]['request']>;
export type Res<M extends MethodName> = z.output<Methods[M]['response']>;

export type Events = typeof events;
export type Topic = keyof Events;
export type EventPayload<T extends Topic> = z.output<Events[T]>;

export const methodNames = Object.keys(methods) as MethodName[];
export const topicNames = Object.keys(events) as Topic[];

export const isMethodName = (name: unknown): name is MethodName =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(methods, name);
export const isTopic = (name: unknown): name is Topic =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(events, name);

/**
 * The raw transport both the preload object and the WebSocket client implement. It moves envelopes
 * and events; typing and validation sit above it (renderer/src/api/client.ts, electron/engine/dispatch.ts).
 */
export interface RawTransport {
  invoke(method: string, payload: unknown): Promise<unknown>;
  subscribe(listener: (topic: string, payload: unknown) => void): () => void;
}

/** Name of the object the preload exposes on `window` (never raw ipcRenderer). */
export const PRELOAD_GLOBAL = 'llmdApi';
/** IPC channel names used by the preload and main. */
export const IPC_INVOKE_CHANNEL = 'llmd:invoke';
export const IPC_EVENT_CHANNEL = 'llmd:event';
