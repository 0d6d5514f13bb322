// The engine's composition root (docs/architecture.md §2): builds the context once, the services over
// it, and one handler module per shared/api/<concern>.ts, into the dispatcher every transport (the
// desktop app, the web host, the CLI) calls. Nothing below imports this file.
import { createDispatcher, type Dispatcher, type Handlers } from './dispatch.js';
import { createEngineContext, type EngineContext, type EngineOptions } from './context.js';
import type { EventBus } from './events.js';
import { createAppHandlers } from './handlers/app.js';
import { createBundleHandlers } from './handlers/bundle.js';
import { createChatHandlers } from './handlers/chat.js';
import type { ClusterLink } from './playground/cluster-link.js';
import { createClusterHandlers } from './handlers/cluster.js';
import { createDoctorHandlers } from './handlers/doctor.js';
import { createEngineHandlers } from './handlers/engine.js';
import { createHostHandlers } from './handlers/host.js';
import { createImagesHandlers } from './handlers/images.js';
import { createSettingsHandlers } from './handlers/settings.js';
import { createStackHandlers } from './handlers/stack.js';
import { createTaskHandlers } from './handlers/tasks.js';
import { createServices, type ServiceOptions, type Services } from './services.js';

export { isRehearsal, type EngineContext, type EngineOptions, type TransportKind } from './context.js';
export { TaskRegistry } from './task-registry.js';

export interface Engine {
  dispatcher: Dispatcher;
  events: EventBus;
  /** For an in-process transport (the CLI) that also reads what the contract does not carry (paths, records). */
  context: EngineContext;
  services: Services;
  dispose(): Promise<void>;
}

/** Test seams below the services. */
export interface EngineSeams {
  /** The Playground's way to the gateway and replicas, instead of the profile's port-forwards (a test's fake cluster). */
  clusterLink?: ClusterLink;
}

export function createEngine(opts: EngineOptions & ServiceOptions & EngineSeams): Engine {
  const { ctx, dispose } = createEngineContext(opts);
  const services = createServices(ctx, {
    ...(opts.steps ? { steps: opts.steps } : {}), ...(opts.concurrency !== undefined ? { concurrency: opts.concurrency } : {}),
  });
  const handlers: Handlers = {
    ...createAppHandlers(ctx),
    ...createHostHandlers(ctx),
    ...createTaskHandlers(ctx),
    ...createSettingsHandlers(ctx),
    ...createEngineHandlers(ctx, services),
    ...createImagesHandlers(ctx, services),
    ...createDoctorHandlers(ctx, services),
    ...createBundleHandlers(ctx, services),
    ...createClusterHandlers(ctx),
    ...createChatHandlers(ctx, opts.clusterLink),
    ...createStackHandlers(ctx),
  };
  const dispatcher = createDispatcher(handlers, opts.onInternalError ? { onInternalError: opts.onInternalError } : {});
  return { dispatcher, events: ctx.events, context: ctx, services, dispose };
}
