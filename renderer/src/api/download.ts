// A browser tab cannot be handed a path on disk, so a bundle the browser host wrote is offered as a
// download from the host (electron/web/downloads.ts), with this tab's token. The desktop app saves
// through its native dialog instead and needs none of this.
import { supportDownloadHref } from '../../../shared/api/bundle.js';
import { TOKEN_KEY } from './transport.js';

/** Starts the browser's download of the bundle at `file`; false when this tab cannot (no token, foreign file). */
export function downloadBundle(file: string, doc: Document = document, storage: Storage = sessionStorage): boolean {
  const token = storage.getItem(TOKEN_KEY);
  const href = token ? supportDownloadHref(file, token) : undefined;
  if (!href) return false;
  const a = doc.createElement('a');
  a.href = href;
  a.download = file.split(/[\\/]/).pop() ?? 'llm-d-support.tar.gz';
  a.rel = 'noopener';
  doc.body.append(a);
  a.click();
  a.remove();
  return true;
}
