// The desktop app's one IPC entry (docs/architecture.md §5), kept free of `electron` so the dispatch fuzz runs the
// very code main.ts registers: a call from anything but the app's own window is refused before the dispatcher sees it;
// the rest is the dispatcher's, which validates method and payload and never throws.
import { err, type Result } from '../../shared/result.js';
import type { Dispatcher } from '../engine/dispatch.js';
import { isAllowedSender } from './security.js';

/** What main.ts reads off Electron's IpcMainInvokeEvent. */
export interface IpcSender {
  /** The sending frame's URL; undefined once the frame navigated away or was destroyed (treated as foreign). */
  frameUrl: string | undefined;
  /** Whether the sender is the main window's webContents (not another window or a webview). */
  fromMainWindow: boolean;
}

export type IpcInvoke = (sender: IpcSender, method: unknown, payload: unknown) => Promise<Result<unknown>>;

export function ipcInvokeHandler(dispatcher: () => Pick<Dispatcher, 'dispatch'> | undefined): IpcInvoke {
  return async (sender, method, payload) => {
    if (!isAllowedSender(sender.frameUrl) || !sender.fromMainWindow) return err('BAD_REQUEST', 'IPC from an unexpected sender was refused.');
    const d = dispatcher();
    if (!d) return err('INTERNAL', 'The engine is not running.');
    return d.dispatch(method, payload);
  };
}
