// Rehearsal (docs/architecture.md §6): the simulated world stands in for minikube and friends. It is on when
// LLMD_REHEARSAL=1 (npm run demo sets it), or when LLMD_SIM_STATE is set and the `minikube` on PATH is the
// simulated one (sim/bin first on PATH). Then the host's own size does not decide anything — the cluster is
// simulated — so a "does not fit" verdict is logged as a warning instead of blocking the install.
import fs from 'node:fs';
import { findExecutable } from '../prereqs/detect.js';

const SIM_MARK = "llm-d Installer's rehearsal world";

export function rehearsalReason(env: NodeJS.ProcessEnv): string | undefined {
  if (env.LLMD_REHEARSAL === '1' || env.LLMD_REHEARSAL === 'true') return 'LLMD_REHEARSAL is set';
  if (!env.LLMD_SIM_STATE) return undefined;
  const minikube = findExecutable('minikube', env.PATH);
  if (!minikube) return undefined;
  try {
    const fd = fs.openSync(minikube, 'r');
    try {
      const head = Buffer.alloc(512);
      const n = fs.readSync(fd, head, 0, head.length, 0);
      return head.subarray(0, n).toString('utf8').includes(SIM_MARK) ? `the simulated minikube (${minikube}) is on PATH with LLMD_SIM_STATE set` : undefined;
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return undefined;
  }
}

/**
 * The engine's answer to "is this a rehearsal" for what it tells the UI (app.info, settings.validate): the
 * transport said so at start (LLMD_REHEARSAL), or the tool PATH holds the sim as the host check finds it.
 */
export const inRehearsal = (declared: boolean, toolEnv: NodeJS.ProcessEnv): boolean => declared || rehearsalReason(toolEnv) !== undefined;
