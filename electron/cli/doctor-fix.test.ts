// `doctor --fix` runs the doctor once: doctor.fix chooses the fix from its own report and answers with it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { hostFactsFile } from '../engine/steps/sim-worlds.testkit.js';
import { runCli, type CliIo } from './main.js';

const collections = vi.hoisted(() => ({ count: 0 }));
vi.mock('../engine/doctor/collect.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../engine/doctor/collect.js')>();
  return { ...real, collectSnapshot: (...args: Parameters<typeof real.collectSnapshot>) => { collections.count++; return real.collectSnapshot(...args); } };
});

describe('cli doctor --fix', () => {
  it('collects the snapshot once (a fix the doctor does not offer is refused from that one report)', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'doctor-fix-'));
    const err: string[] = [];
    const io: CliIo = { out: () => {}, err: (t) => err.push(t), isTTY: false, ask: async () => 'n' };
    const env = { PATH: '', LLMD_INSTALLER_HOME: home, LLMD_HOST_FACTS: hostFactsFile(home), KUBECONFIG: path.join(home, 'no-kubeconfig') };
    collections.count = 0;
    const code = await runCli(['doctor', '--fix', 'oom-killed:one-replica', '--yes'], io, env);
    expect(code).toBe(1);
    expect(err.join('\n')).toContain('The doctor has no fix "oom-killed:one-replica" now.');
    expect(collections.count).toBe(1);
  });
});
