// Configure: the saved settings, the form being edited, validation as you type (the shared zod schema
// plus the pure host checks — the same ones the engine runs), the live fit verdict from the engine
// (host.fit, debounced) and saving. The HF token goes to the engine and never comes back: the store
// only knows whether one is set.
import { create } from 'zustand';
import type { FitNeeds, FitVerdict, HostReport } from '../../../shared/api/host.js';
import { hostIssues, schemaIssues, Settings, type SettingsIssue, type SettingsView } from '../../../shared/api/settings.js';
import { api } from '../api/index.js';

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
  mirror: string;
}

export const formFromSettings = (s: Settings): SettingsForm => ({
  driver: s.driver,
  model: s.model,
  replicas: String(s.replicas),
  cpus: String(s.cpus),
  memoryMiB: String(s.memoryMiB),
  diskGB: String(s.diskGB),
  gpu: s.gpu,
  monitoring: s.monitoring,
  mirror: s.mirror ?? '',
});

const num = (v: string): number | string => (v.trim() !== '' && /^-?\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : v);

/** The settings object the form describes, on top of the saved ones (profile, namespace… kept). */
export const settingsFromForm = (base: Settings, f: SettingsForm): Record<string, unknown> => {
  const { mirror: _dropped, ...rest } = base;
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
    ...(f.mirror.trim() ? { mirror: f.mirror.trim() } : {}),
  };
};

/** Schema issues, then the host's (only once the schema passes). Pure: the page and tests run it. */
export function validateForm(base: Settings, f: SettingsForm, host?: HostReport): { issues: SettingsIssue[]; settings?: Settings } {
  const parsed = Settings.safeParse(settingsFromForm(base, f));
  if (!parsed.success) {
    // A number field holding text: zod says "expected number"; say it in the form's words.
    const issues = schemaIssues(parsed.error).map((i) =>
      /expected number/i.test(i.message) ? { ...i, message: 'must be a number' } : i);
    return { issues };
  }
  if (!host) return { issues: [], settings: parsed.data };
  const h = host.facts;
  return {
    issues: hostIssues(parsed.data, { os: h.os, cpus: h.cpuCores, memoryBytes: h.memoryBytes, diskFreeBytes: h.diskFreeBytes, nvidiaGpu: h.gpu.nvidia }),
    settings: parsed.data,
  };
}

interface SettingsState {
  view?: SettingsView;
  form?: SettingsForm;
  loadError?: string;
  fit?: { fit: FitVerdict; needs: FitNeeds };
  fitError?: string;
  saving: boolean;
  saveError?: string;
  /** Set after a successful save, cleared by the next edit. */
  savedAt?: number;
  /** The form has edits that are not saved. */
  dirty: boolean;
  /** Reads the saved settings; keeps unsaved edits in the form unless `discard`. */
  load(opts?: { discard?: boolean }): Promise<void>;
  edit(patch: Partial<SettingsForm>): void;
  refreshFit(settings: Settings): Promise<void>;
  save(opts: { settings: Settings; hfToken?: string | null }): Promise<boolean>;
}

let fitSeq = 0;

export const useSettings = create<SettingsState>((set, get) => ({
  saving: false,
  dirty: false,
  async load({ discard = false } = {}) {
    const r = await api().invoke('settings.get', {});
    if (!r.ok) return set({ loadError: r.error.message });
    const keep = get().dirty && !discard;
    set({ view: r.value, ...(keep ? {} : { form: formFromSettings(r.value.settings), dirty: false }), loadError: undefined });
  },
  edit(patch) {
    const form = get().form;
    if (form) set({ form: { ...form, ...patch }, dirty: true, savedAt: undefined, saveError: undefined });
  },
  async refreshFit(settings) {
    const mine = ++fitSeq;
    const r = await api().invoke('host.fit', { settings });
    if (mine !== fitSeq) return; // a newer edit asked again
    if (r.ok) set({ fit: r.value, fitError: undefined });
    else set({ fitError: r.error.message });
  },
  async save({ settings, hfToken }) {
    set({ saving: true, saveError: undefined });
    const r = await api().invoke('settings.save', { settings, ...(hfToken !== undefined ? { hfToken } : {}) });
    if (r.ok) {
      set({ view: r.value, form: formFromSettings(r.value.settings), dirty: false, saving: false, savedAt: Date.now() });
      return true;
    }
    set({ saving: false, saveError: r.error.message });
    return false;
  },
}));
