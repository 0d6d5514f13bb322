// Container logs as the container runtime writes them: one `<RFC 3339 nano timestamp> <text>` line each,
// in the file the API server serves for `kubectl logs` (podLogFile).
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { podLogFile } from '../apiserver/types.js';

export const rfc3339Nano = (d = new Date()): string => d.toISOString().replace(/\.(\d{3})Z$/, (_m, ms: string) => `.${ms}000000Z`);

export function appendLog(state: string, profile: string, namespace: string, pod: string, container: string, lines: string | string[]): void {
  const file = podLogFile(state, profile, namespace, pod, container);
  mkdirSync(dirname(file), { recursive: true });
  const text = (Array.isArray(lines) ? lines : [lines]).map((l) => `${rfc3339Nano()} ${l}\n`).join('');
  appendFileSync(file, text);
}
