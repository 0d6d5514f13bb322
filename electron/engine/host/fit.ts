// The fit verdict: does the chosen setup fit this host, and if not, what concrete change makes it fit.
// A pure function over HostFacts and FitNeeds, so every edge case is a table row in fit.test.ts.
// Numbers from the guide (reference/cpu-inference-scheduling-guide.md "Prerequisites" and
// "Resource Requirements"): minikube 24 GiB / 8 CPUs / 100 GB; podman machine 28 GiB / 10 CPUs / 120 GB;
// 24 GiB = 12 GiB for 2 SmolLM2 replicas + 8 GiB Istio/Prometheus/system + 4 GiB overhead.
import type { FitCheck, FitLevel, FitNeeds, FitVerdict, HostFacts } from '../../../shared/api/host.js';

/** Memory the host keeps for its own OS and apps on top of what the cluster takes. */
export const HOST_HEADROOM_GIB = 4;
/** Cluster memory that is not model replicas: Istio, Prometheus/Grafana, EPP, system pods, overhead. */
export const STACK_OVERHEAD_GIB = 12;
/** What a podman machine needs on top of the minikube inside it (28672 MiB / 10 CPUs / 120 GB). */
export const PODMAN_MACHINE_MARGIN = { memoryMiB: 4096, cpus: 2, diskGB: 20 } as const;
/** minikube refuses fewer than 2 CPUs. */
export const MIN_CLUSTER_CPUS = 2;
/**
 * Disk the stack really fills (node image, Istio, monitoring, vLLM CPU image, model); minikube's disk is
 * sparse, so less than the requested size still works as long as this much is free.
 */
export const MIN_USABLE_DISK_GB = 40;

/** The guide's defaults: docker driver, 24 GiB / 8 CPUs / 100 GB, 2 replicas of SmolLM2 at 6 GiB each. */
export const DEFAULT_FIT_NEEDS: FitNeeds = {
  driver: 'docker',
  memoryMiB: 24576,
  cpus: 8,
  diskGB: 100,
  replicas: 2,
  perReplicaMemoryGiB: 6,
};

/** Default needs for a host OS: macOS runs minikube inside a podman machine (the guide's macOS path). */
export function defaultFitNeeds(os: HostFacts['os']): FitNeeds {
  return os === 'darwin' ? { ...DEFAULT_FIT_NEEDS, driver: 'podman' } : { ...DEFAULT_FIT_NEEDS };
}

const GIB = 2 ** 30;
const gib = (bytes: number): number => bytes / GIB;
const fmtGiB = (n: number): string => `${Number.isInteger(n) ? n : n.toFixed(1)} GiB`;
const fmtGB = (n: number): string => `${Math.round(n)} GB`;
const order: Record<FitLevel, number> = { fits: 0, tight: 1, 'does-not-fit': 2 };
export const worstLevel = (levels: FitLevel[]): FitLevel =>
  levels.reduce<FitLevel>((worst, l) => (order[l] > order[worst] ? l : worst), 'fits');

/** True when minikube runs inside a podman machine (a VM) rather than directly on the host. */
const usesMachine = (facts: HostFacts, needs: FitNeeds): boolean => needs.driver === 'podman' && facts.os === 'darwin';

/** Cluster memory the given number of replicas needs. */
export const workloadGiB = (needs: FitNeeds, replicas = needs.replicas): number =>
  replicas * needs.perReplicaMemoryGiB + STACK_OVERHEAD_GIB;

