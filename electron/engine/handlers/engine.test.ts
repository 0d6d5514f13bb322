import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine } from '../api.js';

const dirs: string[] = [];
const tmp = () => { const d = fs.mkdtempSync(path.join(os.tmpdir(), 'eh-')); dirs.push(d); return d; };
afterEach(() => { for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true }); });

describe('engine handlers (prereqs, plan, journal, step logs) through the dispatcher', () => {
  it('plan.describe, journal.get and step.logs answer before any run', async () => {
    const engine = createEngine({ dataDir: tmp(), transport: 'web', rehearsal: false, env: process.env });
    const plan = await engine.dispatcher.call('plan.describe', { settings: { driver: 'docker' } });
    expect(plan.ok && plan.value.steps.map((s) => s.id).slice(0, 4)).toEqual(['host-check', 'prerequisites', 'image-check', 'minikube-start']);
    expect(await engine.dispatcher.call('journal.get', {})).toEqual({ ok: true, value: { journal: null, resumable: false, interrupted: false } });
    expect(await engine.dispatcher.call('step.logs', { stepId: 'prerequisites' })).toEqual({ ok: true, value: { stepId: 'prerequisites', seq: 0, lines: [] } });
    expect(await engine.dispatcher.call('step.logFile', { stepId: 'prerequisites' })).toEqual({ ok: true, value: { stepId: 'prerequisites', seq: 0, lines: [], offset: 0, next: 0, size: 0 } });
    expect(await engine.dispatcher.call('plan.resume', {})).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    await engine.dispose();
  });

  it('step.logFile answers a bad page request with a typed BAD_REQUEST, never a throw', async () => {
    const engine = createEngine({ dataDir: tmp(), transport: 'web', rehearsal: false, env: process.env });
    for (const payload of [
      { stepId: 'stack', offset: -1 },
      { stepId: 'stack', offset: 1.5 },
      { stepId: 'stack', offset: '0' },
      { stepId: 'stack', maxBytes: 64 * 1024 * 1024 }, // over the cap per reply
      { stepId: 'stack', path: '/etc/passwd' }, // a client never names the file
      { stepId: 'stack', offset: 10 }, // past the end of a log that has no bytes yet
    ]) {
      expect(await engine.dispatcher.dispatch('step.logFile', payload)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    }
    await engine.dispose();
  });

  it('step.logFile serves only the run’s own step logs: a journal naming a file elsewhere is refused', async () => {
    const dataDir = tmp();
    const secret = path.join(dataDir, 'secrets.json');
    fs.writeFileSync(secret, '{"hfToken":"hf_x"}\n');
    const own = path.join(dataDir, 'logs', 'r1', 'stack.log');
    fs.mkdirSync(path.dirname(own), { recursive: true });
    fs.writeFileSync(own, '2026-01-01T00:00:00.000Z helmfile sync\n');
    const journal = (logPath: string) => JSON.stringify({ version: 1, runId: 'r1', kind: 'up', status: 'succeeded', pid: 1, startedAt: '2026-01-01T00:00:00.000Z', settings: {}, steps: [{ id: 'stack', state: 'done', logPath }] });
    fs.writeFileSync(path.join(dataDir, 'journal.json'), journal(own));
    const engine = createEngine({ dataDir, transport: 'web', rehearsal: false, env: process.env });
    expect(await engine.dispatcher.call('step.logFile', { stepId: 'stack' })).toMatchObject({ ok: true, value: { lines: ['helmfile sync'], totalLines: 1 } });
    fs.writeFileSync(path.join(dataDir, 'journal.json'), journal(secret));
    const refused = await engine.dispatcher.call('step.logFile', { stepId: 'stack' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringContaining('Refused') } });
    expect(JSON.stringify(refused)).not.toContain('hf_x');
    await engine.dispose();
  });

  it('refuses every method that changes the machine while settings.json is unreadable, and acts on nothing', async () => {
    const dataDir = tmp();
    const file = path.join(dataDir, 'settings.json');
    fs.writeFileSync(file, '{"profile": "my-cluster", "namespace": ');
    const engine = createEngine({ dataDir, transport: 'web', rehearsal: false, env: process.env });
    const calls = [
      engine.dispatcher.call('plan.run', {}),
      engine.dispatcher.call('plan.resume', {}),
      engine.dispatcher.call('plan.teardown', { deleteCluster: true }),
      engine.dispatcher.call('prereqs.install', {}),
      engine.dispatcher.call('doctor.fix', { fix: 'oom-killed:one-replica' }),
      engine.dispatcher.call('access.open', { name: 'gateway' }),
    ];
    for (const res of await Promise.all(calls)) {
      expect(res).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining(`${file} is not valid JSON`), details: { file, reason: 'parse' } } });
      expect(!res.ok && res.error.message).toContain(`kept as ${file}.corrupt-<time>`);
    }
    // No run was started: no journal, no run lock; the file is as it was.
    expect(fs.existsSync(path.join(dataDir, 'journal.json'))).toBe(false);
    expect(fs.existsSync(path.join(dataDir, 'run', 'run.lock'))).toBe(false);
    expect(fs.readFileSync(file, 'utf8')).toBe('{"profile": "my-cluster", "namespace": ');
    // Reading still answers (with the reason), and saving readable settings lifts the refusal.
    expect(await engine.dispatcher.call('settings.get', {})).toMatchObject({ ok: true, value: { warning: expect.stringContaining('is not valid JSON') } });
    expect(await engine.dispatcher.call('settings.save', { settings: { profile: 'my-cluster' } })).toMatchObject({ ok: true });
    expect(await engine.dispatcher.call('plan.resume', {})).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: 'There is no unfinished run to resume.' } });
    await engine.dispose();
  });
});
