import { beforeEach, describe, expect, it } from 'vitest';
import type { HostReport } from '../../../shared/api/host.js';
import { defaultSettings, Settings } from '../../../shared/api/settings.js';
import type { ReleaseSummary } from '../../../shared/release.js';
import { fakeEngine, ok } from './fake-engine.testkit.js';
import { formFromSettings, formWithSuggestion, MODEL_SERVER_OVERRIDES, rebaseForm, releaseIssues, settingsFromForm, suggestionText, useSettings, validateForm } from './settings.js';
import { DEFAULT_RELEASE_ID } from '../../../shared/stack.js';

const facts: HostReport['facts'] = {
  os: 'linux', osName: 'Ubuntu', osVersion: '24.04', arch: 'x64', archLabel: 'Linux x86_64', cpuModel: 'test', cpuCores: 4,
  memoryBytes: 16 * 2 ** 30, diskFreeBytes: 200e9, diskPath: '/', gpu: { nvidia: false, models: [] },
  docker: { installed: true, running: true }, podman: { installed: false },
};
// validateForm judges the facts itself; the report's own verdict (the System check's) is not read.
const host = { facts, needs: {}, fit: {}, detectedAt: '' } as unknown as HostReport;

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

  it('in a rehearsal lets a host too small for the settings save, the fields only warned', () => {
    const base = defaultSettings();
    const form = formFromSettings(base);
    const real = validateForm(base, form, host);
    expect(real.issues.map((i) => i.path)).toEqual(['memoryMiB', 'cpus']);
    const rehearsal = validateForm(base, form, host, undefined, { rehearsal: true });
    expect(rehearsal.issues).toEqual([]);
    expect(rehearsal.warnings).toEqual(real.issues);
    expect(rehearsal.settings).toBeDefined();
    // The panel's verdict comes from the same call as the fields' issues.
    expect(rehearsal.fit?.fit.level).toBe('does-not-fit');
  });

  it('resolves Automatic on the host like the plan: podman when it is installed', () => {
    const base = defaultSettings();
    const withPodman = { ...host, facts: { ...facts, podman: { installed: true, running: true } } };
    expect(validateForm(base, formFromSettings(base), withPodman).fit?.needs.driver).toBe('podman');
    expect(validateForm(base, formFromSettings(base), host).fit?.needs.driver).toBe('docker');
  });

  it('fills the suggested values into the form, and those values fit', () => {
    const base = defaultSettings();
    const { fit } = validateForm(base, formFromSettings(base), host);
    const suggested = fit?.fit.suggested;
    // 16 GiB cannot hold the whole stack; the most it can give the cluster (12 GiB) still holds 2 × 6 GiB.
    expect(suggested).toEqual({ cpus: 4, memoryMiB: 12288 });
    expect(suggestionText(suggested!)).toBe('4 CPUs · 12288 MiB memory');
    expect(suggestionText({ replicas: 1, diskGB: 75 })).toBe('75 GB disk · 1 replica');
    const filled = formWithSuggestion(formFromSettings(base), suggested!);
    expect(filled).toMatchObject({ cpus: '4', memoryMiB: '12288', replicas: '2', diskGB: '100' });
    expect(validateForm(base, filled, host).issues).toEqual([]);
  });

  it('keeps the profile and namespace, and drops an empty mirror', () => {
    const base = { ...defaultSettings(), mirror: 'file:///srv/m' };
    const out = settingsFromForm(base, { ...formFromSettings(base), mirror: '  ' });
    expect(out).not.toHaveProperty('mirror');
    expect(out).toMatchObject({ profile: base.profile, namespace: base.namespace });
  });
});