function memoryCheck(facts: HostFacts, needs: FitNeeds): FitCheck {
  const machine = usesMachine(facts, needs);
  const clusterGiB = needs.memoryMiB / 1024;
  const requiredGiB = clusterGiB + (machine ? PODMAN_MACHINE_MARGIN.memoryMiB / 1024 : 0);
  const haveGiB = gib(facts.memoryBytes);
  const need = machine
    ? `${fmtGiB(requiredGiB)} for the podman machine (${fmtGiB(clusterGiB)} for the cluster) + ${HOST_HEADROOM_GIB} GiB for your system`
    : `${fmtGiB(clusterGiB)} for the cluster + ${HOST_HEADROOM_GIB} GiB for your system`;
  const have = `${fmtGiB(Math.round(haveGiB * 10) / 10)}`;
  if (haveGiB >= requiredGiB + HOST_HEADROOM_GIB) {
    if (clusterGiB < workloadGiB(needs)) {
      return { resource: 'memory', level: 'tight', need, have, advice: `Raise cluster memory to ${workloadGiB(needs)} GiB: ${needs.replicas} replica(s) need that much.` };
    }
    return { resource: 'memory', level: 'fits', need, have };
  }
  // What the cluster can have while the host keeps its headroom (and the machine its margin).
  const clusterMax = Math.floor(haveGiB - HOST_HEADROOM_GIB - (machine ? PODMAN_MACHINE_MARGIN.memoryMiB / 1024 : 0));
  const level: FitLevel = haveGiB >= requiredGiB ? 'tight' : 'does-not-fit';
  let advice: string;
  if (clusterMax >= workloadGiB(needs)) {
    advice = `Lower cluster memory to ${clusterMax} GiB; ${needs.replicas} replica(s) still fit (they need ${workloadGiB(needs)} GiB).`;
  } else if (needs.replicas > 1 && clusterMax >= workloadGiB(needs, 1)) {
    advice = `Use 1 replica and lower cluster memory to ${clusterMax} GiB (1 replica needs ${workloadGiB(needs, 1)} GiB).`;
  } else if (clusterMax - STACK_OVERHEAD_GIB >= 2) {
    advice = `Choose a smaller model (at most ${clusterMax - STACK_OVERHEAD_GIB} GiB per replica), use 1 replica and lower cluster memory to ${clusterMax} GiB.`;
  } else {
    advice = `This machine has too little memory for the stack: it needs at least ${workloadGiB(needs, 1) + HOST_HEADROOM_GIB} GiB for one replica.`;
  }
  return { resource: 'memory', level, need, have, advice };
}

function cpuCheck(facts: HostFacts, needs: FitNeeds): FitCheck {
  const machine = usesMachine(facts, needs);
  const required = needs.cpus + (machine ? PODMAN_MACHINE_MARGIN.cpus : 0);
  const need = machine ? `${required} for the podman machine (${needs.cpus} for the cluster)` : `${needs.cpus} for the cluster`;
  const have = `${facts.cpuCores}`;
  if (facts.cpuCores > required) return { resource: 'cpu', level: 'fits', need, have };
  if (facts.cpuCores === required) {
    return { resource: 'cpu', level: 'tight', need, have, advice: 'The cluster will use every core; other apps will compete with it while it runs.' };
  }
  const clusterMax = facts.cpuCores - (machine ? PODMAN_MACHINE_MARGIN.cpus : 0);
  if (clusterMax >= MIN_CLUSTER_CPUS) {
    return { resource: 'cpu', level: 'does-not-fit', need, have, advice: `Lower cluster CPUs to ${clusterMax}; replies will be slower.` };
  }
  return { resource: 'cpu', level: 'does-not-fit', need, have, advice: `The cluster needs at least ${MIN_CLUSTER_CPUS + (machine ? PODMAN_MACHINE_MARGIN.cpus : 0)} CPU cores; this machine has ${facts.cpuCores}.` };
}

function diskCheck(facts: HostFacts, needs: FitNeeds): FitCheck {
  const machine = usesMachine(facts, needs);
  const required = needs.diskGB + (machine ? PODMAN_MACHINE_MARGIN.diskGB : 0);
  const freeGB = facts.diskFreeBytes / 1e9;
  const need = `${fmtGB(required)} free`;
  const have = `${fmtGB(Math.floor(freeGB))} free on ${facts.diskPath}`;
  if (freeGB >= required) return { resource: 'disk', level: 'fits', need, have };
  if (freeGB >= MIN_USABLE_DISK_GB) {
    const lower = Math.floor(freeGB * 0.9);
    return { resource: 'disk', level: 'tight', need, have, advice: `Lower the cluster disk size to ${lower} GB, or free up ${Math.ceil(required - freeGB)} GB.` };
  }
  return { resource: 'disk', level: 'does-not-fit', need, have, advice: `Free up at least ${Math.ceil(MIN_USABLE_DISK_GB - freeGB)} GB on ${facts.diskPath}: images and the model need about ${MIN_USABLE_DISK_GB} GB.` };
}

