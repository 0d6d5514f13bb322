// The preload (sandboxed, bundled to CJS: only 'electron' may be required at run time). It exposes one
// object derived from the contract — invoke + subscribe — never ipcRenderer or its event objects.
import { contextBridge, ipcRenderer } from 'electron';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, PRELOAD_GLOBAL, type RawTransport } from '../../shared/contract.js';
import { createPreloadApi } from './api.js';

const api: RawTransport = createPreloadApi({
  invoke: (method, payload) => ipcRenderer.invoke(IPC_INVOKE_CHANNEL, method, payload),
  on: (listener) => {
    const handler = (_event: Electron.IpcRendererEvent, topic: unknown, payload: unknown): void => listener(topic, payload);
    ipcRenderer.on(IPC_EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, handler);
    };
  },
});

contextBridge.exposeInMainWorld(PRELOAD_GLOBAL, api);
