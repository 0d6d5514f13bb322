// The simulated node's CPU architecture: `LLMD_SIM_ARCH` (amd64|arm64) when set, so a test on an x86 CI
// machine can rehearse an Apple Silicon install (and the other way round); the host's otherwise.
import { NodeArch } from '../../shared/registry.js';

export const SIM_ARCH_ENV = 'LLMD_SIM_ARCH';

export function simNodeArch(env: NodeJS.ProcessEnv = process.env, hostArch: string = process.arch): NodeArch {
  const value = env[SIM_ARCH_ENV];
  if (value !== undefined && value !== '') {
    const parsed = NodeArch.safeParse(value);
    if (!parsed.success) throw new Error(`${SIM_ARCH_ENV}="${value}": expected amd64 or arm64`);
    return parsed.data;
  }
  return hostArch === 'arm64' ? 'arm64' : 'amd64';
}

/** The parts of a Node object that state its architecture. */
export interface NodeArchFields {
  metadata?: { labels?: Record<string, string> };
  status?: unknown;
}

/**
 * The architecture the node's kubelet pulls for: `status.nodeInfo.architecture`, which the kubelet itself
 * reports from its runtime (kubernetes pkg/kubelet/nodestatus/setters.go GoRuntime: `NodeInfo.Architecture =
 * goruntime.GOARCH`, set again on every status sync) — a `kubernetes.io/arch` label a person overwrote does
 * not change what containerd pulls. Then the label, then the simulated default.
 */
export function archOfNode(node: NodeArchFields | undefined, env: NodeJS.ProcessEnv = process.env): NodeArch {
  const status = node?.status;
  const nodeInfo = typeof status === 'object' && status !== null ? (status as { nodeInfo?: { architecture?: unknown } }).nodeInfo : undefined;
  for (const value of [nodeInfo?.architecture, node?.metadata?.labels?.['kubernetes.io/arch']]) {
    const parsed = NodeArch.safeParse(value);
    if (parsed.success) return parsed.data;
  }
  return simNodeArch(env);
}