describe('Configure: the stack release and its image overrides', () => {
  const release = (over: Partial<ReleaseSummary> = {}): ReleaseSummary => ({
    id: DEFAULT_RELEASE_ID, title: 'llm-d 0.9', date: '2026-08', summary: 's', upstreamVersion: 'v0.4.0', contextLength: {},
    helmReleases: { stack: ['infra-cpu-inference'], monitoring: 'llmd' }, requests: { cpuMilli: 0, memoryMiB: 0, pods: [] },
    images: [{ role: 'vllm', label: 'Model server (vLLM)', ref: 'public.ecr.aws/q9t5s3a7/vllm-cpu-release-repo:v0.11.2', source: 'x', overridable: true }],
    ...over,
  });

  it('sends only the overrides that are set, trimmed, and keeps the release', () => {
    const base = defaultSettings();
    const form = { ...formFromSettings(base), release: 'llm-d-0.4-cpu-guide', images: { vllm: '  quay.io/me/vllm:1  ', routingSidecar: '', epp: ' ' } };
    expect(settingsFromForm(base, form)).toMatchObject({ release: 'llm-d-0.4-cpu-guide', images: { vllm: 'quay.io/me/vllm:1' } });
    expect((settingsFromForm(base, form).images as Record<string, string>).epp).toBeUndefined();
  });

  it('shows saved overrides back in their boxes, and empty boxes for the defaults', () => {
    const s = { ...defaultSettings(), images: { epp: 'registry.k8s.io/x/epp:v1' } };
    expect(formFromSettings(s).images).toEqual({ vllm: '', routingSidecar: '', epp: 'registry.k8s.io/x/epp:v1' });
  });

  it('says an override is not an image reference with the ImageRef schema’s words, per role', () => {
    const base = defaultSettings();
    const { issues, settings } = validateForm(base, { ...formFromSettings(base), images: { vllm: 'My Image!', routingSidecar: '', epp: 'ok.io/epp:v1' } }, host);
    expect(settings).toBeUndefined();
    expect(issues).toContainEqual({ path: 'images.vllm', message: 'must be an image reference like registry.example.com/org/name:tag' });
    expect(issues.some((i) => i.path === 'images.epp')).toBe(false);
  });

  it('refuses a release with no image for this node, with its reason, and one the app does not ship', () => {
    const base = defaultSettings();
    const form = { ...formFromSettings(base), cpus: '4', memoryMiB: '12288', diskGB: '50' };
    expect(validateForm(base, form, host, [release()]).issues).toEqual([]);
    const gpuOnArm = release({ images: [], problem: 'llm-d 0.9 has no model server (vllm) image for NVIDIA GPUs on arm64.' });
    expect(validateForm(base, form, host, [gpuOnArm]).issues).toEqual([{ path: 'release', message: gpuOnArm.problem }]);
    expect(releaseIssues({ release: 'gone' }, [release()])[0]).toMatchObject({ path: 'release', message: expect.stringContaining('"gone" is not one this app ships') });
    // Not known yet (still loading): no verdict rather than a wrong one.
    expect(releaseIssues({ release: 'gone' }, undefined)).toEqual([]);
  });
});

describe('the download caches in the Configure form', () => {
  it('shows both on for the defaults and saves each toggle as set', () => {
    const base = defaultSettings();
    const form = formFromSettings(base);
    expect([form.imageCache, form.modelCache]).toEqual([true, true]);
    expect(settingsFromForm(base, { ...form, imageCache: false })).toMatchObject({ imageCache: false, modelCache: true });
    expect(settingsFromForm(base, { ...form, modelCache: false })).toMatchObject({ imageCache: true, modelCache: false });
  });
});

