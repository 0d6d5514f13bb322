// Which wizard page is shown. Mirrored in location.hash (#/system-check) so Back/Forward and reloads
// land on the same page.
import { create } from 'zustand';
import { isPageId, type PageId } from '../steps.js';

export const pageFromHash = (hash: string): PageId | undefined => {
  const id = hash.replace(/^#\/?/, '');
  return isPageId(id) ? id : undefined;
};

interface WizardState {
  current: PageId;
  go(page: PageId): void;
}

export const useWizard = create<WizardState>((set) => ({
  current: 'welcome',
  go(page) {
    if (typeof window !== 'undefined' && window.location.hash !== `#/${page}`) window.location.hash = `/${page}`;
    set({ current: page });
  },
}));

/** Follows the address bar (Back/Forward); `available` filters out steps without a page. */
export function syncWizardWithHash(available: (id: PageId) => boolean): () => void {
  const apply = (): void => {
    const page = pageFromHash(window.location.hash);
    useWizard.setState({ current: page && available(page) ? page : 'welcome' });
  };
  apply();
  window.addEventListener('hashchange', apply);
  return () => window.removeEventListener('hashchange', apply);
}
