// The one fit module (issue 15, "one rule per fact"): does a setup fit this host, which settings fields
// are wrong for it, and what concrete values would make it fit. One pure function, settingsFit, over
// (settings, the resolved plan context, host facts) gives the System check's and Configure's verdict, the
// Configure fields' issues, the host-check step's decision and `cli check`'s — so none of them can
// disagree. It lives in shared/ because the renderer runs it as a person types.
//
// Numbers from the guide (reference/cpu-inference-scheduling-guide.md "Prerequisites" and "Resource
// Requirements"): minikube 24 GiB / 8 CPUs / 100 GB; podman machine 28 GiB / 10 CPUs / 120 GB;
// 24 GiB = 12 GiB for 2 SmolLM2 replicas + 8 GiB Istio/Prometheus/system + 4 GiB overhead.
import type { FitCheck, FitLevel, FitNeeds, FitSuggestion, FitVerdict, HostFacts } from './api/host.js';
import { modelSpec, PODMAN_MACHINE_MARGIN, replicaResources, type HostLimits, type ReplicaResources, type Settings, type SettingsIssue } from './api/settings.js';
import { cpuMilli } from './kube/quantity.js';
import type { StackRequests } from './release.js';
import { MINIKUBE_CONTROL_PLANE } from './stack.js';

/** Memory the host keeps for its own OS and apps on top of what the cluster takes. */
export const HOST_HEADROOM_GIB = 4;
/** Cluster memory that is not model replicas: Istio, Prometheus/Grafana, EPP, system pods, overhead. */
export const STACK_OVERHEAD_GIB = 12;
/** minikube refuses fewer than 2 CPUs. */
export const MIN_CLUSTER_CPUS = 2;
/**
 * Disk the stack really fills (node image, Istio, monitoring, vLLM CPU image, model); minikube's disk is
 * sparse, so less than the requested size still works as long as this much is free.
 */
export const MIN_USABLE_DISK_GB = 40;
/** The settings schema's smallest disk (shared/api/settings.ts): a suggestion never goes below it. */
const MIN_DISK_GB = 20;

// ---- the resolved plan context --------------------------------------------------------------------

/** Which container runtimes are installed (on the tool PATH: process/path-env.ts). */
export interface Runtimes { docker: boolean; podman: boolean }

/** The two facts of a plan context the fit depends on; PlanContext has both, so a plan can be passed. */
export interface ResolvedSetup {
  driver: 'docker' | 'podman';
  usesPodmanMachine: boolean;
}

/** deploy.sh's rule for `driver: auto`: podman when it is installed, else docker. */
export function resolveDriver(driver: Settings['driver'], runtimes: Runtimes): 'docker' | 'podman' {
  if (driver !== 'auto') return driver;
  return runtimes.podman ? 'podman' : runtimes.docker ? 'docker' : 'podman';
}

/** The one answer to "does a podman machine host minikube": macOS with podman, or Linux when chosen. */
export function resolveSetup(settings: Pick<Settings, 'driver' | 'podmanMachine'>, platform: string, runtimes: Runtimes): ResolvedSetup {
  const driver = resolveDriver(settings.driver, runtimes);
  return { driver, usesPodmanMachine: driver === 'podman' && (platform === 'darwin' || settings.podmanMachine) };
}

/** The runtimes host detection found (it looks on the same PATH the plan uses). */
export const runtimesOf = (facts: Pick<HostFacts, 'docker' | 'podman'>): Runtimes => ({ docker: facts.docker.installed, podman: facts.podman.installed });

/** What these settings ask of the host. */
export function fitNeeds(settings: Settings, setup: ResolvedSetup): FitNeeds {
  return {
    driver: setup.driver,
    usesPodmanMachine: setup.usesPodmanMachine,
    memoryMiB: settings.memoryMiB,
    cpus: settings.cpus,
    diskGB: settings.diskGB,
    replicas: settings.replicas,
    perReplicaMemoryGiB: replicaResources(settings)?.memoryLimitGi ?? 6,
  };
}

// ---- the checks ------------------------------------------------------------------------------------

