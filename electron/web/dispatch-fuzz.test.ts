// Property-based fuzz of the API surface (issue #14): every method of the contract, with generated payloads, through
// both transports' entry code — the desktop app's IPC handler (electron/main/ipc-dispatch.ts, the payload
// structured-cloned as Electron's IPC does); the web host's frame answer (answer-frame.ts: parse, dispatch, stream
// bookkeeping) — answers with a typed error or a value, never INTERNAL (reserved for bugs), never a throw, and the
// engine keeps serving afterwards. Valid payloads for every method: dispatch-fuzz-valid.test.ts.
import fs from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methods } from '../../shared/contract.js';
import type { Result } from '../../shared/result.js';
import { answerFrame } from './answer-frame.js';
import { clientStreams } from './client-streams.js';
import { ipcInvokeHandler } from '../main/ipc-dispatch.js';
import { APP_ENTRY_URL } from '../main/security.js';
import type { Engine } from '../engine/api.js';
import { fuzzEngine } from './fuzz-engine.testkit.js';

const ALL = Object.keys(methods);
/** Methods that start work on the machine or the network (a run, a download, a forward, a file at a given path), or wait
 * on one (chat.models waits ~1 s for a gateway that is not there): fuzzed only with payloads no object schema accepts,
 * so the fuzz exercises their validation without installing anything and fits in CI time. The run-starting ones get
 * valid payloads in dispatch-fuzz-runs.test.ts, over an engine whose plan is two cheap steps. */
const ACTING = new Set(['prereqs.install', 'plan.run', 'plan.resume', 'plan.teardown', 'access.open', 'chat.send', 'experiment.run',
  'images.check', 'doctor.run', 'doctor.fix', 'bundle.create', 'metrics.watch', 'chat.models']);
const KEYS = ['name', 'namespace', 'pod', 'container', 'streamId', 'taskId', 'stepId', 'settings', 'replicas', 'model', 'id', 'follow', 'tailLines', 'profile', 'release'];

/**
 * No null (nor undefined) here: the dispatcher reads a missing payload as `{}` (`payload ?? {}`), which every acting method
 * with all-optional fields accepts — so a null made chat.models really wait on a gateway (1–4 s each under load, ~90% of
 * the fuzz's time, varying with the seed: the reported flake) and plan.run, prereqs.install and bundle.create really act
 * in the background while the fuzz went on. The null payload itself is the valid-payload fuzz's business.
 */
const notAnObject = fc.oneof(fc.integer(), fc.double(), fc.string(), fc.boolean(), fc.array(fc.anything(), { maxLength: 3 }));
const objectish = fc.oneof(
  fc.constant({}),
  fc.dictionary(fc.constantFrom(...KEYS), fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.anything({ maxDepth: 2 })), { maxKeys: 4 }),
  fc.anything({ maxDepth: 3 }),
);
const call = fc.oneof(
  { weight: 9, arbitrary: fc.constantFrom(...ALL).chain((method) => fc.record({ method: fc.constant<unknown>(method), payload: ACTING.has(method) ? notAnObject : objectish })) },
  { weight: 1, arbitrary: fc.record({ method: fc.oneof(fc.string(), fc.anything({ maxDepth: 1 })), payload: fc.anything({ maxDepth: 2 }) }) },
);

let dir: string;
let engine: Engine;
let internal: string[] = [];

beforeAll(() => {
  ({ dir, engine, internal } = fuzzEngine('llmd-fuzz-'));
});
afterAll(async () => {
  await engine.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

const ipc = ipcInvokeHandler(() => engine.dispatcher);
/** One browser tab's stream bookkeeping, as the web host keeps per socket (its dispatcher looked up per call: the engine is made in beforeAll). */
const tab = clientStreams({ dispatch: (method, payload) => engine.dispatcher.dispatch(method, payload) });

const typed = (r: Result<unknown>): boolean => r.ok || (r.error.code !== 'INTERNAL' && typeof r.error.message === 'string' && r.error.message.length > 0);

describe('fuzz of every method through both transports', () => {
  it('an acting method never gets a payload its schema accepts here (it would act, not be validated)', () => {
    fc.assert(fc.property(call, ({ method, payload }) => {
      if (typeof method === 'string' && ACTING.has(method)) {
        expect(methods[method as keyof typeof methods].request.safeParse(payload ?? {}).success, `${method} ${JSON.stringify(payload)}`).toBe(false);
      }
    }), { numRuns: 20_000 });
  });


  it('IPC: 5,000 generated calls answer a value or a typed error, never INTERNAL', async () => {
    await fc.assert(fc.asyncProperty(call, async ({ method, payload }) => {
      const r = await ipc({ frameUrl: APP_ENTRY_URL, fromMainWindow: true }, method, structuredClone(payload));
      // JSON, not String(): the generated method may be an object whose toString is not a function.
      expect(typed(r), `${JSON.stringify(method)} ${JSON.stringify(payload)} → ${JSON.stringify(r)}`).toBe(true);
    }), { numRuns: 5_000 });
    expect(internal).toEqual([]);
  }, 240_000);

  it('web: 5,000 generated frames (calls, broken JSON, wrong shapes) answer a typed reply, never INTERNAL', async () => {
    const frame = fc.oneof(
      { weight: 8, arbitrary: fc.tuple(fc.oneof(fc.integer(), fc.string(), fc.constant(null)), call).map(([id, c]) => JSON.stringify({ id, ...c }) ?? '') },
      { weight: 1, arbitrary: fc.string() },
      { weight: 1, arbitrary: fc.anything({ maxDepth: 2 }).map((v) => JSON.stringify(v) ?? 'undefined') },
    );
    await fc.assert(fc.asyncProperty(frame, async (raw) => {
      const r = (await answerFrame(raw, engine.dispatcher, tab)).result;
      expect(typed(r), `${raw} → ${JSON.stringify(r)}`).toBe(true);
    }), { numRuns: 5_000 });
    expect(internal).toEqual([]);
  }, 240_000);

  it('the engine keeps serving after the fuzz', async () => {
    expect(await engine.dispatcher.dispatch('app.info', {})).toMatchObject({ ok: true });
    expect(await engine.dispatcher.dispatch('settings.get', {})).toMatchObject({ ok: true });
  });
});
