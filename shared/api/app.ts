// App-level methods: what the UI needs before anything else (version, mode, data dir).
import { z } from 'zod';

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  /** 'electron' in the desktop shell, 'web' for the browser host, 'cli' for a terminal. */
  transport: z.enum(['electron', 'web', 'cli']),
  /** True when the simulated world stands in for the real tools (rehearsal mode / tests). */
  rehearsal: z.boolean(),
  dataDir: z.string(),
  platform: z.string(),
  arch: z.string(),
});
export type AppInfo = z.infer<typeof AppInfo>;

/** Where the app keeps what it writes, so the Manage page can point a person at the logs. */
export const AppPaths = z.object({
  dataDir: z.string(),
  logsDir: z.string(),
  binDir: z.string(),
  settingsFile: z.string(),
  journalFile: z.string(),
});
export type AppPaths = z.infer<typeof AppPaths>;

export const appMethods = {
  'app.info': { request: z.object({}).strict(), response: AppInfo },
  'app.paths': { request: z.object({}).strict(), response: AppPaths },
} as const;

export const appEvents = {} as const;
