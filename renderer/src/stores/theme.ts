// Light / dark: follows the system unless the person picks one; the choice is remembered.
import { create } from 'zustand';

export type ThemeChoice = 'system' | 'light' | 'dark';
export const THEME_KEY = 'llmd.theme';

const readChoice = (): ThemeChoice => {
  try {
    const v = localStorage.getItem(THEME_KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system';
  }
};

export const effectiveTheme = (choice: ThemeChoice, prefersDark: boolean): 'light' | 'dark' =>
  choice === 'system' ? (prefersDark ? 'dark' : 'light') : choice;

interface ThemeState {
  choice: ThemeChoice;
  setChoice(choice: ThemeChoice): void;
}

export const useTheme = create<ThemeState>((set) => ({
  choice: readChoice(),
  setChoice(choice) {
    try {
      if (choice === 'system') localStorage.removeItem(THEME_KEY);
      else localStorage.setItem(THEME_KEY, choice);
    } catch {
      // storage unavailable: the choice lasts for this session only
    }
    set({ choice });
  },
}));

/** Keeps <html data-theme> equal to the effective theme. */
export function applyTheme(doc: Document, win: Window): () => void {
  const media = win.matchMedia('(prefers-color-scheme: dark)');
  const apply = (): void => {
    doc.documentElement.dataset.theme = effectiveTheme(useTheme.getState().choice, media.matches);
  };
  apply();
  media.addEventListener('change', apply);
  const unsub = useTheme.subscribe(apply);
  return () => {
    media.removeEventListener('change', apply);
    unsub();
  };
}