const GIB = 2 ** 30;
const fmtGiB = (n: number): string => `${Number.isInteger(n) ? n : n.toFixed(1)} GiB`;
const fmtGB = (n: number): string => `${Math.round(n)} GB`;
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
const order: Record<FitLevel, number> = { fits: 0, tight: 1, 'does-not-fit': 2 };
export const worstLevel = (levels: FitLevel[]): FitLevel =>
  levels.reduce<FitLevel>((worst, l) => (order[l] > order[worst] ? l : worst), 'fits');

/** Cluster memory the given number of replicas needs, the rest of the stack included. */
export const workloadGiB = (needs: FitNeeds, replicas = needs.replicas): number =>
  replicas * needs.perReplicaMemoryGiB + STACK_OVERHEAD_GIB;

/**
 * What the scheduler must place on the one minikube node: the control plane's share, the release's
 * non-model pods (null: the release is not known, so only the rest is counted) and each replica's request.
 * A cluster with less allocatable than this leaves a pod Pending (FailedScheduling), whatever the host has.
 */
export interface ClusterRequests { cpuMilli: number; memoryMiB: number; text: string }
export function clusterRequests(stack: StackRequests | null, replica: ReplicaResources | undefined, replicas: number): ClusterRequests {
  const perCpu = replica ? cpuMilli(replica.cpuRequest) : 0;
  const perMiB = replica ? replica.memoryRequestGi * 1024 : 0;
  const stackCpu = stack?.cpuMilli ?? 0;
  const parts = [
    `the control plane ${MINIKUBE_CONTROL_PLANE.cpuMilli}m`,
    stack ? `the stack ${stackCpu}m (${stack.pods.join(', ') || 'nothing'})` : 'the stack (release unknown: not counted)',
    `${plural(replicas, 'replica')} × ${perCpu}m`,
  ];
  return {
    cpuMilli: MINIKUBE_CONTROL_PLANE.cpuMilli + stackCpu + replicas * perCpu,
    memoryMiB: MINIKUBE_CONTROL_PLANE.memoryMiB + (stack?.memoryMiB ?? 0) + replicas * perMiB,
    text: parts.join(' + '),
  };
}

/** The fewest whole CPUs that hold these requests. */
export const cpusFor = (r: Pick<ClusterRequests, 'cpuMilli'>): number => Math.max(MIN_CLUSTER_CPUS, Math.ceil(r.cpuMilli / 1000));

/**
 * One check's result: the row the verdict shows, the settings fields it finds wrong (only a
 * does-not-fit is a field issue; a tight fit is advice) and the values its advice proposes.
 */
interface Judged {
  check: FitCheck;
  issues: SettingsIssue[];
  suggested: FitSuggestion;
}

/**
 * The replicas and cluster memory closest to what is set that the host can give: as many replicas as
 * fit (never more than asked), memory kept where it is when that works, else the least that holds them
 * (or the most the host can give, when it was set above that).
 */
function memoryPlan(needs: FitNeeds, clusterGiB: number, hostMaxGiB: number): { replicas: number; memoryGiB: number } | undefined {
  for (let r = needs.replicas; r >= 1; r--) {
    const want = workloadGiB(needs, r);
    if (want > hostMaxGiB) continue;
    const memoryGiB = clusterGiB >= want && clusterGiB <= hostMaxGiB ? clusterGiB : clusterGiB > hostMaxGiB ? hostMaxGiB : want;
    return { replicas: r, memoryGiB };
  }
  return undefined;
}

