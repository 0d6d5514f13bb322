// The record a forwarder process keeps in the app data dir (run/forwards/<name>.json).
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { writeJsonAtomic } from '../plan/journal.js';

export const ForwardState = z.object({
  name: z.string(),
  pid: z.number().int().positive(),
  port: z.number().int().positive(),
  url: z.string(),
  context: z.string(),
  namespace: z.string(),
  service: z.string(),
  servicePort: z.number().int().positive(),
  startedAt: z.string(),
});
export type ForwardState = z.infer<typeof ForwardState>;

export const forwardsDir = (runDir: string): string => path.join(runDir, 'forwards');
export const stateFileFor = (runDir: string, name: string): string => path.join(forwardsDir(runDir), `${name}.json`);

/** Atomic write (a reader never sees half a file), 0600. */
export function writeForwardState(file: string, state: ForwardState): void {
  writeJsonAtomic(file, state);
}

export function readForwardState(file: string): ForwardState | undefined {
  try {
    const parsed = ForwardState.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
