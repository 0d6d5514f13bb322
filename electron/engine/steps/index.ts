// Every step of the plan, in the order the Plan page lists them. A later issue adds a step by writing its
// file and listing it here (needs decide the real order; build-plan.ts drops steps that do not apply).
// Within what the needs allow, the executor starts steps in this order: the image pre-pull comes first so
// it runs beside the CRDs, Istio and monitoring.
import type { Step } from '../plan/step.js';
import { access } from './access.js';
import { crds } from './crds.js';
import { dashboards } from './dashboards.js';
import { hostCheck } from './host-check.js';
import { imageCheck } from './image-check.js';
import { imagePrepull } from './image-prepull.js';
import { istio } from './istio.js';
import { minikubeStart } from './minikube-start.js';
import { monitoring } from './monitoring.js';
import { podmanMachine } from './podman-machine.js';
import { prerequisitesTools } from './prerequisites-tools.js';
import { ready } from './ready.js';
import { route } from './route.js';
import { smokeTest } from './smoke-test.js';
import { stack } from './stack.js';

export const STEPS: readonly Step[] = [
  hostCheck, prerequisitesTools, imageCheck, podmanMachine, minikubeStart, imagePrepull, crds, istio, monitoring, dashboards,
  stack, route, ready, access, smokeTest,
];
