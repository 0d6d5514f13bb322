// Every store subscribes to its engine events once, here, at start-up — not per page — so nothing
// is missed while a page is closed and a page that opens again shows everything so far.
import type { Api } from '../api/client.js';
import { attachClusterEvents } from './cluster.js';
import { attachInstallEvents } from './install.js';
import { attachLogEvents } from './logs.js';
import { attachPlaygroundEvents } from './playground.js';
import { attachPrereqEvents } from './prereqs.js';

export function attachStores(a: Api): () => void {
  const offs = [attachLogEvents(a), attachPrereqEvents(a), attachInstallEvents(a), attachClusterEvents(a), attachPlaygroundEvents(a)];
  return () => offs.forEach((off) => off());
}
