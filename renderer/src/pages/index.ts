// Which steps have a page. A step without one is shown as upcoming in the rail.
// To add a step's page: import it and add one line here.
import type { ComponentType } from 'react';
import type { StepId } from '../steps.js';
import { Cluster } from './Cluster.js';
import { Configure } from './Configure.js';
import { Install } from './Install.js';
import { Manage } from './Manage.js';
import { Plan } from './Plan.js';
import { Playground } from './Playground.js';
import { Prerequisites } from './Prerequisites.js';
import { SystemCheck } from './SystemCheck.js';
import { Welcome } from './Welcome.js';

export const PAGES: Partial<Record<StepId, ComponentType>> = {
  welcome: Welcome,
  'system-check': SystemCheck,
  prerequisites: Prerequisites,
  configure: Configure,
  plan: Plan,
  install: Install,
  cluster: Cluster,
  playground: Playground,
  manage: Manage,
};

export const hasPage = (id: StepId): boolean => PAGES[id] !== undefined;
