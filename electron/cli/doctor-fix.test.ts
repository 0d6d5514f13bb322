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

describe('cli doctor --fix of a fix that recreates the cluster', () => {
  it('on a terminal says what it does and asks about deleting the cluster; "n" changes nothing', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'doctor-fix-'));
    // The last install stopped at "Start the cluster" on a profile smaller than the settings: profile-too-small's recreate is on offer.
    fs.writeFileSync(path.join(home, 'journal.json'), JSON.stringify({
      version: 1, runId: 'run-1', kind: 'up', status: 'failed', pid: 1, startedAt: new Date().toISOString(), settings: {},
      steps: [{ id: 'minikube-start', state: 'failed', error: { code: 'CONFLICT', message: 'The existing minikube profile "llm-d-cpu" has 4 CPUs (settings want 8). minikube cannot resize an existing cluster.' } }],
    }));
    const out: string[] = [];
    const asked: string[] = [];
    const io: CliIo = { out: (t) => out.push(t), err: () => {}, isTTY: true, ask: async (q) => { asked.push(q); return 'n'; } };
    const env = { PATH: '', LLMD_INSTALLER_HOME: home, LLMD_HOST_FACTS: hostFactsFile(home), KUBECONFIG: path.join(home, 'no-kubeconfig') };
    const code = await runCli(['doctor', '--fix', 'profile-too-small:recreate'], io, env);
    expect(code).toBe(1);
    expect(out.join('\n')).toContain('Deletes the cluster "llm-d-cpu" and everything in it first');
    expect(asked).toEqual(['Delete the cluster and everything in it, then install again at the new size? [y/N] ']);
    expect(fs.existsSync(path.join(home, 'settings.json'))).toBe(false);
  });
});
