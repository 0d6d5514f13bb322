// Which steps have a page (and the pages that belong to a step, such as the teardown under Manage).
// A step without one is shown as upcoming in the rail. To add a page: import it and add one line here.
import type { ComponentType } from 'react';
import type { PageId } from '../steps.js';
import { Cluster } from './Cluster.js';
import { Configure } from './Configure.js';
import { Install } from './Install.js';
import { Manage } from './Manage.js';
import { Plan } from './Plan.js';
import { Playground } from './Playground.js';
import { Prerequisites } from './Prerequisites.js';
import { SystemCheck } from './SystemCheck.js';
import { Teardown } from './Teardown.js';
import { Welcome } from './Welcome.js';

export const PAGES: Partial<Record<PageId, ComponentType>> = {
  welcome: Welcome,
  'system-check': SystemCheck,
  prerequisites: Prerequisites,
  configure: Configure,
  plan: Plan,
  install: Install,
  cluster: Cluster,
  playground: Playground,
  manage: Manage,
  teardown: Teardown,
};

export const hasPage = (id: PageId): boolean => PAGES[id] !== undefined;
