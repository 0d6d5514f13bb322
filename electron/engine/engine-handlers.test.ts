import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine } from './api.js';

const dirs: string[] = [];
const tmp = () => { const d = fs.mkdtempSync(path.join(os.tmpdir(), 'eh-')); dirs.push(d); return d; };
afterEach(() => { for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true }); });

describe('engine handler group through the dispatcher', () => {
  it('settings: defaults, clear validation messages, save without the token in settings.json', async () => {
    const dataDir = tmp();
    const engine = createEngine({ dataDir, transport: 'web', rehearsal: false, env: process.env });
    const got = await engine.dispatcher.call('settings.get', {});
    expect(got).toMatchObject({ ok: true, value: { hfTokenSet: false, settings: { profile: 'llm-d-cpu', replicas: 2 } } });

    const bad = await engine.dispatcher.call('settings.save', { settings: { namespace: 'Bad_Name' } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringContaining('namespace: must be lower-case') } });

    const v = await engine.dispatcher.call('settings.validate', { settings: { gpu: true }, host: { os: 'darwin', cpus: 16, memoryBytes: 64 * 2 ** 30, diskFreeBytes: 1e12, nvidiaGpu: false } });
    expect(v).toMatchObject({ ok: true, value: { valid: false, issues: [{ path: 'gpu' }] } });

    const saved = await engine.dispatcher.call('settings.save', { settings: { replicas: 1 }, hfToken: 'hf_abcdefghijkl' });
    expect(saved).toMatchObject({ ok: true, value: { hfTokenSet: true, settings: { replicas: 1 }, secrets: { backend: 'file' } } });
    expect(fs.readFileSync(path.join(dataDir, 'settings.json'), 'utf8')).not.toContain('hf_abcdefghijkl');
    expect(fs.statSync(path.join(dataDir, 'secrets.local.json')).mode & 0o777).toBe(0o600);
    expect(await engine.dispatcher.call('settings.save', { settings: { replicas: 1 }, hfToken: null })).toMatchObject({ ok: true, value: { hfTokenSet: false } });
    await engine.dispose();
  });

  it('plan.describe, journal.get and step.logs answer before any run', async () => {
    const engine = createEngine({ dataDir: tmp(), transport: 'web', rehearsal: false, env: process.env });
    const plan = await engine.dispatcher.call('plan.describe', { settings: { driver: 'docker' } });
    expect(plan.ok && plan.value.steps.map((s) => s.id).slice(0, 4)).toEqual(['host-check', 'prerequisites', 'image-check', 'minikube-start']);
    expect(await engine.dispatcher.call('journal.get', {})).toEqual({ ok: true, value: { journal: null, resumable: false, interrupted: false } });
    expect(await engine.dispatcher.call('step.logs', { stepId: 'prerequisites' })).toEqual({ ok: true, value: { stepId: 'prerequisites', seq: 0, lines: [] } });
    expect(await engine.dispatcher.call('plan.resume', {})).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    await engine.dispose();
  });
});
