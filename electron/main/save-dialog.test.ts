// The desktop save dialog: suggested in Downloads with the engine's name, attached to the window when
// there is one, and a dismissed dialog is "no file" (the engine then answers CANCELLED and writes nothing).
import { describe, expect, it } from 'vitest';
import type { SaveDialogOptions, SaveDialogReturnValue } from 'electron';
import { saveDialogOptions, saveFileChooser } from './save-dialog.js';

function fakeDialog(answer: SaveDialogReturnValue) {
  const calls: Array<{ window: string | undefined; options: SaveDialogOptions }> = [];
  return {
    calls,
    host: {
      showSaveDialog: async (window: string, options: SaveDialogOptions) => (calls.push({ window, options }), answer),
      showSaveDialogWithoutWindow: async (options: SaveDialogOptions) => (calls.push({ window: undefined, options }), answer),
    },
  };
}

describe('the save dialog', () => {
  it('suggests the engine name in Downloads and confirms an overwrite', () => {
    const o = saveDialogOptions('llm-d-support-x.tar.gz', '/home/me/Downloads');
    expect(o.defaultPath).toBe('/home/me/Downloads/llm-d-support-x.tar.gz');
    expect(o.properties).toContain('showOverwriteConfirmation');
  });

  it('returns the chosen path, attached to the window', async () => {
    const d = fakeDialog({ canceled: false, filePath: '/home/me/b.tar.gz' });
    const choose = saveFileChooser(d.host, () => 'win', () => '/home/me/Downloads');
    expect(await choose('n.tar.gz')).toBe('/home/me/b.tar.gz');
    expect(d.calls[0]!.window).toBe('win');
  });

  it('returns nothing when dismissed, with or without a window', async () => {
    const d = fakeDialog({ canceled: true, filePath: '' });
    expect(await saveFileChooser(d.host, () => undefined, () => '/d')('n.tar.gz')).toBeUndefined();
    expect(d.calls[0]!.window).toBeUndefined();
  });
});
