// Test kit: the engine's context and services over a temp data dir with a given step list, a memory
// secret store and no host detection — what run, executor and step tests need instead of a whole engine.
import type { Topic } from '../../shared/contract.js';
import { createEngineContext, type EngineContext } from './context.js';
import type { Step } from './plan/step.js';
import { MemorySecretStore, type SecretStore } from './secrets/secret-store.js';
import { createServices, type Services } from './services.js';

export interface TestServicesOptions {
  home: string;
  steps: readonly Step[];
  env?: NodeJS.ProcessEnv;
  secrets?: SecretStore;
  platform?: string;
  onEvent?: (topic: Topic, payload: unknown) => void;
}

export function testServices(opts: TestServicesOptions): Services & { ctx: EngineContext; dispose(): Promise<void> } {
  const { ctx, dispose } = createEngineContext({
    dataDir: opts.home, transport: 'cli', rehearsal: false, env: opts.env ?? process.env, secrets: opts.secrets ?? new MemorySecretStore(),
    hostProvider: () => ({ check: () => Promise.reject(new Error('host detection is not used here')) }),
    ...(opts.platform ? { platform: opts.platform } : {}),
  });
  if (opts.onEvent) ctx.events.subscribe(opts.onEvent);
  return { ctx, ...createServices(ctx, { steps: opts.steps }), dispose };
}
