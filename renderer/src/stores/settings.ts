// Configure: the saved settings, the form being edited, validation as you type (the shared zod schema
// plus the one fit function, shared/fit.ts — the same the engine's host check runs, so the fields' issues
// and the "Fit on this machine" verdict come from one call and cannot disagree) and saving. The HF token goes to the engine and never comes back: the store
// only knows whether one is set. The stack release and the image overrides (Configure → Advanced) are
// fields like the others: the same Settings schema (ImageRef for an image) checks them as they are typed.
import { create } from 'zustand';
import type { FitNeeds, FitSuggestion, FitVerdict, HostReport } from '../../../shared/api/host.js';
import { schemaIssues, Settings, type SettingsIssue, type SettingsView } from '../../../shared/api/settings.js';
import { settingsFitOnHost } from '../../../shared/fit.js';
import { ImageRole, isOverridable, type DtypeChoice, type OverridableRole, type ReleaseSummary } from '../../../shared/release.js';
import { api } from '../api/index.js';

/** An override per image role as typed; '' = the release's default. */
export type ImageOverrideForm = Record<OverridableRole, string>;

/** The form: numbers as typed (strings), so a half-typed value is shown with its reason, not lost. */
export interface SettingsForm {
  driver: Settings['driver'];
  model: Settings['model'];
  replicas: string;
  cpus: string;
  memoryMiB: string;
  diskGB: string;
  gpu: boolean;
  monitoring: boolean;
  imageCache: boolean;
  modelCache: boolean;
  mirror: string;
  release: string;
  images: ImageOverrideForm;
  dtype: DtypeChoice;
  /** Configure → Advanced (model server): '' = the model's / the release's default, as for an image. */
  memoryLimitGi: string;
  kvCacheGiB: string;
  decodeWaitMinutes: string;
}

/** The model-server settings the doctor's one-click fixes change (OOMKilled, "keep waiting"), all optional. */
export const MODEL_SERVER_OVERRIDES = ['memoryLimitGi', 'kvCacheGiB', 'decodeWaitMinutes'] as const;
export type ModelServerOverride = (typeof MODEL_SERVER_OVERRIDES)[number];

/** Any of them set: Configure opens its Advanced model-server group by itself so the change is seen. */
export const hasModelServerOverride = (s: Partial<Pick<Settings, ModelServerOverride>>): boolean =>
  MODEL_SERVER_OVERRIDES.some((k) => s[k] !== undefined);

export const formFromSettings = (s: Settings): SettingsForm => ({
  driver: s.driver,
  model: s.model,
  replicas: String(s.replicas),
  cpus: String(s.cpus),
  memoryMiB: String(s.memoryMiB),
  diskGB: String(s.diskGB),
  gpu: s.gpu,
  monitoring: s.monitoring,
  imageCache: s.imageCache,
  modelCache: s.modelCache,
  mirror: s.mirror ?? '',
  release: s.release,
  images: { vllm: s.images.vllm ?? '', routingSidecar: s.images.routingSidecar ?? '', epp: s.images.epp ?? '' },
  dtype: s.dtype,
  memoryLimitGi: s.memoryLimitGi !== undefined ? String(s.memoryLimitGi) : '',
  kvCacheGiB: s.kvCacheGiB !== undefined ? String(s.kvCacheGiB) : '',
  decodeWaitMinutes: s.decodeWaitMinutes !== undefined ? String(s.decodeWaitMinutes) : '',
});

/**
 * Unsaved edits kept over newly saved settings: a field the person has not touched since `prev` was read takes
 * the new saved value (a doctor fix — memory limit, KV cache, wait, replicas, model — saved meanwhile), a
 * field they edited keeps their edit. Without this, saving the old form would quietly undo the fix.
 */
export function rebaseForm(form: SettingsForm, prev: Settings, next: Settings): SettingsForm {
  const before = formFromSettings(prev);
  const after = formFromSettings(next);
  const keys = Object.keys(form) as Array<keyof SettingsForm>;
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  return Object.fromEntries(keys.map((k) => [k, same(form[k], before[k]) ? after[k] : form[k]])) as unknown as SettingsForm;
}

const num = (v: string): number | string => (v.trim() !== '' && /^-?\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : v);

