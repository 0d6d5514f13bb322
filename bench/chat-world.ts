// The simulated cluster with the guide's stack and two echoing replicas (e2e/support/playground-world.ts)
// for the chat benchmarks: the Playground fixture's install durations, with replicas that answer like a
// small model on a fast CPU — 100 ms to the first token — and then stream 1,000 tokens/s (1 ms per
// token), faster than any of them, to load the app's path. Echo mode makes the reply's length the prompt's.
import fs from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { startPlaygroundWorld, type PlaygroundWorld } from '../e2e/support/playground-world.js';
import { ROOT } from './sim-world.js';

/** Milliseconds at the fixture's time scale (0.01): the scenario gives latencies before scaling. */
export const FIRST_TOKEN_MS = 100;
export const TOKEN_MS = 1;

export async function startChatWorld(): Promise<PlaygroundWorld> {
  const doc = parse(fs.readFileSync(path.join(ROOT, 'e2e', 'fixtures', 'playground-scenario.yaml'), 'utf8')) as { timeScale: number } & Record<string, unknown>;
  const replica = { mode: 'echo', timeToFirstTokenMs: FIRST_TOKEN_MS / doc.timeScale, interTokenLatencyMs: TOKEN_MS / doc.timeScale, maxTokensDefault: 1024 };
  return startPlaygroundWorld(stringify({ ...doc, name: 'bench-chat', replica }));
}

/** `n` distinct words: the echoed reply is exactly `n` tokens. */
export const words = (n: number, tag = 'w'): string => Array.from({ length: n }, (_, i) => `${tag}${i + 1}`).join(' ');
