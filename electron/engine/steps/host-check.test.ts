// The host-check step decides with the one fit function: a host too small for the settings blocks a real
// install with the advice as the hint, and is a logged warning in a rehearsal — where a setting the host
// cannot have at all (a GPU it lacks) still blocks.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { HostFacts, HostReport } from '../../../shared/api/host.js';
import { Settings, type SettingsInput } from '../../../shared/api/settings.js';
import { appPaths } from '../paths.js';
import { planContext } from '../plan/build-plan.js';
import type { StepContext } from '../plan/step.js';
import { hostCheck } from './host-check.js';

const GiB = 2 ** 30;
const small: HostFacts = {
  os: 'linux', osName: 'Ubuntu', osVersion: '24.04', arch: 'x64', archLabel: 'Linux x86_64', cpuModel: 'small', cpuCores: 4,
  memoryBytes: 16 * GiB, diskFreeBytes: 500e9, diskPath: '/', gpu: { nvidia: false, models: [] },
  docker: { installed: true, running: true }, podman: { installed: false },
};

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true }); });

/** The step's context with only what detect reads: the plan, paths, env, the host service and a log. */
function contextFor(over: SettingsInput, env: NodeJS.ProcessEnv, lines: string[]): StepContext {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llmd-host-check-'));
  dirs.push(dir);
  const plan = planContext(Settings.parse(over), { platform: 'linux', arch: 'x64', runtimes: { docker: true, podman: false } });
  const report = { facts: small } as HostReport;
  return { ...plan, paths: appPaths(dir), env, log: (l: string) => lines.push(l), services: { host: async () => report } } as unknown as StepContext;
}

describe('host-check step', () => {
  it('blocks a real install on a host too small for the settings, with the fit advice as the hint', async () => {
    const d = await hostCheck.detect(contextFor({}, {}, []));
    expect(d).toMatchObject({ state: 'blocked', reason: expect.stringContaining('cpus: needs 8 CPUs') });
    expect(d.state === 'blocked' && d.hint).toContain('Lower cluster CPUs to 4');
  });

  it('in a rehearsal logs the same finding as a warning and goes on', async () => {
    const lines: string[] = [];
    const d = await hostCheck.detect(contextFor({}, { LLMD_REHEARSAL: '1' }, lines));
    expect(d).toMatchObject({ state: 'done', detail: expect.stringMatching(/^rehearsal: /) });
    expect(lines.some((l) => l.startsWith('Warning (rehearsal') && l.includes('cpus: needs 8 CPUs'))).toBe(true);
  });

  it('in a rehearsal still blocks a GPU the host does not have (not a matter of size)', async () => {
    const d = await hostCheck.detect(contextFor({ gpu: true, release: 'llm-d-0.4-cpu-guide' }, { LLMD_REHEARSAL: '1' }, []));
    expect(d).toMatchObject({ state: 'blocked', reason: expect.stringContaining('gpu: no NVIDIA GPU') });
  });
});
