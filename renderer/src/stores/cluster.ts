// The Cluster page's data: pods and events (a snapshot, then pods.changed / events.changed as the
// engine's informers see changes), the local URLs (gateway, Prometheus, Grafana) with their forwards'
// state, the smoke test's answer, and one followed container log.
import { create } from 'zustand';
import type { AccessStatus, ClusterEvent, ForwardInfo, ForwardName, PodSummary } from '../../../shared/api/cluster.js';
import type { Api } from '../api/client.js';
import { api } from '../api/index.js';
import { newTaskId } from '../api/task-ids.js';

export interface PodLogTarget {
  namespace: string;
  pod: string;
  container: string;
}

interface ClusterState {
  loaded: boolean;
  reachable: boolean;
  problem?: string;
  /** The namespaces the engine watches (from the snapshot). */
  namespaces?: string[];
  pods: PodSummary[];
  events: ClusterEvent[];
  access?: AccessStatus;
  /** Forwards being opened right now. */
  opening: Partial<Record<ForwardName, boolean>>;
  forwardError?: string;
  log?: { target: PodLogTarget; streamId?: string; lines: string[]; epoch: number; following: boolean; ended: boolean; error?: string };
  refresh(): Promise<void>;
  loadAccess(): Promise<void>;
  open(name: ForwardName): Promise<ForwardInfo | undefined>;
  followLog(target: PodLogTarget, follow: boolean): Promise<void>;
  stopLog(): Promise<void>;
}

let logEpoch = 0;

export const useCluster = create<ClusterState>((set, get) => ({
  loaded: false,
  reachable: false,
  pods: [],
  events: [],
  opening: {},
  async refresh() {
    const r = await api().invoke('cluster.snapshot', {});
    if (r.ok) set({ loaded: true, reachable: r.value.reachable, problem: r.value.problem, pods: r.value.pods, events: r.value.events, ...(r.value.namespaces ? { namespaces: r.value.namespaces } : {}) });
    else set({ loaded: true, reachable: false, problem: r.error.message });
  },
  async loadAccess() {
    const r = await api().invoke('access.status', {});
    if (r.ok) set({ access: r.value });
  },
  async open(name) {
    set((s) => ({ opening: { ...s.opening, [name]: true }, forwardError: undefined }));
    const r = await api().invoke('access.open', { name });
    set((s) => ({ opening: { ...s.opening, [name]: false } }));
    if (!r.ok) {
      set({ forwardError: r.error.hint ? `${r.error.message} ${r.error.hint}` : r.error.message });
      return undefined;
    }
    await get().loadAccess();
    return r.value;
  },
  async followLog(target, follow) {
    await get().stopLog();
    const epoch = ++logEpoch;
    // The stream's id is ours, known before the request goes out: its first lines can outrun the reply.
    const streamId = newTaskId('ui-log');
    set({ log: { target, lines: [], epoch, following: follow, ended: false, streamId } });
    const r = await api().invoke('pod.logs.start', { ...target, follow, tailLines: 500, streamId });
    const cur = get().log;
    // Another stream replaced this one, or it was stopped while it opened: close it now that it exists.
    if (!cur || cur.epoch !== epoch || (r.ok && cur.ended && !cur.error)) {
      if (r.ok) void api().invoke('pod.logs.stop', { streamId });
      return;
    }
    if (!r.ok) set({ log: { ...cur, ended: true, error: r.error.message } });
  },
  async stopLog() {
    const cur = get().log;
    if (cur?.streamId && !cur.ended) {
      set({ log: { ...cur, ended: true } });
      await api().invoke('pod.logs.stop', { streamId: cur.streamId });
    }
  },
}));

export function attachClusterEvents(a: Api): () => void {
  const offs = [
    a.on('pods.changed', ({ pods }) => useCluster.setState({ pods, reachable: true, loaded: true })),
    a.on('events.changed', ({ events }) => useCluster.setState({ events })),
    a.on('pod.log', (e) => {
      const cur = useCluster.getState().log;
      if (!cur || cur.streamId !== e.streamId) return;
      useCluster.setState({ log: { ...cur, lines: e.lines.length ? [...cur.lines, ...e.lines] : cur.lines, ...(e.ended ? { ended: true } : {}), ...(e.error ? { error: e.error } : {}) } });
    }),
    a.on('forward.state', (f) => {
      const access = useCluster.getState().access;
      if (!access) return;
      useCluster.setState({
        access: { ...access, forwards: access.forwards.map((x) => (x.name === f.name ? { ...x, alive: f.alive, ...(f.url ? { url: f.url } : {}) } : x)) },
      });
    }),
  ];
  return () => offs.forEach((off) => off());
}
