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
    expect(await engine.dispatcher.call('plan.resume', {})).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    await engine.dispose();
  });
});
