// The dispatch fuzz with payloads the schemas accept (issue #14), for every method of the contract — enumerated from
// it, never listed by hand — through both transports' real entry code: the desktop app's IPC handler
// (electron/main/ipc-dispatch.ts, the payload structured-cloned as Electron's IPC does) and the web host's frame
// answer (answer-frame.ts, the payload as JSON text). The acting methods act for real over the fuzz engine: installs
// download from an empty mirror, forwards start their helper process against no cluster, chats and experiments ask a
// gateway that is not there, bundles are written; runs get a plan of two cheap steps (dispatch-fuzz-runs.test.ts has
// their concurrency). Every answer is a value or a typed error, never INTERNAL; the engine keeps serving; and when the
// clients are gone nothing is left running: no task, no child process, no forwarder, no timer.
import { createHook } from 'node:async_hooks';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methods, methodNames, type MethodName } from '../../shared/contract.js';
import type { Result } from '../../shared/result.js';
import type { Engine } from '../engine/api.js';
import type { Step } from '../engine/plan/step.js';
import { pidAlive } from '../engine/process/process-identity.js';
import { ipcInvokeHandler } from '../main/ipc-dispatch.js';
import { APP_ENTRY_URL } from '../main/security.js';
import { answerFrame } from './answer-frame.js';
import { clientStreams, type ClientStreams } from './client-streams.js';
import { fuzzEngine } from './fuzz-engine.testkit.js';
import { validPayloads, type ValidPayloads } from './valid-payloads.testkit.js';

let dir: string;
let engine: Engine;
let internal: string[] = [];
let payloads: ValidPayloads;
let tab: ClientStreams;

const cheap = (id: string, needs: string[]): Step => ({
  id, title: id, needs, describe: () => ({ commands: [] }), detect: async () => ({ state: 'todo' }), run: async () => {}, undo: async () => {},
});

/**
 * The engine's timers that are still pending, by async id: every Timeout created from engine code (its creation stack
 * names electron/engine), forgotten when it fires or is cleared. Only those that hold the process up count as left
 * running (`hasRef`); vitest's and this file's own timers are not the engine's.
 */
const engineTimers = new Map<number, { hasRef(): boolean }>();
const ENGINE_CODE = `${path.sep}electron${path.sep}engine${path.sep}`;
const timerHook = createHook({
  init(id, type, _trigger, resource) {
    if (type !== 'Timeout') return;
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 50;
    const stack = new Error().stack ?? '';
    Error.stackTraceLimit = limit;
    if (stack.includes(ENGINE_CODE)) engineTimers.set(id, resource as { hasRef(): boolean });
  },
  destroy(id) {
    engineTimers.delete(id);
  },
});

