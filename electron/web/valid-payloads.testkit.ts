// A payload its request schema accepts, for every method of the contract: the typed map below has to name each
// method (tsc refuses a contract method without one), and dispatch-fuzz-valid.test.ts checks every sample against
// the schema, so "valid" is proven rather than assumed. What these payloads may act on is kept to the fuzz's folder:
// settings never change the download mirror (the fuzz engine's is an empty file:// folder), files go under `dir`.
import path from 'node:path';
import fc from 'fast-check';
import type { MethodName, Req } from '../../shared/contract.js';
import { defaultSettings, type Settings } from '../../shared/api/settings.js';

export type ValidPayloads = { [M in MethodName]: fc.Arbitrary<Req<M>> };

const taskId = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{7,20}$/);
const dnsLabel = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/);
const forwardName = fc.constantFrom('gateway' as const, 'prometheus' as const, 'grafana' as const);
const stepId = fc.constantFrom('host-check', 'prereqs', 'minikube-start', 'stack', 'a', 'not-a-step');
/** Fields a person changes most, within their schema's bounds; the mirror is never among them. */
const settingsFields = fc.record({
  replicas: fc.integer({ min: 1, max: 8 }), monitoring: fc.boolean(), gpu: fc.boolean(), cpus: fc.integer({ min: 2, max: 16 }),
  memoryMiB: fc.integer({ min: 4096, max: 65_536 }), modelCache: fc.boolean(), imageCache: fc.boolean(),
}, { requiredKeys: [] });
/**
 * Per-call overrides: typed fields within Settings' bounds (SettingsOverrides refuses others at the boundary,
 * which the malformed-payload fuzz covers); a combination the saved settings cannot take is the engine's to refuse.
 */
const overrides = fc.option(fc.oneof(settingsFields, fc.record({ replicas: fc.integer({ min: 1, max: 8 }), cpus: fc.integer({ min: 2, max: 3 }) })), { nil: undefined });
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
/** Drops the keys whose value is undefined: an absent optional field, as a client sends it. */
const compact = <T extends object>(a: fc.Arbitrary<T>): fc.Arbitrary<T> =>
  a.map((o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T);

export function validPayloads(opts: { dir: string; mirror: string }): ValidPayloads {
  const settings: fc.Arbitrary<Settings> = settingsFields.map((f) => ({ ...defaultSettings(), ...f, mirror: opts.mirror }));
  const message = fc.record({ role: fc.constantFrom('system' as const, 'user' as const, 'assistant' as const), content: fc.string({ maxLength: 40 }) });
  return {
    'app.info': fc.constant({}),
    'app.paths': fc.constant({}),
    'host.check': compact(fc.record({ refresh: opt(fc.boolean()) })),
    'host.fit': fc.record({ settings }),
    'task.cancel': fc.record({ taskId: fc.oneof(taskId, fc.constant('plan-unknown')) }),
    'prereqs.check': compact(fc.record({ settings: overrides })),
    'prereqs.install': compact(fc.record({ tool: opt(fc.constantFrom('docker' as const, 'podman' as const, 'minikube' as const, 'helm' as const, 'helmfile' as const, 'kubectl' as const)), taskId: opt(taskId) })),
    'plan.describe': compact(fc.record({ settings: overrides })),
    'plan.status': compact(fc.record({ settings: overrides })),
    'plan.run': compact(fc.record({ settings: overrides, takeOver: opt(fc.boolean()), taskId: opt(taskId) })),
    'plan.resume': compact(fc.record({ takeOver: opt(fc.boolean()), taskId: opt(taskId) })),
    'plan.teardown': compact(fc.record({ stopCluster: opt(fc.boolean()), deleteCluster: opt(fc.boolean()), stopMachine: opt(fc.boolean()), settings: overrides, takeOver: opt(fc.boolean()), taskId: opt(taskId) })),
    'journal.get': fc.constant({}),
    'step.logs': fc.record({ stepId }),
    'step.logFile': fc.record({ stepId }),
    'cluster.snapshot': fc.constant({}),
    'pod.logs.start': compact(fc.record({ namespace: dnsLabel, pod: dnsLabel, container: dnsLabel, tailLines: opt(fc.integer({ min: 0, max: 10_000 })), follow: opt(fc.boolean()), streamId: opt(taskId) })),
    'pod.logs.stop': fc.record({ streamId: fc.oneof(taskId, fc.string({ maxLength: 20 })) }),
    'access.status': compact(fc.record({ settings: overrides })),
    'access.open': compact(fc.record({ name: forwardName, settings: overrides })),
    'access.close': fc.record({ name: forwardName }),
    'chat.models': fc.constant({}),
    'chat.send': compact(fc.record({ model: fc.string({ minLength: 1, maxLength: 20 }), messages: fc.array(message, { minLength: 1, maxLength: 3 }), params: opt(fc.record({ temperature: fc.double({ min: 0, max: 2, noNaN: true }), maxTokens: fc.integer({ min: 1, max: 64 }) }, { requiredKeys: [] })), taskId: opt(taskId) })),
    'experiment.run': compact(fc.record({ requests: fc.integer({ min: 2, max: 4 }), concurrency: fc.integer({ min: 1, max: 2 }), maxTokens: opt(fc.integer({ min: 1, max: 8 })), model: opt(fc.string({ maxLength: 20 })), taskId: opt(taskId) })),
    'metrics.watch': compact(fc.record({ active: fc.boolean(), intervalMs: opt(fc.integer({ min: 250, max: 60_000 })) })),
    'stack.releases': compact(fc.record({ gpu: opt(fc.boolean()) })),
    'images.check': compact(fc.record({ settings: overrides })),
    'doctor.run': compact(fc.record({ settings: overrides })),
    'doctor.fix': compact(fc.record({ fix: fc.stringMatching(/^[a-z0-9-]{1,12}:[a-z0-9-]{1,12}$/), settings: overrides, taskId: opt(taskId) })),
    'bundle.create': fc.oneof(
      compact(fc.record({ outFile: opt(fc.stringMatching(/^[a-z0-9-]{1,12}$/).map((n) => path.join(opts.dir, 'bundles', `${n}.tar.gz`))), settings: overrides })),
      compact(fc.record({ ask: fc.constant(true), settings: overrides })),
    ),
    'settings.get': fc.constant({}),
    'settings.validate': compact(fc.record({ settings: fc.oneof(settings, fc.anything({ maxDepth: 2 }).filter((v) => v !== undefined)), host: opt(fc.record({ os: fc.constantFrom('linux', 'darwin'), cpus: fc.nat(64), memoryBytes: fc.nat(), diskFreeBytes: fc.nat(), nvidiaGpu: fc.boolean() })) })),
    'settings.save': compact(fc.record({ settings, hfToken: opt(fc.oneof(fc.constant(null), fc.stringMatching(/^hf_[A-Za-z0-9]{8,20}$/))) })),
  };
}
