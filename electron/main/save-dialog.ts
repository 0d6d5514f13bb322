// The desktop app's "Save diagnostics…" asks where with the OS's own save dialog, sheet-attached to the
// window (the engine only gets the path the person chose — the renderer never names a file to write).
import path from 'node:path';
import type { SaveDialogOptions, SaveDialogReturnValue } from 'electron';
import type { SaveFileChooser } from '../engine/context.js';

export function saveDialogOptions(suggestedName: string, downloadsDir: string): SaveDialogOptions {
  return {
    title: 'Save diagnostics',
    buttonLabel: 'Save',
    defaultPath: path.join(downloadsDir, suggestedName),
    filters: [{ name: 'Support bundle (.tar.gz)', extensions: ['gz'] }],
    properties: ['createDirectory', 'showOverwriteConfirmation'],
  };
}

/** Structural stand-ins for Electron's dialog and window, so the chooser runs in a test without Electron. */
export interface SaveDialogHost<W> {
  showSaveDialog(window: W, options: SaveDialogOptions): Promise<SaveDialogReturnValue>;
  showSaveDialogWithoutWindow(options: SaveDialogOptions): Promise<SaveDialogReturnValue>;
}

export function saveFileChooser<W>(dialog: SaveDialogHost<W>, window: () => W | undefined, downloadsDir: () => string): SaveFileChooser {
  return async (suggestedName) => {
    const options = saveDialogOptions(suggestedName, downloadsDir());
    const w = window();
    const r = w ? await dialog.showSaveDialog(w, options) : await dialog.showSaveDialogWithoutWindow(options);
    return r.canceled || !r.filePath ? undefined : r.filePath;
  };
}
