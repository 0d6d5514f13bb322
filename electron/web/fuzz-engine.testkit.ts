// The engine the dispatch fuzzers run against: a fake machine, no tools on PATH and no kubeconfig, so
// whatever a payload reaches answers from its own folder alone; INTERNAL errors are collected.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createEngine, type Engine } from '../engine/api.js';
import { fakeMachine, fakeRunner, fakeSource } from '../engine/host/fake-machine.js';
import type { Step } from '../engine/plan/step.js';

/** `settings`: what settings.json holds when the engine starts (given the fuzz's folder), e.g. a mirror that is an empty folder. */
export function fuzzEngine(prefix: string, opts: { steps?: Step[]; settings?: (dir: string) => Record<string, unknown> } = {}): { dir: string; engine: Engine; internal: string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  if (opts.settings) {
    fs.mkdirSync(path.join(dir, 'home'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'home', 'settings.json'), JSON.stringify(opts.settings(dir)));
  }
  const machine = fakeMachine();
  const empty = path.join(dir, 'bin');
  fs.mkdirSync(empty);
  const internal: string[] = [];
  const engine = createEngine({
    dataDir: path.join(dir, 'home'), transport: 'web', rehearsal: false,
    env: { PATH: empty, HOME: dir, KUBECONFIG: path.join(dir, 'no-kubeconfig') },
    host: { source: fakeSource(machine), run: fakeRunner(machine) },
    ...(opts.steps ? { steps: opts.steps } : {}),
    onInternalError: (method, e) => internal.push(`${method}: ${String(e)}`),
  });
  return { dir, engine, internal };
}
