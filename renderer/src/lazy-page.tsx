// A wizard page whose code (and what it pulls in: xterm, the Markdown pipeline, the Playground) is
// fetched only when it is first needed, so the Welcome page's initial JS stays small (issue #16).
//
// React.lazy alone suspends on the first render even when the chunk is already in the module cache,
// and React then holds the fallback for its reveal throttle (~300 ms) — a visible blank on every first
// visit. So once `preload` has resolved, the page renders the loaded component directly, and the app
// preloads every page when the browser is idle after the Welcome page is up (main.tsx).
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';

export interface LazyPage {
  Page: ComponentType;
  /** Fetches the page's chunk (once); resolves when it can render without suspending. */
  preload(): Promise<void>;
}

// React.lazy remembers a rejection for good, so a page whose chunk failed gets a fresh lazy component
// — but only when the person asks to try again (PageBoundary): replacing it at once would make the
// next render fetch again, fail again, and spin behind the fallback instead of reaching the boundary.
const resets = new Set<() => void>();

/** Lets every page whose chunk failed to load try again on its next render. */
export function retryFailedPages(): void {
  for (const reset of resets) reset();
  resets.clear();
}

export function lazyPage<M>(load: () => Promise<M>, pick: (module: M) => ComponentType): LazyPage {
  let loaded: ComponentType | undefined;
  let pending: Promise<ComponentType> | undefined;
  const fetchPage = (): Promise<ComponentType> => {
    pending ??= load().then(
      (m) => (loaded = pick(m)),
      (e: unknown) => {
        pending = undefined; // a later preload or visit fetches again
        resets.add(reset);
        throw e;
      },
    );
    return pending;
  };
  const makeSuspending = (): LazyExoticComponent<ComponentType> => lazy(async () => ({ default: await fetchPage() }));
  let suspending = makeSuspending();
  const reset = (): void => {
    suspending = makeSuspending();
  };
  function Page() {
    const Loaded = loaded;
    const Suspending = suspending;
    return Loaded ? <Loaded /> : <Suspending />;
  }
  return { Page, preload: () => fetchPage().then(() => undefined) };
}