function memoryCheck(facts: Pick<HostFacts, 'memoryBytes'>, needs: FitNeeds, modelLabel: string, requests: ClusterRequests): Judged {
  const machine = needs.usesPodmanMachine;
  const marginGiB = machine ? PODMAN_MACHINE_MARGIN.memoryMiB / 1024 : 0;
  const clusterGiB = needs.memoryMiB / 1024;
  const requiredGiB = clusterGiB + marginGiB;
  const haveGiB = facts.memoryBytes / GIB;
  const need = machine
    ? `${fmtGiB(requiredGiB)} for the podman machine (${fmtGiB(clusterGiB)} for the cluster) + ${HOST_HEADROOM_GIB} GiB for your system`
    : `${fmtGiB(clusterGiB)} for the cluster + ${HOST_HEADROOM_GIB} GiB for your system`;
  const have = fmtGiB(Math.round(haveGiB * 10) / 10);
  const issues: SettingsIssue[] = [];

  // The host's side: can it give the cluster (and the machine) this much and keep its headroom?
  const capacity: FitLevel = haveGiB >= requiredGiB + HOST_HEADROOM_GIB ? 'fits' : haveGiB >= requiredGiB ? 'tight' : 'does-not-fit';
  if (capacity === 'does-not-fit') {
    const hostMiB = Math.floor(facts.memoryBytes / 2 ** 20);
    issues.push({ path: 'memoryMiB', message: `needs ${needs.memoryMiB + (machine ? PODMAN_MACHINE_MARGIN.memoryMiB : 0)} MiB${machine ? ' (with the podman machine margin)' : ''} but this host has ${hostMiB} MiB; lower the memory, use 1 replica or a smaller model` });
  }
  // The cluster's side: the replicas' own memory limits must fit in it (else does-not-fit); with the rest
  // of the stack on top it is tight (pods schedule by their smaller requests, but may be OOM-killed).
  const limitsGiB = needs.replicas * needs.perReplicaMemoryGiB;
  const workload: FitLevel = clusterGiB >= workloadGiB(needs) ? 'fits' : clusterGiB >= limitsGiB ? 'tight' : 'does-not-fit';
  if (workload === 'does-not-fit') {
    issues.push({ path: 'replicas', message: `${plural(needs.replicas, 'replica')} of ${modelLabel} need ${limitsGiB} GiB but the cluster has ${Math.floor(clusterGiB)} GiB; use fewer replicas or more memory` });
  }
  // The scheduler's side: every pod's memory request must fit the node's allocatable (the cluster memory).
  const scheduled: FitLevel = needs.memoryMiB >= requests.memoryMiB ? 'fits' : 'does-not-fit';
  if (scheduled === 'does-not-fit') {
    issues.push({ path: 'memoryMiB', message: `the cluster needs ${requests.memoryMiB} MiB for what its pods request; it has ${needs.memoryMiB} MiB` });
  }
  const level = worstLevel([capacity, workload, scheduled]);
  if (level === 'fits') return { check: { resource: 'memory', level, need, have }, issues, suggested: {} };

  // What the cluster can have while the host keeps its headroom (and the machine its margin).
  const hostMaxGiB = Math.floor(haveGiB - HOST_HEADROOM_GIB - marginGiB);
  const plan = memoryPlan(needs, clusterGiB, hostMaxGiB);
  let advice: string;
  const suggested: FitSuggestion = {};
  if (plan) {
    const verb = plan.memoryGiB < clusterGiB ? 'lower' : 'raise';
    if (plan.replicas !== needs.replicas) suggested.replicas = plan.replicas;
    if (plan.memoryGiB !== clusterGiB) suggested.memoryMiB = plan.memoryGiB * 1024;
    const want = workloadGiB(needs, plan.replicas);
    if (plan.replicas === needs.replicas) {
      advice = verb === 'lower'
        ? `Lower cluster memory to ${plan.memoryGiB} GiB; ${needs.replicas} replica(s) still fit (they need ${want} GiB).`
        : `Raise cluster memory to ${plan.memoryGiB} GiB: ${needs.replicas} replica(s) need that much.`;
    } else {
      const memory = plan.memoryGiB === clusterGiB ? `keep cluster memory at ${fmtGiB(clusterGiB)}` : `${verb} cluster memory to ${plan.memoryGiB} GiB`;
      advice = `Use ${plural(plan.replicas, 'replica')} and ${memory} (${plural(plan.replicas, 'replica')} ${plan.replicas === 1 ? 'needs' : 'need'} ${want} GiB).`;
    }
  } else if (hostMaxGiB - STACK_OVERHEAD_GIB >= 2) {
    advice = `Choose a smaller model (at most ${hostMaxGiB - STACK_OVERHEAD_GIB} GiB per replica), use 1 replica and set cluster memory to ${hostMaxGiB} GiB.`;
    if (needs.replicas !== 1) suggested.replicas = 1;
    if (hostMaxGiB !== clusterGiB) suggested.memoryMiB = hostMaxGiB * 1024;
  } else {
    advice = `This machine has too little memory for the stack: it needs at least ${workloadGiB(needs, 1) + HOST_HEADROOM_GIB} GiB for one replica.`;
    // Nothing fits the whole stack, but the most the host can give still beats asking for more than it
    // has — as long as one replica's own limit fits in it.
    if (hostMaxGiB >= needs.perReplicaMemoryGiB) {
      const replicas = Math.max(1, Math.min(needs.replicas, Math.floor(hostMaxGiB / needs.perReplicaMemoryGiB)));
      advice += ` The most it can give the cluster is ${hostMaxGiB} GiB${replicas !== needs.replicas ? `, with ${plural(replicas, 'replica')}` : ''}.`;
      if (hostMaxGiB !== clusterGiB) suggested.memoryMiB = hostMaxGiB * 1024;
      if (replicas !== needs.replicas) suggested.replicas = replicas;
    }
  }
  return { check: { resource: 'memory', level, need, have, advice }, issues, suggested };
}

