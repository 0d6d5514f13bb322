// What a minikube node shows when its pods together use more memory than it has while each container stays
// under its own limit (limits may be overcommitted: the scheduler counts only requests). The one home of these
// facts; the sim's kubelet models them (sim/cluster/node-memory.ts) and the doctor reasons from them
// (electron/engine/doctor/rules/oom-killed.ts).
//
// 1. No eviction for memory on minikube. The kubelet's eviction manager would evict a pod below
//    `memory.available<100Mi` (DefaultEvictionHard, kubernetes pkg/kubelet/apis/config/v1beta1/defaults_linux.go),
//    but minikube's kubelet configuration sets `evictionHard` to the disk signals only (nodefs.available,
//    nodefs.inodesFree, imagefs.available "0%"; minikube pkg/minikube/bootstrapper/bsutil/ktmpl), and a
//    KubeletConfiguration that names any signal sets the ones it does not name to 0 unless
//    mergeDefaultEvictionSettings is true (its default is false; KubeletConfiguration reference). So no
//    MemoryPressure condition and no `Evicted` pod ("The node was low on resource: memory. ", pkg/kubelet/
//    eviction/helpers.go) come first: the node's memory simply runs out.
// 2. The kernel's OOM killer then kills a process in the node (on minikube the node is a container whose cgroup
//    limit is `--memory`), whichever pod it is in and whatever that container's own limit is. The victim's own
//    cgroup counts the kill: cgroup v2 memory.events `oom_kill` is "the number of processes belonging to this
//    cgroup killed by any kind of OOM killer" (linux Documentation/admin-guide/cgroup-v2.rst); containerd's OOM
//    watcher fires on every increase of it (containerd internal/oom/watcher.go), the runtime marks the container
//    OOMKilled and the kubelet reports `lastState.terminated` reason `OOMKilled`, exit code 137 (SIGKILL).
// So at the pod a node that ran out looks exactly like a container over its own limit. What tells them apart
// is the node's memory against what the model servers may take together: their limits.

/**
 * Whether the model servers' memory limits together exceed the node's memory (bytes): then the node can run
 * out — and its OOM killer kill one of them — before any of them reaches its own limit.
 */
export function limitsOvercommitNode(limitsBytes: readonly number[], nodeBytes: number): boolean {
  return limitsBytes.reduce((a, b) => a + b, 0) > nodeBytes;
}
