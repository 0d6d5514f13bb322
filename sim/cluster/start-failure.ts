// A container that exits soon after it starts, the way a real program does when its configuration is
// wrong (Grafana refusing two default datasources, vLLM's argparse refusing an unknown flag). Two sources
// feed the kubelet (sim/cluster/kubelet.ts):
//  - a chart model that knows its program would refuse the rendered configuration annotates the pod
//    template with `sim.llm-d.ai/start-failure-<container>` = JSON {exitCode, log, afterSeconds};
//  - the kubelet itself checks what it can read from the pod spec (sim/cluster/vllm-cli.ts).
// The kubelet then logs the lines, terminates the container with the exit code (reason Error) and
// restarts it with the kubelet's back-off, so `kubectl get pods` shows CrashLoopBackOff and `kubectl logs`
// the program's own words.
//
// Why an annotation and not an env var: env is part of the container spec — `kubectl describe pod` lists
// it under Environment as if the program read it, and the engine or a person inspecting the container
// would see configuration the real chart never renders. An annotation under the simulator's own prefix
// (like SIM_PORTS_ANNOTATION, sim/apiserver/types.ts) leaves the containers exactly as the real chart
// renders them, shows only under Annotations, names itself as the simulator's, and rides the pod
// template from Deployment to ReplicaSet to Pod like any template metadata — so fixing the values changes
// the template and rolls new pods, as a changed ConfigMap checksum annotation does in the real charts.
import { z } from 'zod';
import type { KubeObject } from '../apiserver/types.js';

export const START_FAILURE_ANNOTATION_PREFIX = 'sim.llm-d.ai/start-failure-';

/** Token in a log line replaced by the crash time (RFC 3339 with nanoseconds, like Grafana's `t=`). */
export const NOW_TOKEN = '{{now}}';

export const StartFailure = z.object({
  /** Process exit status the kubelet records (lastState.terminated.exitCode). */
  exitCode: z.number().int().min(1).max(255),
  /** Lines the program writes before it exits. */
  log: z.array(z.string()).default([]),
  /** Seconds (before the scenario's time scale) the process runs before it exits. */
  afterSeconds: z.number().nonnegative().default(1),
});
export type StartFailure = z.infer<typeof StartFailure>;

export const startFailureKey = (container: string): string => `${START_FAILURE_ANNOTATION_PREFIX}${container}`;

/** The pod-template annotation a chart model adds for a container that will refuse to start. */
export const startFailureAnnotation = (container: string, failure: z.input<typeof StartFailure>): Record<string, string> =>
  ({ [startFailureKey(container)]: JSON.stringify(StartFailure.parse(failure)) });

/** The failure a pod's annotation declares for one of its containers; undefined when none (or unreadable). */
export function readStartFailure(pod: KubeObject, container: string): StartFailure | undefined {
  const raw = pod.metadata.annotations?.[startFailureKey(container)];
  if (!raw) return undefined;
  try {
    const parsed = StartFailure.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