function cpuCheck(facts: Pick<HostFacts, 'cpuCores'>, needs: FitNeeds, requests: (replicas: number) => ClusterRequests): Judged {
  const machine = needs.usesPodmanMachine;
  const margin = machine ? PODMAN_MACHINE_MARGIN.cpus : 0;
  const required = needs.cpus + margin;
  const want = requests(needs.replicas);
  const wantCpus = cpusFor(want);
  const need = machine ? `${required} for the podman machine (${needs.cpus} for the cluster)` : `${needs.cpus} for the cluster`;
  const have = `${facts.cpuCores}`;
  const clusterMax = facts.cpuCores - margin;
  // When the host cannot give the CPUs the pods request: the most replicas that fit in what it can give.
  const fewerReplicas = (issues: SettingsIssue[]): Judged => {
    for (let r = needs.replicas - 1; r >= 1; r--) {
      const cpus = cpusFor(requests(r));
      if (cpus <= clusterMax) {
        const suggested: FitSuggestion = { replicas: r, ...(cpus !== needs.cpus ? { cpus } : {}) };
        return { check: { resource: 'cpu', level: 'does-not-fit', need, have, advice: `Use ${plural(r, 'replica')} with ${cpus} cluster CPUs: this machine cannot give the ${wantCpus} that ${plural(needs.replicas, 'replica')} request.` }, issues, suggested };
      }
    }
    return { check: { resource: 'cpu', level: 'does-not-fit', need, have, advice: `The cluster needs at least ${cpusFor(requests(1)) + margin} CPU cores for the stack and one replica; this machine has ${facts.cpuCores}.` }, issues, suggested: {} };
  };

  // The cluster's side: every pod's CPU request must fit the node's allocatable (its CPUs), or the
  // scheduler leaves one Pending — the host's size does not matter there.
  if (needs.cpus < wantCpus) {
    const issues = [{ path: 'cpus', message: `the cluster needs ${wantCpus} CPUs for what its pods request (${want.text} = ${want.cpuMilli}m); it has ${needs.cpus}` }];
    const requested = `${wantCpus} for the cluster: its pods request ${want.cpuMilli}m`;
    if (wantCpus <= clusterMax) {
      return { check: { resource: 'cpu', level: 'does-not-fit', need: requested, have, advice: `Raise cluster CPUs to ${wantCpus}: the stack and ${plural(needs.replicas, 'replica')} request ${want.cpuMilli}m.` }, issues, suggested: { cpus: wantCpus } };
    }
    return fewerReplicas(issues);
  }

  // The host's side: can it give the cluster (and the machine) that many cores?
  if (facts.cpuCores > required) return { check: { resource: 'cpu', level: 'fits', need, have }, issues: [], suggested: {} };
  if (facts.cpuCores === required) {
    return { check: { resource: 'cpu', level: 'tight', need, have, advice: 'The cluster will use every core; other apps will compete with it while it runs.' }, issues: [], suggested: {} };
  }
  const issues = [{ path: 'cpus', message: `needs ${required} CPUs${machine ? ' (with the podman machine margin)' : ''} but this host has ${facts.cpuCores}; lower the CPUs` }];
  if (clusterMax >= wantCpus) {
    return { check: { resource: 'cpu', level: 'does-not-fit', need, have, advice: `Lower cluster CPUs to ${clusterMax}; replies will be slower.` }, issues, suggested: { cpus: clusterMax } };
  }
  return fewerReplicas(issues);
}

