// Every doctor rule, in the order the report lists them (where a run stopped first, then the cluster's
// own failures, then what is merely slow, then the host).
import { crashLoop } from './crash-loop.js';
import { decodeStarting } from './decode-starting.js';
import { failedScheduling } from './failed-scheduling.js';
import { hostFit } from './host-fit.js';
import { imagePull } from './image-pull.js';
import { lastRun } from './last-run.js';
import { oomKilled } from './oom-killed.js';
import type { Rule } from './rule.js';

export const RULES: readonly Rule[] = [lastRun, oomKilled, imagePull, crashLoop, failedScheduling, decodeStarting, hostFit];
