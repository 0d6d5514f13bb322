// The engine context (docs/architecture.md §2): what `createEngine` builds once and every handler module
// and service shares — paths, settings, the tool environment, tasks, events, secrets and the redactor.
// Handler modules import their types from here, never from api.ts, so the composition root sits on top
// of the graph instead of in a cycle with what it composes.
import type { HostReport } from '../../shared/api/host.js';
import type { EventPayload, Topic } from '../../shared/contract.js';
import { EventBus } from './events.js';
import { recordedPlatform } from './host/recorded.js';
import { createHostService, type HostServiceOptions } from './host/service.js';
import { appPaths, type AppPaths } from './paths.js';
import { LogBook } from './process/log-sink.js';
import { toolEnv } from './process/path-env.js';
import { Redactor } from './process/redact.js';
import { redactingSecretStore, type RedactingSecretStore } from './secrets/redacting-store.js';
import { FileSecretStore, type SecretStore } from './secrets/secret-store.js';
import { SettingsService } from './settings/service.js';
import { TaskRegistry } from './task-registry.js';

export type TransportKind = 'electron' | 'web' | 'cli';

/**
 * Asks the person where to save a file (the desktop app's native save dialog); undefined when they dismiss
 * it. Only a transport with a window can ask, so the others pass none and the engine picks the place.
 */
export type SaveFileChooser = (suggestedName: string) => Promise<string | undefined>;

export type Emit = <T extends Topic>(topic: T, payload: EventPayload<T>) => void;

/** Host detection as the engine uses it: the real machine, or recorded facts (LLMD_HOST_FACTS). */
export interface HostProvider {
  check(opts?: { refresh?: boolean }): Promise<HostReport>;
  /** The recorded facts' file when they stand in for detection (a rehearsal's machine of a chosen size). */
  readonly recordedFrom?: string;
}

export interface EngineOptions {
  dataDir: string;
  transport: TransportKind;
  /** Rehearsal mode (LLMD_REHEARSAL=1): the simulated world stands in for the real tools. */
  rehearsal: boolean;
  env?: NodeJS.ProcessEnv;
  /** Test seam: a fake machine for host detection. */
  host?: Partial<Pick<HostServiceOptions, 'source' | 'run' | 'settings'>>;
  /** A whole host provider instead of detection (the CLI's recorded facts); wins over `host`. */
  hostProvider?: (ctx: Pick<EngineContext, 'settings'>) => HostProvider;
  /** The OS and architecture the plan is made for (recorded facts stand for the whole host). */
  platform?: string;
  arch?: string;
  onInternalError?: (method: string, e: unknown) => void;
  /** Where the HF token lives: the desktop app passes its safeStorage store; absent → the 0600 file store. */
  secrets?: SecretStore;
  /** The desktop app's save dialog (electron/main); absent in the browser host and the CLI. */
  chooseSaveFile?: SaveFileChooser;
}

/** What every handler module and service gets. */
export interface EngineContext {
  dataDir: string;
  paths: AppPaths;
  /** The environment the engine was started with. */
  env: NodeJS.ProcessEnv;
  /** The environment tools run in: `env` with the app's bin dir (and macOS's usual folders) on PATH. */
  toolEnv(): NodeJS.ProcessEnv;
  platform: string;
  arch: string;
  transport: TransportKind;
  rehearsal: boolean;
  settings: SettingsService;
  events: EventBus;
  tasks: TaskRegistry;
  host: HostProvider;
  /** The secret store; every value it reads or stores is marked secret in `redactor` first (redacting-store.ts). */
  secrets: RedactingSecretStore;
  /** Every value marked secret (the HF token) is replaced with *** in logs, events and files. */
  redactor: Redactor;
  /** Asks where to save a file, where the transport can (see SaveFileChooser). */
  chooseSaveFile?: SaveFileChooser;
  /** Step logs: a file per step, a replay buffer, batched `step.log` events — all redacted. */
  logs: LogBook;
  /** Disposers run (in reverse order) when the engine shuts down. */
  onDispose(fn: () => void | Promise<void>): void;
}

export const isRehearsal = (env: NodeJS.ProcessEnv): boolean => env.LLMD_REHEARSAL === '1' || env.LLMD_REHEARSAL === 'true';

export function createEngineContext(opts: EngineOptions): { ctx: EngineContext; dispose(): Promise<void> } {
  const env = opts.env ?? process.env;
  const paths = appPaths(opts.dataDir);
  // Recorded facts (LLMD_HOST_FACTS) stand for the whole host when detection would use them: the host
  // service reads them instead of probing, and the plan is made for their OS and architecture.
  const recordedFile = !opts.hostProvider && !opts.host?.source && !opts.host?.run ? env.LLMD_HOST_FACTS : undefined;
  const recorded = recordedFile ? recordedPlatform(recordedFile) : undefined;
  const platform = opts.platform ?? recorded?.platform ?? process.platform;
  const disposers: Array<() => void | Promise<void>> = [];
  const settings = new SettingsService(paths.settingsFile);
  const events = new EventBus();
  const redactor = new Redactor();
  // Every task's lifecycle goes out here, its message redacted in this one place (a failure can quote a command line).
  const tasks = new TaskRegistry((e) => events.emit('task.progress', e.message ? { ...e, message: redactor.redact(e.message) } : e));
  const secrets = redactingSecretStore(opts.secrets ?? new FileSecretStore(opts.dataDir), redactor);
  // Seeded once at start, so whatever the engine prints from its first line on knows the stored token.
  // Work that may print it (runs, the doctor, pod logs) awaits secrets.learn() again to see a token another
  // process stored since; an unreadable store is reported by whoever reads it next, not here.
  secrets.learn().catch(() => undefined);
  const ctx: EngineContext = {
    dataDir: opts.dataDir,
    paths,
    env,
    toolEnv: () => toolEnv(env, paths.binDir, platform),
    platform,
    arch: opts.arch ?? recorded?.arch ?? process.arch,
    transport: opts.transport,
    rehearsal: opts.rehearsal,
    settings,
    events,
    tasks,
    host: opts.hostProvider ? opts.hostProvider({ settings }) : createHostService({ dataDir: opts.dataDir, env, ...opts.host }),
    secrets,
    redactor,
    ...(opts.chooseSaveFile ? { chooseSaveFile: opts.chooseSaveFile } : {}),
    logs: new LogBook({ logsDir: paths.logsDir, redactor, emit: (e) => events.emit('step.log', e) }),
    onDispose: (fn) => disposers.push(fn),
  };
  let disposed = false;
  return {
    ctx,
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
