import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Settings } from '../shared/api/settings.js';
import { demoEnvironment, writeDemoSettings } from './demo.js';

describe('npm run demo (rehearsal mode)', () => {
  it('puts sim/bin first on PATH and gives the web host a private simulated world', () => {
    const env = demoEnvironment('/tmp/r', '/x/realistic.yaml', { PATH: '/usr/bin' });
    expect(env.PATH?.split(':')[0]).toMatch(/\/sim\/bin$/);
    expect(env).toMatchObject({ LLMD_SIM_STATE: '/tmp/r/world', LLMD_SIM_SCENARIO: '/x/realistic.yaml', KUBECONFIG: '/tmp/r/kubeconfig', LLMD_INSTALLER_HOME: '/tmp/r/app', LLMD_REHEARSAL: '1' });
    expect(existsSync(join(String(env.LLMD_SIM_ROOT), 'tools', 'minikube.ts'))).toBe(true);
  });

  it('writes valid app settings whose mirror is the sim/mirror folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'demo-test-'));
    try {
      const s = Settings.parse(JSON.parse(readFileSync(writeDemoSettings(dir), 'utf8')));
      expect(s.mirror).toMatch(/^file:\/\/.*\/sim\/mirror$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