function runtimeCheck(facts: HostFacts, needs: FitNeeds): FitCheck {
  const tool = needs.driver === 'docker' ? facts.docker : facts.podman;
  const name = needs.driver === 'docker' ? 'Docker' : 'Podman';
  const need = `${name} (${needs.driver} driver)`;
  if (!tool.installed) {
    const other = needs.driver === 'docker' ? facts.podman : facts.docker;
    const switchHint = other.installed ? ` or switch to the ${needs.driver === 'docker' ? 'podman' : 'docker'} driver, which is installed` : '';
    return { resource: 'runtime', level: 'tight', need, have: 'not installed', advice: `Install ${name} in the Prerequisites step${switchHint}.` };
  }
  const version = tool.version ? ` ${tool.version}` : '';
  if (usesMachine(facts, needs)) {
    // The app creates or starts the podman machine itself (DESIGN.md §4 step 3).
    const machine = tool.machines?.find((m) => m.running) ?? tool.machines?.[0];
    const state = machine ? `machine "${machine.name}" ${machine.running ? 'running' : 'stopped'}` : 'no machine yet';
    return { resource: 'runtime', level: 'fits', need, have: `installed${version}, ${state}` };
  }
  if (tool.running === false) {
    const fix = needs.driver === 'docker' ? 'Start Docker (its daemon is not running).' : 'Start the podman service.';
    return { resource: 'runtime', level: 'tight', need, have: `installed${version}, not running`, advice: fix };
  }
  return { resource: 'runtime', level: 'fits', need, have: `installed${version}, running` };
}

function gpuCheck(facts: HostFacts): FitCheck {
  // The CPU path never needs a GPU; one that is present is reported, not required.
  const have = facts.gpu.nvidia ? `NVIDIA: ${facts.gpu.models.join(', ') || 'present'}` : 'no NVIDIA GPU';
  return { resource: 'gpu', level: 'fits', need: 'none (CPU inference)', have };
}

/**
 * The instructions vLLM's CPU backend leans on. bf16 only picks the dtype (the plan says which); a missing
 * AVX-512 on x86 is worth a warning: vLLM's docs call it "Recommended" (AVX2: "Limited features") and its
 * x86 release image stopped with SIGILL without it through v0.10.1 (vllm-project/vllm#18660, open).
 */
function cpuFeaturesCheck(facts: HostFacts): FitCheck {
  const f = facts.cpuFeatures;
  const need = 'bf16 for bfloat16 (else float32)' + (facts.arch === 'x64' ? '; AVX-512 recommended' : '');
  if (!f || (f.bf16 === null && f.avx512f === null)) return { resource: 'cpu-features', level: 'fits', need, have: 'could not read the CPU flags: the model runs in float32' };
  const bf16 = f.bf16 ? 'bf16 (the model runs in bfloat16)' : 'no bf16 (the model runs in float32)';
  if (facts.arch === 'x64' && f.avx512f === false) {
    return {
      resource: 'cpu-features', level: 'tight', need, have: `${bf16}, no AVX-512`,
      advice: 'This CPU has no AVX-512: vLLM\'s CPU image runs with limited features and older images stop with "Illegal instruction" (vllm-project/vllm#18660). A CPU with AVX-512, or an NVIDIA GPU, avoids it.',
    };
  }
  return { resource: 'cpu-features', level: 'fits', need, have: facts.arch === 'x64' ? `${bf16}, AVX-512` : bf16 };
}

export function assessFit(facts: HostFacts, needs: FitNeeds = defaultFitNeeds(facts.os)): FitVerdict {
  const checks = [memoryCheck(facts, needs), cpuCheck(facts, needs), diskCheck(facts, needs), runtimeCheck(facts, needs), gpuCheck(facts), cpuFeaturesCheck(facts)];
  const level = worstLevel(checks.map((c) => c.level));
  const setup = `${needs.replicas} replica${needs.replicas === 1 ? '' : 's'} on the ${needs.driver} driver`;
  const summary =
    level === 'fits'
      ? `This machine fits the default setup (${setup}).`
      : level === 'tight'
        ? `The default setup (${setup}) can run here once you attend to the points below.`
        : `The default setup (${setup}) does not fit this machine. The advice below says what would.`;
  const advice = checks.flatMap((c) => (c.advice && c.level !== 'fits' ? [c.advice] : []));
  return { level, summary, checks, advice };
}