describe('Configure → Model → Advanced: the settings the doctor’s fixes change', () => {
  const view = (s: Settings) => ({ settings: s, hfTokenSet: false, secrets: { backend: 'file', persistent: true } });
  beforeEach(() => useSettings.setState({ view: undefined, form: undefined, dirty: false, modelServerOpen: false }));

  it('shows a doctor’s raised limit, smaller KV cache and longer wait in their boxes, and empty boxes for the defaults', () => {
    const s: Settings = { ...defaultSettings(), memoryLimitGi: 8, kvCacheGiB: 2, decodeWaitMinutes: 40 };
    expect(formFromSettings(s)).toMatchObject({ memoryLimitGi: '8', kvCacheGiB: '2', decodeWaitMinutes: '40' });
    expect(formFromSettings(defaultSettings())).toMatchObject({ memoryLimitGi: '', kvCacheGiB: '', decodeWaitMinutes: '' });
    expect(settingsFromForm(defaultSettings(), { ...formFromSettings(defaultSettings()), memoryLimitGi: ' 10 ' })).toMatchObject({ memoryLimitGi: 10 });
  });

  it('an emptied box resets the saved value to the default instead of keeping it', () => {
    const saved: Settings = { ...defaultSettings(), memoryLimitGi: 8, kvCacheGiB: 2, decodeWaitMinutes: 40 };
    const out = settingsFromForm(saved, { ...formFromSettings(saved), memoryLimitGi: '', kvCacheGiB: '  ', decodeWaitMinutes: '' });
    for (const k of MODEL_SERVER_OVERRIDES) expect(out).not.toHaveProperty(k);
    expect(validateForm(saved, { ...formFromSettings(saved), memoryLimitGi: '' }).settings).not.toHaveProperty('memoryLimitGi');
  });

  it('says what is wrong with the Settings schema’s own words', () => {
    const base = defaultSettings();
    const form = { ...formFromSettings(base), memoryLimitGi: '0', kvCacheGiB: 'lots', decodeWaitMinutes: '601' };
    const { issues, settings } = validateForm(base, form, host);
    expect(settings).toBeUndefined();
    expect(issues).toEqual(expect.arrayContaining([
      { path: 'memoryLimitGi', message: 'must be at least 1 GiB' },
      { path: 'kvCacheGiB', message: 'must be a number' },
      { path: 'decodeWaitMinutes', message: expect.stringMatching(/600/) },
    ]));
  });

  it('the fit counts a raised limit per replica, and says when it no longer fits', () => {
    const base = defaultSettings();
    const form = { ...formFromSettings(base), cpus: '4', memoryMiB: '12288', diskGB: '50' };
    expect(validateForm(base, form, host).fit?.needs.perReplicaMemoryGiB).toBe(6);
    const raised = validateForm(base, { ...form, memoryLimitGi: '7' }, host);
    expect(raised.fit?.needs.perReplicaMemoryGiB).toBe(7);
    expect(raised.issues.length + raised.warnings.length).toBeGreaterThan(0);
  });

  it('opens the group by itself when saved settings hold an override, and never closes it by itself', async () => {
    let saved: Settings = defaultSettings();
    fakeEngine({ 'settings.get': () => ok(view(saved)), 'settings.save': (p) => { saved = Settings.parse(p.settings); return ok(view(saved)); } });
    await useSettings.getState().load();
    expect(useSettings.getState().modelServerOpen).toBe(false);
    saved = { ...saved, memoryLimitGi: 8 }; // the doctor's "Raise the memory limit to 8Gi"
    await useSettings.getState().load();
    expect(useSettings.getState().modelServerOpen).toBe(true);
    expect(useSettings.getState().form?.memoryLimitGi).toBe('8');
    // Reset and saved: the value is gone, the group stays where the person is.
    await useSettings.getState().save({ settings: Settings.parse(settingsFromForm(saved, { ...formFromSettings(saved), memoryLimitGi: '' })) });
    expect(saved.memoryLimitGi).toBeUndefined();
    expect(useSettings.getState().modelServerOpen).toBe(true);
    useSettings.getState().setModelServerOpen(false);
    await useSettings.getState().load();
    expect(useSettings.getState().modelServerOpen).toBe(false);
  });
});

describe('number boxes above a bound', () => {
  it('say the bound, not “must be a number” (zod 4 words a bare .max() “expected number to be <=…”)', () => {
    const base = defaultSettings();
    const { issues } = validateForm(base, { ...formFromSettings(base), cpus: '300' });
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ path: 'cpus' });
    expect(issues[0]!.message).not.toBe('must be a number');
    expect(issues[0]!.message).toMatch(/256/);
  });
});

describe('unsaved edits on Configure while the doctor applies a fix', () => {
  const view = (s: Settings) => ({ settings: s, hfTokenSet: false, secrets: { backend: 'file', persistent: true } });
  beforeEach(() => useSettings.setState({ view: undefined, form: undefined, dirty: false, modelServerOpen: false }));

  it('keeps the fields the person edited and takes the fix for the ones they did not, so saving does not undo it', async () => {
    let saved: Settings = defaultSettings();
    fakeEngine({ 'settings.get': () => ok(view(saved)) });
    await useSettings.getState().load();
    useSettings.getState().edit({ cpus: '6' });
    // The doctor's "Raise the memory limit" and "Run 1 replica", saved by the engine meanwhile.
    saved = { ...saved, memoryLimitGi: 8, replicas: 1 };
    await useSettings.getState().load();
    const { form, dirty } = useSettings.getState();
    expect(form).toMatchObject({ cpus: '6', memoryLimitGi: '8', replicas: '1' });
    expect(dirty).toBe(true);
    expect(settingsFromForm(saved, form!)).toMatchObject({ cpus: 6, memoryLimitGi: 8, replicas: 1 });
  });

  it('a field both edited and fixed keeps the person’s edit', () => {
    const prev = defaultSettings();
    const form = { ...formFromSettings(prev), memoryLimitGi: '12' };
    expect(rebaseForm(form, prev, { ...prev, memoryLimitGi: 8 }).memoryLimitGi).toBe('12');
  });
});
