// Every step of the plan, in the order the Plan page lists them. A later issue adds a step by writing its
// file and listing it here (needs decide the real order; build-plan.ts drops steps that do not apply).
import type { Step } from '../plan/step.js';
import { hostCheck } from './host-check.js';
import { podmanMachine } from './podman-machine.js';
import { prerequisitesTools } from './prerequisites-tools.js';

export const STEPS: readonly Step[] = [hostCheck, prerequisitesTools, podmanMachine];