/** The settings object the form describes, on top of the saved ones (profile, namespace… kept). */
export const settingsFromForm = (base: Settings, f: SettingsForm): Record<string, unknown> => {
  // The form owns these: an emptied box must drop the saved value, not keep it from `base`.
  const { mirror: _dropped, memoryLimitGi: _limit, kvCacheGiB: _kv, decodeWaitMinutes: _wait, ...rest } = base;
  return {
    ...rest,
    driver: f.driver,
    model: f.model,
    replicas: num(f.replicas),
    cpus: num(f.cpus),
    memoryMiB: num(f.memoryMiB),
    diskGB: num(f.diskGB),
    gpu: f.gpu,
    monitoring: f.monitoring,
    imageCache: f.imageCache,
    modelCache: f.modelCache,
    ...(f.mirror.trim() ? { mirror: f.mirror.trim() } : {}),
    release: f.release,
    // An empty box means "the release's default": the override is left out, not saved as ''.
    images: Object.fromEntries(ImageRole.options.filter(isOverridable).flatMap((r) => (f.images[r].trim() ? [[r, f.images[r].trim()]] : []))),
    dtype: f.dtype,
    // Empty = the default: left out, so the engine uses the model's limit, the release's KV cache, the probe's wait.
    ...Object.fromEntries(MODEL_SERVER_OVERRIDES.flatMap((k) => (f[k].trim() ? [[k, num(f[k])]] : []))),
  };
};

/**
 * What the chosen release says about this node: a release the app does not ship (a settings file from
 * another version) or one without an image for this architecture/accelerator (GPU on arm64) cannot be
 * installed. `releases` undefined = not known yet (still loading): no verdict rather than a wrong one.
 */
export function releaseIssues(f: Pick<SettingsForm, 'release'>, releases: readonly ReleaseSummary[] | undefined): SettingsIssue[] {
  if (!releases) return [];
  const r = releases.find((x) => x.id === f.release);
  if (!r) return [{ path: 'release', message: `the release "${f.release}" is not one this app ships; choose one of the releases above` }];
  if (r.problem) return [{ path: 'release', message: r.problem }];
  return [];
}

/** What the form says once checked: issues block saving; warnings (a rehearsal's too-small host) do not. */
export interface FormVerdict {
  issues: SettingsIssue[];
  warnings: SettingsIssue[];
  settings?: Settings;
  /** The fit of these settings on this host (once the schema passes and the host is known). */
  fit?: { fit: FitVerdict; needs: FitNeeds };
}

/**
 * Schema issues, then the host's (only once the schema passes), plus the chosen release's (when the
 * releases are known). In a rehearsal a host too small for the settings is a warning, as in the engine's
 * host check. Pure: the page and tests run it.
 */
export function validateForm(base: Settings, f: SettingsForm, host?: HostReport, releases?: readonly ReleaseSummary[], opts: { rehearsal?: boolean } = {}): FormVerdict {
  const parsed = Settings.safeParse(settingsFromForm(base, f));
  const fromRelease = releaseIssues(f, releases);
  if (!parsed.success) {
    // A number field holding text: zod's invalid_type; say it in the form's words. By the issue's code, not
    // its text: zod 4 words a bound without its own message "Too big: expected number to be <=256" too.
    const raw = parsed.error.issues;
    const issues = schemaIssues(parsed.error).map((i, n) => {
      const z = raw[n];
      return z?.code === 'invalid_type' && z.expected === 'number' ? { ...i, message: 'must be a number' } : i;
    });
    return { issues: [...issues, ...fromRelease.filter((r) => !issues.some((i) => i.path === r.path))], warnings: [] };
  }
  if (!host) return { issues: fromRelease, warnings: [], settings: parsed.data };
  const h = host.facts;
  // `driver: auto` resolves from what detection found, on the PATH the plan uses (process/path-env.ts).
  // The chosen release's non-model requests, once the releases are known (until then, and for an unknown
  // release, only the control plane and the replicas are counted; the engine's check counts them all).
  const stack = releases?.find((r) => r.id === parsed.data.release)?.requests ?? null;
  const judged = settingsFitOnHost(parsed.data, h, stack, opts);
  return { issues: [...judged.issues, ...fromRelease], warnings: judged.warnings, settings: parsed.data, fit: { fit: judged.fit, needs: judged.needs } };
}

