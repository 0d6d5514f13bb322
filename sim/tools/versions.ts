// Versions the simulated tools report. minikube/helm/helmfile follow the pins in shared/tools.ts so the
// engine's version checks see what it installed; podman and docker are not installed by the app.
import { TOOLS } from '../../shared/tools.js';
import type { Scenario } from '../scenario.js';

export const SIM_VERSIONS = {
  minikube: TOOLS.minikube.version,
  minikubeCommit: '65318f4cfff9c12cc87ec9eb8f4cdd57b25047f3',
  kubernetes: 'v1.34.0',
  helm: TOOLS.helm.version,
  helmCommit: '3d8990f0836691f0229297773f3524598f46bda6',
  helmfile: TOOLS.helmfile.version,
  podman: '5.6.1',
  docker: '28.5.1',
  dockerApi: '1.51',
  go: 'go1.24.6',
} as const;

export const goOs = (): 'linux' | 'darwin' => (process.platform === 'darwin' ? 'darwin' : 'linux');
export const goArch = (): 'amd64' | 'arm64' => (process.arch === 'arm64' ? 'arm64' : 'amd64');

/** The version a simulated tool reports: an `oldTool` fault's for that tool, else SIM_VERSIONS'. */
export function simVersion(scenario: Scenario, tool: 'minikube' | 'helm' | 'podman'): string {
  const old = scenario.faults.find((f) => f.kind === 'oldTool' && f.tool === tool);
  return old?.kind === 'oldTool' ? old.version : SIM_VERSIONS[tool];
}
