// The doctor (doctor.run): every rule over one snapshot of the install. The Install page runs it once when
// a run has failed (its findings sit beside the failed step); Manage runs it on demand. Collecting takes a
// second or two (the cluster's pods, events, log tails), so the store says when it is looking.
import { create } from 'zustand';
import type { DoctorReport, RuleResult } from '../../../shared/api/doctor.js';
import type { BundleResult } from '../../../shared/api/bundle.js';
import { api } from '../api/index.js';
import { downloadBundle } from '../api/download.js';
import { useApp } from './app.js';

interface DoctorState {
  report?: DoctorReport;
  running: boolean;
  error?: string;
  /** The run whose failure the report was made for (the Install page asks once per failed run). */
  forRun?: string;
  run(forRun?: string): Promise<void>;
  bundle?: BundleResult;
  bundling: boolean;
  bundleError?: string;
  /** The browser host offered the bundle as a download (the desktop app saved it where the person chose). */
  downloaded?: boolean;
  saveBundle(): Promise<void>;
}

let seq = 0;

export const useDoctor = create<DoctorState>((set) => ({
  running: false,
  bundling: false,
  async run(forRun) {
    const mine = ++seq;
    set({ running: true, error: undefined, ...(forRun ? { forRun } : {}) });
    const r = await api().invoke('doctor.run', {});
    if (mine !== seq) return; // asked again meanwhile: the newer answer wins
    if (r.ok) set({ report: r.value, running: false });
    else set({ running: false, error: r.error.hint ? `${r.error.message} ${r.error.hint}` : r.error.message });
  },
  async saveBundle() {
    set({ bundling: true, bundleError: undefined });
    // The desktop app asks where (its save dialog); the browser host writes to the support folder and the
    // tab downloads it from there.
    const r = await api().invoke('bundle.create', { ask: true });
    if (!r.ok) {
      // A dismissed save dialog is the person's choice, not an error to show.
      set({ bundling: false, bundleError: r.error.code === 'CANCELLED' ? undefined : r.error.message });
      return;
    }
    const downloaded = useApp.getState().info?.transport === 'web' && downloadBundle(r.value.file);
    set({ bundle: r.value, bundling: false, downloaded });
  },
}));

/** Findings first (errors, then warnings, then notes), then what passed, then what did not apply. */
export function orderResults(results: readonly RuleResult[]): RuleResult[] {
  const rank = (r: RuleResult) => (r.outcome === 'finding' ? { error: 0, warning: 1, info: 2 }[r.finding!.severity] : r.outcome === 'error' ? 3 : r.outcome === 'passed' ? 4 : 5);
  return [...results].sort((a, b) => rank(a) - rank(b));
}

export const findingsOf = (r: DoctorReport | undefined): RuleResult[] => orderResults((r?.results ?? []).filter((x) => x.outcome === 'finding'));
