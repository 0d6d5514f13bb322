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

/** The architecture a Node object's `kubernetes.io/arch` label states, else the simulated default. */
export function archOfNode(labels: Record<string, string> | undefined, env: NodeJS.ProcessEnv = process.env): NodeArch {
  const parsed = NodeArch.safeParse(labels?.['kubernetes.io/arch']);
  return parsed.success ? parsed.data : simNodeArch(env);
}
