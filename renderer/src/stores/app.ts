// App-level facts (name, version, transport, rehearsal mode, data dir) and the connection state.
import { create } from 'zustand';
import type { AppInfo } from '../../../shared/api/app.js';
import { api } from '../api/index.js';
import type { ConnectionState } from '../api/ws-transport.js';

interface AppState {
  info?: AppInfo;
  error?: string;
  connection: ConnectionState;
  load(): Promise<void>;
  setConnection(state: ConnectionState): void;
}

export const useApp = create<AppState>((set) => ({
  connection: 'connecting',
  async load() {
    const result = await api().invoke('app.info', {});
    if (result.ok) set({ info: result.value, error: undefined });
    else set({ error: result.error.message });
  },
  setConnection(connection) {
    set({ connection });
  },
}));
