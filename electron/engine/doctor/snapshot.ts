// One snapshot of the install for the doctor's rules (electron/engine/doctor/rules): what a person would
// otherwise gather by hand with `kubectl get pods -o yaml`, `get events --sort-by`, `logs --tail`,
// `describe node` — plus the plan, the last run's journal and the host check. Rules are pure over it, so
// each is tested from a fixture; collect.ts is the only code that talks to the cluster.
import type { ClusterEvent } from '../../../shared/api/cluster.js';
import type { JournalDoc } from '../../../shared/api/engine.js';
import type { HostReport } from '../../../shared/api/host.js';
import type { PlanContext } from '../plan/step.js';

export interface ContainerSnapshot {
  name: string;
  image: string;
  ready: boolean;
  started: boolean;
  restartCount: number;
  /** The current state as kubectl names it, with its reason (CrashLoopBackOff, ErrImagePull …). */
  state: { kind: 'waiting' | 'running' | 'terminated' | 'unknown'; reason?: string; message?: string; startedAt?: string };
  lastTerminated?: { exitCode: number; reason?: string; startedAt?: string; finishedAt?: string };
  limits: { memory?: string; cpu?: string };
  /** The startup probe's budget inputs (seconds), when it has one. */
  startupProbe?: { initialDelaySeconds: number; periodSeconds: number; failureThreshold: number };
  args: string[];
}

export interface PodSnapshot {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  phase: string;
  createdAt?: string;
  node?: string;
  podReady: boolean;
  /** kubectl's READY column. */
  readyText: string;
  conditions: Array<{ type: string; status: string; reason?: string; message?: string }>;
  containers: ContainerSnapshot[];
}

export interface NodeSnapshot {
  name: string;
  arch?: string;
  allocatable: { cpu?: string; memory?: string };
}

export interface Snapshot {
  /** When it was taken: durations in findings ("starting for 6 min") count from here. */
  at: Date;
  plan: PlanContext;
  host?: HostReport;
  journal?: JournalDoc | null;
  cluster: { reachable: true } | { reachable: false; why: string };
  pods: PodSnapshot[];
  events: ClusterEvent[];
  /** Last lines per container: key `<namespace>/<pod>/<container>`, and `…#previous` for the run before a restart. */
  logs: Record<string, string[]>;
  nodes: NodeSnapshot[];
  /** What could not be collected, in words (the report lists them). */
  gaps: string[];
}

export const logKey = (p: Pick<PodSnapshot, 'namespace' | 'name'>, container: string, previous = false): string =>
  `${p.namespace}/${p.name}/${container}${previous ? '#previous' : ''}`;
