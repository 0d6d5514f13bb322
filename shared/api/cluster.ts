// What the Cluster page, the readiness step and the CLI show about pods and events (DESIGN.md §4 step 9).
import { z } from 'zod';

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