beforeAll(() => {
  timerHook.enable();
  ({ dir, engine, internal } = fuzzEngine('llmd-fuzz-valid-', {
    steps: [cheap('a', []), cheap('b', ['a'])],
    settings: (d) => {
      fs.mkdirSync(path.join(d, 'empty-mirror'));
      return { mirror: pathToFileURL(path.join(d, 'empty-mirror')).href };
    },
  }));
  payloads = validPayloads({ dir, mirror: pathToFileURL(path.join(dir, 'empty-mirror')).href });
  tab = clientStreams(engine.dispatcher);
});
afterAll(async () => {
  timerHook.disable();
  await engine.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

const typed = (r: Result<unknown>): boolean => r.ok || (r.error.code !== 'INTERNAL' && typeof r.error.message === 'string' && r.error.message.length > 0);

const ipc = ipcInvokeHandler(() => engine.dispatcher);
let frameId = 0;
const transports = {
  // Electron's IPC structured-clones what the renderer sends.
  ipc: (method: MethodName, payload: unknown) => ipc({ frameUrl: APP_ENTRY_URL, fromMainWindow: true }, method, structuredClone(payload)),
  web: async (method: MethodName, payload: unknown) => (await answerFrame(JSON.stringify({ id: frameId++, method, payload }), engine.dispatcher, tab)).result,
};
type Transport = keyof typeof transports;

/** Every task a call started, to prove at the end that each one ended. */
const started = new Set<string>();
async function call(via: Transport, method: MethodName, payload: unknown): Promise<void> {
  const r = await transports[via](method, payload);
  expect(typed(r), `${via} ${method} ${JSON.stringify(payload)} → ${JSON.stringify(r)}`).toBe(true);
  const id = r.ok ? (r.value as { taskId?: unknown } | null)?.taskId : undefined;
  if (typeof id === 'string') started.add(id);
}

/** This process's children now (Linux: each thread's list in /proc). */
function children(): number[] {
  return fs.readdirSync('/proc/self/task').flatMap((t) => {
    try {
      return fs.readFileSync(`/proc/self/task/${t}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      return [];
    }
  });
}

async function until(what: string, done: () => boolean): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (done()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`never: ${what}`);
}

const names = methodNames;
const anyCall = fc.constantFrom(...names).chain((method) =>
  fc.record({ via: fc.constantFrom<Transport>('ipc', 'web'), method: fc.constant(method), payload: payloads[method] as fc.Arbitrary<unknown> }));

describe('fuzz of every method with valid payloads through both transports', () => {
  let childrenBefore: Set<number>;

  it('every method of the contract has a valid payload, and every sample is one its schema accepts', () => {
    childrenBefore = new Set(children());
    expect(Object.keys(payloads).sort()).toEqual(Object.keys(methods).sort());
    for (const m of names) {
      for (const p of fc.sample(payloads[m] as fc.Arbitrary<unknown>, { numRuns: 100 })) {
        expect(methods[m].request.safeParse(p).success, `${m} ${JSON.stringify(p)}`).toBe(true);
      }
    }
  });

  it('each method through the IPC handler and the web host frame: a value or a typed error, never INTERNAL', async () => {
    for (const m of names) {
      for (const p of fc.sample(payloads[m] as fc.Arbitrary<unknown>, { numRuns: 2, seed: 14 })) {
        await call('ipc', m, p);
        await call('web', m, p);
      }
    }
    expect(internal).toEqual([]);
  }, 240_000);

  it('random concurrent batches of valid calls over both transports: typed answers, never INTERNAL', async () => {
    await fc.assert(fc.asyncProperty(fc.array(anyCall, { minLength: 1, maxLength: 4 }), async (batch) => {
      await Promise.all(batch.map(({ via, method, payload }) => call(via, method, payload)));
    }), { numRuns: 60 });
    expect(internal).toEqual([]);
  }, 240_000);

  it('the engine keeps serving, and once its clients are gone nothing is left running', async () => {
    expect(await transports.ipc('app.info', {})).toMatchObject({ ok: true });
    expect(await transports.web('settings.get', {})).toMatchObject({ ok: true });
    // What a client leaving does: the window stops the metrics watch, the tab's pod log streams are released.
    expect(await transports.ipc('metrics.watch', { active: false })).toMatchObject({ ok: true });
    await tab.release();
    expect(started.size).toBeGreaterThan(0);
    await until('every started task ended', () => [...started].every((id) => engine.context.tasks.kindOf(id) === undefined));
    await until('no child process of this fuzz is left', () => children().every((pid) => childrenBefore.has(pid)));
    const records = path.join(engine.context.paths.runDir, 'forwards', 'procs');
    const forwarders = fs.existsSync(records) ? fs.readdirSync(records).map((f) => Number.parseInt(f, 10)) : [];
    expect(forwarders.filter((pid) => pidAlive(pid))).toEqual([]);
    await until('no engine timer is left holding the process', () => [...engineTimers.values()].every((t) => !t.hasRef()));
    expect(internal).toEqual([]);
  }, 60_000);
});