function diskCheck(facts: Pick<HostFacts, 'diskFreeBytes' | 'diskPath'>, needs: FitNeeds): Judged {
  const margin = needs.usesPodmanMachine ? PODMAN_MACHINE_MARGIN.diskGB : 0;
  const required = needs.diskGB + margin;
  const freeGB = facts.diskFreeBytes / 1e9;
  const need = `${fmtGB(required)} free`;
  const have = `${fmtGB(Math.floor(freeGB))} free on ${facts.diskPath}`;
  if (freeGB >= required) return { check: { resource: 'disk', level: 'fits', need, have }, issues: [], suggested: {} };
  if (freeGB >= MIN_USABLE_DISK_GB) {
    // Leave a tenth free, and the machine's own margin on top of the cluster's disk.
    const lower = Math.max(MIN_DISK_GB, Math.floor(freeGB * 0.9) - margin);
    return {
      check: { resource: 'disk', level: 'tight', need, have, advice: `Lower the cluster disk size to ${lower} GB, or free up ${Math.ceil(required - freeGB)} GB.` },
      issues: [], suggested: lower < needs.diskGB ? { diskGB: lower } : {},
    };
  }
  return {
    check: { resource: 'disk', level: 'does-not-fit', need, have, advice: `Free up at least ${Math.ceil(MIN_USABLE_DISK_GB - freeGB)} GB on ${facts.diskPath}: images and the model need about ${MIN_USABLE_DISK_GB} GB.` },
    issues: [{ path: 'diskGB', message: `only ${Math.floor(freeGB)} GB are free on ${facts.diskPath}; images and the model need about ${MIN_USABLE_DISK_GB} GB` }],
    suggested: {},
  };
}

