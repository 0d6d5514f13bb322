// What the Cluster page, the readiness step and the CLI show about pods and events (docs/architecture.md §4 step 9).
import { z } from 'zod';
import { ContainerName, NamespaceName, PodName } from '../k8s-names.js';
import { ClientTaskId } from './tasks.js';
import { SettingsOverrides } from './settings.js';

export const PodSummary = z.object({
  namespace: z.string(),
  name: z.string(),
  uid: z.string().optional(),
  /** kubectl's READY column. */
  ready: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  readyText: z.string(),
  /** kubectl's STATUS column. */
  status: z.string(),
  restarts: z.number().int().nonnegative(),
  lastRestartAt: z.string().optional(),
  lastTerminationReason: z.string().optional(),
  podReady: z.boolean(),
  message: z.string().optional(),
  /** The scheduler's message while the pod cannot be placed (condition PodScheduled False, reason Unschedulable). */
  unschedulable: z.string().optional(),
  createdAt: z.string().optional(),
  podIP: z.string().optional(),
  labels: z.record(z.string(), z.string()),
  containers: z.array(z.string()),
});
export type PodSummary = z.infer<typeof PodSummary>;

export const ClusterEvent = z.object({
  namespace: z.string(),
  /** kind/name of the object the event is about. */
  object: z.string(),
  type: z.string(),
  reason: z.string(),
  message: z.string(),
  count: z.number().int().nonnegative(),
  lastSeen: z.string().optional(),
});
export type ClusterEvent = z.infer<typeof ClusterEvent>;

// ---- methods and events (Cluster page, access, pod logs) --------------------------------------------

export const ForwardName = z.enum(['gateway', 'prometheus', 'grafana']);
export type ForwardName = z.infer<typeof ForwardName>;

export const ForwardInfo = z.object({
  name: ForwardName,
  /** http://127.0.0.1:PORT */
  url: z.string(),
  alive: z.boolean(),
  namespace: z.string(),
  service: z.string(),
  servicePort: z.number().int(),
});
export type ForwardInfo = z.infer<typeof ForwardInfo>;

export const SmokeTestResult = z.object({
  model: z.string(),
  prompt: z.string(),
  reply: z.string(),
  at: z.string(),
  ttftMs: z.number().optional(),
  replica: z.string().optional(),
});
export type SmokeTestResult = z.infer<typeof SmokeTestResult>;

export const ClusterSnapshot = z.object({
  /** False when no cluster answers (not started, stopped or deleted). */
  reachable: z.boolean(),
  /** Why it is not reachable, in words. */
  problem: z.string().optional(),
  pods: z.array(PodSummary),
  events: z.array(ClusterEvent),
  /** The namespaces watched: the stack's, the gateway provider's (if any) and monitoring's (if on). */
  namespaces: z.array(z.string()).optional(),
});
export type ClusterSnapshot = z.infer<typeof ClusterSnapshot>;

export const AccessStatus = z.object({
  forwards: z.array(ForwardInfo),
  /** The gateway's local URL when its forward is alive. */
  gatewayUrl: z.string().optional(),
  smokeTest: SmokeTestResult.optional(),
});
export type AccessStatus = z.infer<typeof AccessStatus>;

export const PodLogRequest = z.object({
  // Validated as Kubernetes validates them: these go into the API request path.
  namespace: NamespaceName,
  pod: PodName,
  container: ContainerName,
  tailLines: z.number().int().min(0).max(10_000).optional(),
  follow: z.boolean().optional(),
  /** The client's id for the stream (a correlation id, as ClientTaskId): its pod.log events can come before the reply. */
  streamId: ClientTaskId.optional(),
}).strict();

export const clusterMethods = {
  /** Starts watching (informers) if needed and returns the current pods and events. */
  'cluster.snapshot': { request: z.object({}).strict(), response: ClusterSnapshot },
  /** Opens a log stream of one container; lines arrive as `pod.log` events until `pod.logs.stop`. */
  'pod.logs.start': { request: PodLogRequest, response: z.object({ streamId: z.string() }) },
  'pod.logs.stop': { request: z.object({ streamId: z.string() }).strict(), response: z.object({ stopped: z.boolean() }) },
  /** Forwards with their URLs; a forward whose process died is restarted. */
  /** `settings`: the caller's overrides (CLI flags such as --release), so a forward restarted here targets their services. */
  'access.status': { request: z.object({ settings: SettingsOverrides.optional() }).strict(), response: AccessStatus },
  /** Starts (or reuses) the port-forward for the gateway, Prometheus or Grafana. */
  'access.open': { request: z.object({ name: ForwardName, settings: SettingsOverrides.optional() }).strict(), response: ForwardInfo },
  'access.close': { request: z.object({ name: ForwardName }).strict(), response: z.object({ closed: z.boolean() }) },
} as const;

export const clusterEvents = {
  'pods.changed': z.object({ pods: z.array(PodSummary) }),
  'events.changed': z.object({ events: z.array(ClusterEvent) }),
  'pod.log': z.object({ streamId: z.string(), lines: z.array(z.string()), ended: z.boolean().optional(), error: z.string().optional() }),
  'forward.state': z.object({ name: ForwardName, alive: z.boolean(), url: z.string().optional(), message: z.string().optional() }),
} as const;
