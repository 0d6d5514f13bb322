// Live replica metrics for the Playground and Cluster pages. The engine pushes `metrics.sample` while
// someone watches (metrics.watch); pages that show charts count themselves in and out, so the engine
// scrapes only while a chart is on screen.
import { create } from 'zustand';
import type { Api } from '../../api/client.js';
import { api } from '../../api/index.js';
import { addSamples, type MetricsHistory } from './history.js';

/** How often the engine scrapes while a chart is open. */
export const METRICS_INTERVAL_MS = 1000;

interface MetricsState {
  history: MetricsHistory;
  /** When the last sample set arrived (ms), even an empty one. */
  lastSampleAt?: number;
  watchers: number;
  watchError?: string;
  /** Counts a chart in; the first one starts the engine's sampling. Returns the matching release. */
  watch(): () => void;
}

let attachedTo: Api | undefined;

/** Subscribes once per Api to the samples; kept for the app's life so no sample is missed. */
export function attachMetricsEvents(a: Api): void {
  if (attachedTo === a) return;
  attachedTo = a;
  a.on('metrics.sample', ({ samples }) => {
    useMetrics.setState((s) => ({ history: addSamples(s.history, samples), lastSampleAt: Date.now() }));
  });
}

export const useMetrics = create<MetricsState>((set, get) => {
  const setActive = async (active: boolean): Promise<void> => {
    const a = api();
    attachMetricsEvents(a);
    const r = await a.invoke('metrics.watch', active ? { active, intervalMs: METRICS_INTERVAL_MS } : { active });
    set({ watchError: r.ok ? undefined : r.error.message });
  };
  return {
    history: {},
    watchers: 0,
    watch() {
      const first = get().watchers === 0;
      set((s) => ({ watchers: s.watchers + 1 }));
      if (first) void setActive(true);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        set((s) => ({ watchers: s.watchers - 1 }));
        if (get().watchers === 0) void setActive(false);
      };
    },
  };
});
