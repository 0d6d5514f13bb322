import { describe, expect, it } from 'vitest';
import type { HostReport } from '../../../shared/api/host.js';
import { defaultSettings } from '../../../shared/api/settings.js';
import { formFromSettings, settingsFromForm, validateForm } from './settings.js';

const host = { facts: { os: 'linux', cpuCores: 4, memoryBytes: 16 * 2 ** 30, diskFreeBytes: 200e9, gpu: { nvidia: false, models: [] } } } as unknown as HostReport;

describe('Configure form validation', () => {
  it('says why a field is wrong as it is typed, in the form’s words', () => {
    const base = defaultSettings();
    const form = { ...formFromSettings(base), cpus: 'abc', replicas: '0' };
    const { issues, settings } = validateForm(base, form, host);
    expect(settings).toBeUndefined();
    expect(issues).toEqual(expect.arrayContaining([
      { path: 'cpus', message: 'must be a number' },
      { path: 'replicas', message: 'must be at least 1' },
    ]));
  });

  it('checks what this machine can give once the values are well-formed', () => {
    const base = defaultSettings();
    const { issues } = validateForm(base, { ...formFromSettings(base), cpus: '8', gpu: true }, host);
    expect(issues.map((i) => i.path)).toEqual(expect.arrayContaining(['cpus', 'memoryMiB', 'gpu']));
    const ok = validateForm(base, { ...formFromSettings(base), cpus: '4', memoryMiB: '12288', replicas: '2', diskGB: '50' }, host);
    expect(ok.issues).toEqual([]);
    expect(ok.settings).toMatchObject({ cpus: 4, memoryMiB: 12288, replicas: 2, profile: base.profile });
  });

  it('keeps the profile and namespace, and drops an empty mirror', () => {
    const base = { ...defaultSettings(), mirror: 'file:///srv/m' };
    const out = settingsFromForm(base, { ...formFromSettings(base), mirror: '  ' });
    expect(out).not.toHaveProperty('mirror');
    expect(out).toMatchObject({ profile: base.profile, namespace: base.namespace });
  });
});
