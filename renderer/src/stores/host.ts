// The System check's data: the engine's host report (facts + fit verdict), loaded once, re-checked on demand.
import { create } from 'zustand';
import type { HostReport } from '../../../shared/api/host.js';
import { api } from '../api/index.js';

interface HostState {
  report?: HostReport;
  loading: boolean;
  error?: { message: string; hint?: string };
  check(opts?: { refresh?: boolean }): Promise<void>;
}

export const useHost = create<HostState>((set, get) => ({
  loading: false,
  async check({ refresh = false } = {}) {
    if (get().loading) return;
    set({ loading: true, error: undefined });
    const result = await api().invoke('host.check', { refresh });
    if (result.ok) set({ report: result.value, loading: false });
    else set({ loading: false, error: { message: result.error.message, ...(result.error.hint ? { hint: result.error.hint } : {}) } });
  },
}));