/** The form with the fit's suggested values filled in (the "use the suggested values" button). */
export function formWithSuggestion(f: SettingsForm, s: FitSuggestion): SettingsForm {
  return {
    ...f,
    ...(s.cpus !== undefined ? { cpus: String(s.cpus) } : {}),
    ...(s.memoryMiB !== undefined ? { memoryMiB: String(s.memoryMiB) } : {}),
    ...(s.replicas !== undefined ? { replicas: String(s.replicas) } : {}),
    ...(s.diskGB !== undefined ? { diskGB: String(s.diskGB) } : {}),
  };
}

/** "4 CPUs · 12288 MiB memory · 1 replica": the suggested values, in the form's words. */
export function suggestionText(s: FitSuggestion): string {
  return [
    s.cpus !== undefined ? `${s.cpus} CPUs` : '',
    s.memoryMiB !== undefined ? `${s.memoryMiB} MiB memory` : '',
    s.diskGB !== undefined ? `${s.diskGB} GB disk` : '',
    s.replicas !== undefined ? `${s.replicas} replica${s.replicas === 1 ? '' : 's'}` : '',
  ].filter(Boolean).join(' · ');
}

interface SettingsState {
  view?: SettingsView;
  form?: SettingsForm;
  loadError?: string;
  saving: boolean;
  saveError?: string;
  /** Set after a successful save, cleared by the next edit. */
  savedAt?: number;
  /** The form has edits that are not saved. */
  dirty: boolean;
  /** Configure → Advanced is open; `focus` asks the page to bring that image's box into view (once). */
  advanced: { open: boolean; focus?: ImageRole | 'advanced' };
  setAdvancedOpen(open: boolean): void;
  /** Opens Advanced from another page (a blocked image on Prerequisites or Install) at that image. */
  showAdvanced(focus?: ImageRole): void;
  /** The page took the focus request. */
  focusTaken(): void;
  /**
   * Configure → Advanced (model server) is open. Closed by default; opened by itself whenever saved settings
   * arrive with an override in them (a doctor fix, the CLI), and never closed by itself: resetting a field
   * must not fold the group away under the pointer.
   */
  modelServerOpen: boolean;
  setModelServerOpen(open: boolean): void;
  /** Reads the saved settings; keeps unsaved edits in the form unless `discard`. */
  load(opts?: { discard?: boolean }): Promise<void>;
  edit(patch: Partial<SettingsForm>): void;
  /** Fills the fit's suggested values into the form (loading the saved settings first if need be). */
  applySuggestion(suggested: FitSuggestion): Promise<void>;
  save(opts: { settings: Settings; hfToken?: string | null }): Promise<boolean>;
}

const openIfOverridden = (s: Settings): { modelServerOpen?: true } => (hasModelServerOverride(s) ? { modelServerOpen: true } : {});

export const useSettings = create<SettingsState>((set, get) => ({
  saving: false,
  dirty: false,
  advanced: { open: false },
  modelServerOpen: false,
  setModelServerOpen(open) {
    set({ modelServerOpen: open });
  },
  setAdvancedOpen(open) {
    set({ advanced: { open } });
  },
  showAdvanced(focus) {
    set({ advanced: { open: true, focus: focus ?? 'advanced' } });
  },
  focusTaken() {
    set((s) => ({ advanced: { open: s.advanced.open } }));
  },
  async load({ discard = false } = {}) {
    const r = await api().invoke('settings.get', {});
    if (!r.ok) return set({ loadError: r.error.message });
    const { dirty, form, view } = get();
    const keep = dirty && !discard && form !== undefined && view !== undefined;
    set({
      view: r.value,
      form: keep ? rebaseForm(form, view.settings, r.value.settings) : formFromSettings(r.value.settings),
      ...(keep ? {} : { dirty: false }),
      loadError: undefined, ...openIfOverridden(r.value.settings),
    });
  },
  edit(patch) {
    const form = get().form;
    if (form) set({ form: { ...form, ...patch }, dirty: true, savedAt: undefined, saveError: undefined });
  },
  async applySuggestion(suggested) {
    if (!get().form) await get().load();
    const form = get().form;
    if (form) get().edit(formWithSuggestion(form, suggested));
  },
  async save({ settings, hfToken }) {
    set({ saving: true, saveError: undefined });
    const r = await api().invoke('settings.save', { settings, ...(hfToken !== undefined ? { hfToken } : {}) });
    if (r.ok) {
      set({ view: r.value, form: formFromSettings(r.value.settings), dirty: false, saving: false, savedAt: Date.now(), ...openIfOverridden(r.value.settings) });
      return true;
    }
    set({ saving: false, saveError: r.error.message });
    return false;
  },
}));
