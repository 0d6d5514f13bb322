// The engine behind both transports (DESIGN.md §2): one dispatcher implementing every method of the
// shared contract, composed from handler groups, plus the event bus the transports forward to the UI.
// To add a group: write `createXHandlers(ctx): Pick<Handlers, 'x.a' | 'x.b'>` and spread it below.
import pkg from '../../package.json' with { type: 'json' };
import { ApiException } from '../../shared/result.js';
import { createDispatcher, type Dispatcher, type Handlers } from './dispatch.js';
import { EventBus } from './events.js';
import { createEngineHandlers } from './engine-handlers.js';
import { createClusterHandlers } from './cluster-handlers.js';
import { createPlaygroundHandlers } from './playground-handlers.js';
import { createUiHandlers } from './ui-handlers.js';
import { createStackHandlers } from './stack-handlers.js';
import { createHostService, type HostService, type HostServiceOptions } from './host/service.js';
import type { SecretStore } from './secrets/secret-store.js';

export type TransportKind = 'electron' | 'web';

export interface EngineOptions {
  dataDir: string;
  transport: TransportKind;
  /** Rehearsal mode (LLMD_REHEARSAL=1): the simulated world stands in for the real tools. */
  rehearsal: boolean;
  env?: NodeJS.ProcessEnv;
  /** Test seam: a fake machine for host detection. */
  host?: Partial<Pick<HostServiceOptions, 'source' | 'run' | 'settings'>>;
  onInternalError?: (method: string, e: unknown) => void;
  /** Where the HF token lives: the desktop app passes its safeStorage store; absent → the 0600 file store. */
  secrets?: SecretStore;
}

/** Long operations register their AbortController here so `task.cancel` can stop them. */
export class TaskRegistry {
  private readonly tasks = new Map<string, AbortController>();
  private next = 0;

  /** Starts tracking a task; returns its id and the signal to honour. Call `done(id)` when it ends. */
  start(prefix = 'task'): { taskId: string; signal: AbortSignal } {
    const taskId = `${prefix}-${Date.now().toString(36)}-${(this.next++).toString(36)}`;
    const controller = new AbortController();
    this.tasks.set(taskId, controller);
    return { taskId, signal: controller.signal };
  }

  done(taskId: string): void {
    this.tasks.delete(taskId);
  }

  cancel(taskId: string): boolean {
    const controller = this.tasks.get(taskId);
    if (!controller) return false;
    controller.abort(new ApiException('CANCELLED', 'Cancelled by the user.'));
    this.tasks.delete(taskId);
    return true;
  }

  cancelAll(): void {
    for (const id of [...this.tasks.keys()]) this.cancel(id);
  }
}

/** What every handler group gets. */
export interface EngineContext {
  dataDir: string;
  env: NodeJS.ProcessEnv;
  transport: TransportKind;
  rehearsal: boolean;
  events: EventBus;
  tasks: TaskRegistry;
  host: HostService;
  /** Disposers run (in reverse order) when the engine shuts down. */
  onDispose(fn: () => void | Promise<void>): void;
}

export interface Engine {
  dispatcher: Dispatcher;
  events: EventBus;
  dispose(): Promise<void>;
}

export const isRehearsal = (env: NodeJS.ProcessEnv): boolean => env.LLMD_REHEARSAL === '1' || env.LLMD_REHEARSAL === 'true';

export function createAppHandlers(ctx: EngineContext): Pick<Handlers, 'app.info'> {
  return {
    'app.info': () => ({
      name: pkg.productName,
      version: pkg.version,
      transport: ctx.transport,
      rehearsal: ctx.rehearsal,
      dataDir: ctx.dataDir,
      platform: process.platform,
      arch: process.arch,
    }),
  };
}

export function createHostHandlers(ctx: EngineContext): Pick<Handlers, 'host.check'> {
  return { 'host.check': (req) => ctx.host.check({ refresh: req.refresh === true }) };
}

export function createTaskHandlers(ctx: EngineContext): Pick<Handlers, 'task.cancel'> {
  return {
    'task.cancel': ({ taskId }) => {
      if (!ctx.tasks.cancel(taskId)) throw new ApiException('NOT_FOUND', `No running task ${taskId}.`);
      return { cancelled: true };
    },
  };
}

export function createEngine(opts: EngineOptions): Engine {
  const env = opts.env ?? process.env;
  const events = new EventBus();
  const tasks = new TaskRegistry();
  const disposers: Array<() => void | Promise<void>> = [];
  const ctx: EngineContext = {
    dataDir: opts.dataDir,
    env,
    transport: opts.transport,
    rehearsal: opts.rehearsal,
    events,
    tasks,
    host: createHostService({ dataDir: opts.dataDir, env, ...opts.host }),
    onDispose: (fn) => disposers.push(fn),
  };
  const handlers: Handlers = {
    ...createAppHandlers(ctx),
    ...createHostHandlers(ctx),
    ...createTaskHandlers(ctx),
    ...createEngineHandlers(opts.secrets ? { ...ctx, secrets: opts.secrets } : ctx),
    ...createClusterHandlers(ctx),
    ...createPlaygroundHandlers(ctx),
    ...createUiHandlers(ctx),
    ...createStackHandlers(ctx),
  };
  const dispatcher = createDispatcher(handlers, opts.onInternalError ? { onInternalError: opts.onInternalError } : {});
  let disposed = false;
  return {
    dispatcher,
    events,
    async dispose() {
      if (disposed) return;
      disposed = true;
      tasks.cancelAll();
      for (const fn of disposers.reverse()) {
        try {
          await fn();
        } catch {
          // Shutting down: one failing disposer must not keep the others from running.
        }
      }
    },
  };
}
