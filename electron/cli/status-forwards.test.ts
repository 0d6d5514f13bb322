// `cli status` with flags: the forwards it checks (and restarts) are the ones those flags name, not the saved settings'.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { Settings } from '../../shared/api/settings.js';
import { hostFactsFile } from '../engine/steps/sim-worlds.testkit.js';
import { runCli, type CliIo } from './main.js';

const seen = vi.hoisted(() => ({ settings: [] as Settings[] }));
vi.mock('../engine/forward/access.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../engine/forward/access.js')>();
  return {
    ...real,
    accessStatus: (opts: Parameters<typeof real.accessStatus>[0]) => {
      seen.settings.push(opts.settings as Settings);
      return Promise.resolve({ forwards: [] });
    },
  };
});

describe('cli status', () => {
  it('hands its flags to the forwards: --release names the release whose services they target', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'status-fwd-'));
    const io: CliIo = { out: () => {}, err: () => {}, isTTY: false, ask: async () => 'n' };
    const env = { PATH: '', LLMD_INSTALLER_HOME: home, LLMD_HOST_FACTS: hostFactsFile(home), KUBECONFIG: path.join(home, 'no-kubeconfig') };
    await runCli(['status', '--json', '--release', 'llm-d-0.4-cpu-guide'], io, env);
    expect(seen.settings.map((s) => s.release)).toEqual(['llm-d-0.4-cpu-guide']);
  });
});
