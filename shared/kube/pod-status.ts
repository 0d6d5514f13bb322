// kubectl's pod status, as one pure function (the logic of kubectl's printPod, which Headlamp also ports
// as getDetailedStatus). Used by the engine's readiness step, the Cluster page and the simulated API
// server's Table responses, so all three say exactly what `kubectl get pods` says.

/** The parts of a Pod this function reads; structurally compatible with client-node's V1Pod. */
export interface PodLike {
  metadata?: { name?: string; deletionTimestamp?: string | Date | null; creationTimestamp?: string | Date | null } | null;
  spec?: {
    containers?: Array<{ name: string }> | null;
    initContainers?: Array<{ name: string; restartPolicy?: string | null }> | null;
  } | null;
  status?: {
    phase?: string | null;
    reason?: string | null;
    conditions?: Array<{ type: string; status: string; reason?: string | null }> | null;
    initContainerStatuses?: ContainerStatusLike[] | null;
    containerStatuses?: ContainerStatusLike[] | null;
  } | null;
}

export interface ContainerStatusLike {
  name: string;
  ready?: boolean | null;
  started?: boolean | null;
  restartCount?: number | null;
  state?: ContainerStateLike | null;
  lastState?: ContainerStateLike | null;
}

interface ContainerStateLike {
  waiting?: { reason?: string | null; message?: string | null } | null;
  running?: { startedAt?: string | Date | null } | null;
  terminated?: { reason?: string | null; exitCode?: number | null; signal?: number | null; finishedAt?: string | Date | null; message?: string | null } | null;
}

export interface PodStatusSummary {
  /** Containers ready / containers, counting native sidecars (restartable init containers) like kubectl. */
  ready: number;
  total: number;
  /** "2/2" */
  readyText: string;
  /** kubectl's STATUS column: Running, Pending, ContainerCreating, Init:0/1, CrashLoopBackOff, OOMKilled, Terminating, … */
  status: string;
  restarts: number;
  /** When the last container restart happened (ISO), for "3 (2m ago)". */
  lastRestartAt?: string;
  /** Why the last container terminated (e.g. OOMKilled), even when STATUS now says CrashLoopBackOff. */
  lastTerminationReason?: string;
  /** The pod's Ready condition is True. */
  podReady: boolean;
  /** A message worth showing next to the status (a waiting or terminated container's message). */
  message?: string;
}

const toIso = (d: string | Date | null | undefined): string | undefined =>
  d == null ? undefined : typeof d === 'string' ? d : d.toISOString();

const isRestartableInit = (c: { restartPolicy?: string | null } | undefined): boolean => c?.restartPolicy === 'Always';

export function podStatus(pod: PodLike): PodStatusSummary {
  const spec = pod.spec ?? {};
  const st = pod.status ?? {};
  const initSpecs = spec.initContainers ?? [];
  const initByName = new Map(initSpecs.map((c) => [c.name, c]));
  const total = (spec.containers ?? []).length + initSpecs.filter(isRestartableInit).length;
  let ready = 0;
  let restarts = 0;
  let lastRestart: string | undefined;
  let lastTerminationReason: string | undefined;
  let message: string | undefined;
  let reason = st.reason || st.phase || 'Unknown';

  const noteRestart = (c: ContainerStatusLike): void => {
    restarts += c.restartCount ?? 0;
    const t = c.lastState?.terminated;
    if (t) {
      const at = toIso(t.finishedAt);
      if (at && (!lastRestart || at > lastRestart)) {
        lastRestart = at;
        if (t.reason) lastTerminationReason = t.reason;
      } else if (!lastRestart && t.reason) {
        lastTerminationReason = t.reason;
      }
    }
  };

  if (st.conditions?.some((c) => c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'SchedulingGated')) {
    reason = 'SchedulingGated';
  }

  let initializing = false;
  const initStatuses = st.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i]!;
    noteRestart(c);
    if (isRestartableInit(initByName.get(c.name)) && c.started) {
      if (c.ready) ready++;
      continue;
    }
    const term = c.state?.terminated;
    const wait = c.state?.waiting;
    if (term && term.exitCode === 0) continue;
    if (term) {
      reason = term.reason ? `Init:${term.reason}` : term.signal ? `Init:Signal:${term.signal}` : `Init:ExitCode:${term.exitCode ?? 0}`;
      message = term.message ?? message;
    } else if (wait?.reason && wait.reason !== 'PodInitializing') {
      reason = `Init:${wait.reason}`;
      message = wait.message ?? message;
    } else {
      reason = `Init:${i}/${initSpecs.length}`;
    }
    initializing = true;
    break;
  }

  const initializedTrue = st.conditions?.some((c) => c.type === 'Initialized' && c.status === 'True') ?? false;
  if (!initializing || initializedTrue) {
    let hasRunning = false;
    const statuses = st.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i]!;
      noteRestart(c);
      const wait = c.state?.waiting;
      const term = c.state?.terminated;
      if (wait?.reason) {
        reason = wait.reason;
        message = wait.message ?? message;
      } else if (term?.reason) {
        reason = term.reason;
        message = term.message ?? message;
        lastTerminationReason ??= term.reason;
      } else if (term) {
        reason = term.signal ? `Signal:${term.signal}` : `ExitCode:${term.exitCode ?? 0}`;
      } else if (c.ready && c.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      reason = st.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? 'Running' : 'NotReady';
    }
  }

  if (pod.metadata?.deletionTimestamp) {
    reason = st.reason === 'NodeLost' ? 'Unknown' : 'Terminating';
  }

  const podReady = st.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
  return {
    ready,
    total,
    readyText: `${ready}/${total}`,
    status: reason,
    restarts,
    ...(lastRestart ? { lastRestartAt: lastRestart } : {}),
    ...(lastTerminationReason ? { lastTerminationReason } : {}),
    podReady,
    ...(message ? { message } : {}),
  };
}

/** Kubernetes' duration.HumanDuration, as kubectl's AGE column prints it ("45s", "5m3s", "42m", "5h5m", "3d1h", "2y"). */
export function humanDuration(ms: number): string {
  if (Number.isNaN(ms)) return '<unknown>';
  // Go's int(d.Seconds()) truncates toward zero: up to a second in the future (clock skew) is "0s".
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) return hours % 24 === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  const days = Math.floor(hours / 24);
  if (hours < 24 * 365 * 8) return days % 365 === 0 ? `${Math.floor(days / 365)}y` : `${Math.floor(days / 365)}y${days % 365}d`;
  return `${Math.floor(days / 365)}y`;
}

/** The AGE of something created at `from`. */
export function shortAge(from: string | Date | undefined | null, now: Date = new Date()): string {
  if (!from) return '<unknown>';
  return humanDuration(now.getTime() - new Date(from).getTime());
}
