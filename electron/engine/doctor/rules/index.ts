// Every doctor rule, in the order the report lists them (where a run stopped first, then what keeps the
// app from its cluster, then the cluster's own failures, then the way in to the model servers, then what
// is merely slow or quiet, then the host).
import { crashLoop } from './crash-loop.js';
import { decodeStarting } from './decode-starting.js';
import { eppRoutingLog } from './epp-routing-log.js';
import { failedScheduling } from './failed-scheduling.js';
import { forwardDead } from './forward-dead.js';
import { gatewayBackends } from './gateway-backends.js';
import { gatewayRoute } from './gateway-route.js';
import { hostFit } from './host-fit.js';
import { imagePull } from './image-pull.js';
import { kubeContext } from './kube-context.js';
import { lastRun } from './last-run.js';
import { localPort } from './local-port.js';
import { metricsPort } from './metrics-port.js';
import { oomKilled } from './oom-killed.js';
import { podmanMachine } from './podman-machine.js';
import { profileTooSmall } from './profile-too-small.js';
import type { Rule } from './rule.js';
import { toolVersion } from './tool-version.js';

export const RULES: readonly Rule[] = [
  lastRun, toolVersion, podmanMachine, profileTooSmall, kubeContext,
  oomKilled, imagePull, crashLoop, failedScheduling,
  gatewayRoute, gatewayBackends, forwardDead, localPort,
  decodeStarting, eppRoutingLog, metricsPort,
  hostFit,
];