function runtimeCheck(facts: Pick<HostFacts, 'docker' | 'podman'>, needs: FitNeeds): FitCheck {
  const tool = needs.driver === 'docker' ? facts.docker : facts.podman;
  const name = needs.driver === 'docker' ? 'Docker' : 'Podman';
  const need = `${name} (${needs.driver} driver)`;
  if (!tool.installed) {
    const other = needs.driver === 'docker' ? facts.podman : facts.docker;
    const switchHint = other.installed ? ` or switch to the ${needs.driver === 'docker' ? 'podman' : 'docker'} driver, which is installed` : '';
    return { resource: 'runtime', level: 'tight', need, have: 'not installed', advice: `Install ${name} in the Prerequisites step${switchHint}.` };
  }
  const version = tool.version ? ` ${tool.version}` : '';
  if (needs.usesPodmanMachine) {
    // The app creates or starts the podman machine itself (docs/architecture.md §4 step 3).
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

function gpuCheck(facts: Pick<HostFacts, 'gpu'>): FitCheck {
  // The CPU path never needs a GPU; one that is present is reported, not required.
  const have = facts.gpu.nvidia ? `NVIDIA: ${facts.gpu.models.join(', ') || 'present'}` : 'no NVIDIA GPU';
  return { resource: 'gpu', level: 'fits', need: 'none (CPU inference)', have };
}

/**
 * The instructions vLLM's CPU backend leans on. bf16 only picks the dtype (the plan says which); a missing
 * AVX-512 on x86 is worth a warning: vLLM's docs call it "Recommended" (AVX2: "Limited features") and its
 * x86 release image stopped with SIGILL without it through v0.10.1 (vllm-project/vllm#18660, open).
 */
function cpuFeaturesCheck(facts: Pick<HostFacts, 'arch' | 'cpuFeatures'>): FitCheck {
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

/** Settings that ask for something this host does not have at all (not a matter of size). */
function settingsHostIssues(settings: Settings, facts: Pick<HostFacts, 'os' | 'gpu'>): SettingsIssue[] {
  const issues: SettingsIssue[] = [];
  if (settings.gpu && facts.os !== 'linux') issues.push({ path: 'gpu', message: 'GPU acceleration is only available on Linux with an NVIDIA GPU' });
  else if (settings.gpu && !facts.gpu.nvidia) issues.push({ path: 'gpu', message: 'no NVIDIA GPU was found on this host' });
  if (settings.podmanMachine && settings.driver === 'docker') issues.push({ path: 'podmanMachine', message: 'a podman machine is only used with the podman driver' });
  return issues;
}

// ---- the one function ------------------------------------------------------------------------------

export interface SettingsFit {
  needs: FitNeeds;
  fit: FitVerdict;
  /** Fields that must change before these settings can be saved and installed. */
  issues: SettingsIssue[];
  /**
   * The size issues a rehearsal only warns about: the cluster is simulated, so a host too small for the
   * settings decides nothing there (steps/rehearsal.ts) — in Configure, the host check and `cli check` alike.
   */
  warnings: SettingsIssue[];
}

/** The fit on a detected (or recorded) host: `driver: auto` resolved from the runtimes the host has. */
export const settingsFitOnHost = (settings: Settings, facts: HostFacts, stack: StackRequests | null, opts: { rehearsal?: boolean } = {}): SettingsFit =>
  settingsFit(settings, resolveSetup(settings, facts.os, runtimesOf(facts)), facts, stack, opts);

/**
 * `stack` is what the chosen release's non-model pods request (shared/release.ts stackRequests); null only
 * where the release is not known (its own issue says so), and then only the rest is counted.
 */
export function settingsFit(settings: Settings, setup: ResolvedSetup, facts: HostFacts, stack: StackRequests | null, opts: { rehearsal?: boolean } = {}): SettingsFit {
  const needs = fitNeeds(settings, setup);
  const replica = replicaResources(settings);
  const requests = (replicas: number): ClusterRequests => clusterRequests(stack, replica, replicas);
  const judged = [memoryCheck(facts, needs, modelSpec(settings.model)?.label ?? settings.model, requests(needs.replicas)), cpuCheck(facts, needs, requests), diskCheck(facts, needs)];
  const checks = [...judged.map((j) => j.check), runtimeCheck(facts, needs), gpuCheck(facts), cpuFeaturesCheck(facts)];
  const level = worstLevel(checks.map((c) => c.level));
  const setupText = `${plural(needs.replicas, 'replica')} on the ${needs.driver} driver${needs.usesPodmanMachine ? ' in a podman machine' : ''}`;
  const summary =
    level === 'fits'
      ? `This machine fits the setup (${setupText}).`
      : level === 'tight'
        ? `The setup (${setupText}) can run here once you attend to the points below.`
        : `The setup (${setupText}) does not fit this machine. The advice below says what would.`;
  const advice = checks.flatMap((c) => (c.advice && c.level !== 'fits' ? [c.advice] : []));
  const suggested = Object.assign({}, ...judged.map((j) => j.suggested)) as FitSuggestion;
  // Memory and CPUs may each propose fewer replicas: the fewer of the two is the one that fits both.
  const replicaProposals = judged.flatMap((j) => (j.suggested.replicas !== undefined ? [j.suggested.replicas] : []));
  if (replicaProposals.length > 0) suggested.replicas = Math.min(...replicaProposals);
  const fit: FitVerdict = { level, summary, checks, advice, ...(Object.keys(suggested).length ? { suggested } : {}) };
  const sizeIssues = judged.flatMap((j) => j.issues);
  const other = settingsHostIssues(settings, facts);
  return opts.rehearsal
    ? { needs, fit, issues: other, warnings: sizeIssues }
    : { needs, fit, issues: [...sizeIssues, ...other], warnings: [] };
}

/**
 * The settings.validate request carries only the host's sizes (HostLimits), not its runtimes: the same
 * function judges them, with the runtimes taken as present (a missing runtime is never a field issue).
 */
export function factsFromLimits(limits: HostLimits): HostFacts {
  const os = limits.os === 'darwin' || limits.os === 'linux' || limits.os === 'win32' ? limits.os : 'other';
  return {
    os, osName: limits.os, osVersion: '', arch: 'other', archLabel: 'Other', cpuModel: '', cpuCores: limits.cpus,
    memoryBytes: limits.memoryBytes, diskFreeBytes: limits.diskFreeBytes, diskPath: 'this host',
    gpu: { nvidia: limits.nvidiaGpu, models: [] }, docker: { installed: true }, podman: { installed: true },
  };
}
