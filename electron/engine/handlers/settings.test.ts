import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine } from '../api.js';

const dirs: string[] = [];
const tmp = () => { const d = fs.mkdtempSync(path.join(os.tmpdir(), 'sh-')); dirs.push(d); return d; };
afterEach(() => { for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true }); });

describe('settings handlers through the dispatcher', () => {
  it('settings: defaults, clear validation messages, save without the token in settings.json', async () => {
    const dataDir = tmp();
    const engine = createEngine({ dataDir, transport: 'web', rehearsal: false, env: process.env });
    const got = await engine.dispatcher.call('settings.get', {});
    expect(got).toMatchObject({ ok: true, value: { hfTokenSet: false, settings: { profile: 'llm-d-cpu', replicas: 2 } } });

    const bad = await engine.dispatcher.call('settings.save', { settings: { namespace: 'Bad_Name' } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringMatching(/^Invalid settings: namespace: must be lower-case/) } });
    // The request's bad settings come back as the one "invalid settings" error, each field's issue in details.
    const two = await engine.dispatcher.call('settings.save', { settings: { namespace: 'Bad_Name', replicas: 0 } });
    expect(two.ok ? undefined : two.error.details).toEqual([{ path: 'namespace', message: expect.stringContaining('lower-case') }, { path: 'replicas', message: expect.any(String) }]);
    // A problem outside the settings is still the request's.
    const notSettings = await engine.dispatcher.call('settings.save', { settings: {}, hfToken: 42 } as never);
    expect(notSettings).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringMatching(/^Invalid request for settings.save: hfToken/) } });

    const v = await engine.dispatcher.call('settings.validate', { settings: { gpu: true }, host: { os: 'darwin', cpus: 16, memoryBytes: 64 * 2 ** 30, diskFreeBytes: 1e12, nvidiaGpu: false } });
    expect(v).toMatchObject({ ok: true, value: { valid: false, issues: [{ path: 'gpu' }] } });

    const saved = await engine.dispatcher.call('settings.save', { settings: { replicas: 1 }, hfToken: 'hf_abcdefghijkl' });
    expect(saved).toMatchObject({ ok: true, value: { hfTokenSet: true, settings: { replicas: 1 }, secrets: { backend: 'file' } } });
    expect(fs.readFileSync(path.join(dataDir, 'settings.json'), 'utf8')).not.toContain('hf_abcdefghijkl');
    expect(fs.statSync(path.join(dataDir, 'secrets.local.json')).mode & 0o777).toBe(0o600);
    expect(await engine.dispatcher.call('settings.save', { settings: { replicas: 1 }, hfToken: null })).toMatchObject({ ok: true, value: { hfTokenSet: false } });
    await engine.dispose();
  });

  it('per-call overrides are typed at the boundary: a bad or unknown field is refused by name, and the fields left out keep their saved values', async () => {
    const dataDir = tmp();
    const engine = createEngine({ dataDir, transport: 'web', rehearsal: true, env: { PATH: '/usr/bin' } });
    expect(await engine.dispatcher.call('settings.save', { settings: { replicas: 1, cpus: 6 } })).toMatchObject({ ok: true });
    const bad = await engine.dispatcher.call('plan.describe', { settings: { replicas: 0 } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringMatching(/^Invalid settings: replicas: must be at least 1/), details: [{ path: 'replicas' }] } });
    const unknown = await engine.dispatcher.call('plan.describe', { settings: { replica: 2 } } as never);
    expect(unknown).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringContaining('replica') } });
    const wrongType = await engine.dispatcher.call('plan.describe', { settings: { cpus: '4' } } as never);
    expect(wrongType).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', details: [{ path: 'cpus' }] } });
    // One field overridden: every other field is the saved one, not its default (Settings.partial() would reset them).
    const plan = await engine.dispatcher.call('plan.describe', { settings: { monitoring: false } });
    if (!plan.ok) throw new Error(plan.error.message);
    const commands = plan.value.steps.flatMap((st) => st.commands.map((c) => c.join(' ')));
    expect(commands.find((c) => c.startsWith('minikube start'))).toMatch(/--cpus[= ]6\b/);
    expect(plan.value.steps.map((st) => st.id)).not.toContain('monitoring');
    await engine.dispose();
  });

  it('settings.validate in a rehearsal: a host too small for the settings is a warning, not an issue (as Configure, the host check and cli check)', async () => {
    const small = { os: 'linux', cpus: 2, memoryBytes: 4 * 2 ** 30, diskFreeBytes: 1e12, nvidiaGpu: false };
    const rehearsal = createEngine({ dataDir: tmp(), transport: 'web', rehearsal: true, env: { PATH: '/usr/bin' } });
    const v = await rehearsal.dispatcher.call('settings.validate', { settings: { replicas: 2 }, host: small });
    expect(v).toMatchObject({ ok: true, value: { valid: true, issues: [], warnings: expect.arrayContaining([expect.objectContaining({ path: 'memoryMiB' })]) } });
    await rehearsal.dispose();
    const real = createEngine({ dataDir: tmp(), transport: 'web', rehearsal: false, env: { PATH: '/usr/bin' } });
    expect(await real.dispatcher.call('settings.validate', { settings: { replicas: 2 }, host: small })).toMatchObject({ ok: true, value: { valid: false, issues: expect.arrayContaining([expect.objectContaining({ path: 'memoryMiB' })]) } });
    await real.dispose();
  });
});
