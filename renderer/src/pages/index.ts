// Which steps have a page (and the pages that belong to a step, such as the teardown under Manage).
// A step without one is shown as upcoming in the rail. To add a page: add one line here. Only Welcome is
// in the initial bundle; every other page (and what it pulls in: xterm, Markdown, the Playground) is its
// own chunk, fetched on first visit or when the browser is idle (lazy-page.tsx, issue #16: initial JS
// under 150 KB gzip).
import type { ComponentType } from 'react';
import { lazyPage, type LazyPage } from '../lazy-page.js';
import type { PageId } from '../steps.js';
import { Welcome } from './Welcome.js';

const LAZY: Partial<Record<PageId, LazyPage>> = {
  'system-check': lazyPage(() => import('./SystemCheck.js'), (m) => m.SystemCheck),
  prerequisites: lazyPage(() => import('./Prerequisites.js'), (m) => m.Prerequisites),
  configure: lazyPage(() => import('./Configure.js'), (m) => m.Configure),
  plan: lazyPage(() => import('./Plan.js'), (m) => m.Plan),
  install: lazyPage(() => import('./Install.js'), (m) => m.Install),
  cluster: lazyPage(() => import('./Cluster.js'), (m) => m.Cluster),
  playground: lazyPage(() => import('./Playground.js'), (m) => m.Playground),
  manage: lazyPage(() => import('./Manage.js'), (m) => m.Manage),
  teardown: lazyPage(() => import('./Teardown.js'), (m) => m.Teardown),
};

export const PAGES: Partial<Record<PageId, ComponentType>> = {
  welcome: Welcome,
  ...Object.fromEntries(Object.entries(LAZY).map(([id, lazy]) => [id, lazy.Page])),
};

export const hasPage = (id: PageId): boolean => PAGES[id] !== undefined;

/** Fetches every page's chunk, so later visits render at once; failures are retried on visit. */
export const preloadPages = (): Promise<void> =>
  Promise.allSettled(Object.values(LAZY).map((p) => p.preload())).then(() => undefined);
