// Which wizard step is shown. Mirrored in location.hash (#/system-check) so Back/Forward and reloads
// land on the same page.
import { create } from 'zustand';
import { isStepId, type StepId } from '../steps.js';

export const stepFromHash = (hash: string): StepId | undefined => {
  const id = hash.replace(/^#\/?/, '');
  return isStepId(id) ? id : undefined;
};

interface WizardState {
  current: StepId;
  go(step: StepId): void;
}

export const useWizard = create<WizardState>((set) => ({
  current: 'welcome',
  go(step) {
    if (typeof window !== 'undefined' && window.location.hash !== `#/${step}`) window.location.hash = `/${step}`;
    set({ current: step });
  },
}));

/** Follows the address bar (Back/Forward); `available` filters out steps without a page. */
export function syncWizardWithHash(available: (id: StepId) => boolean): () => void {
  const apply = (): void => {
    const step = stepFromHash(window.location.hash);
    useWizard.setState({ current: step && available(step) ? step : 'welcome' });
  };
  apply();
  window.addEventListener('hashchange', apply);
  return () => window.removeEventListener('hashchange', apply);
}
