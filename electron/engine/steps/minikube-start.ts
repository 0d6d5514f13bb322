// Step "Start the cluster" (docs/architecture.md §4 step 4): `minikube start -p <profile> --driver=… --memory=…
// --cpus=… --disk-size=…g --output=json` (+ podman extra-configs on macOS, + `--gpus all`). A healthy
// existing profile is reused; one smaller than the settings is refused (minikube cannot resize) — unless the
// plan recreates the cluster (a doctor fix): then a profile of another size is deleted first, its port-forwards
// stopped with it, and created again at the settings' size, all in this step's log. Progress
// comes from minikube's JSON step events (their total is read from each event, never assumed). The
// person's current kube context is left alone when they have one (--keep-context); the engine always
// talks to the profile's context explicitly.
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { ApiException } from '../../../shared/result.js';
import { ProcessError } from '../process/runner.js';
import type { PlanContext, Step, StepContext } from '../plan/step.js';
import { clusterConfig, nodeReady } from './cluster-access.js';
import { readRecord, removeRecord, writeRecord } from './run-records.js';
import { runWithLines } from './tool-lines.js';
import { diskSize } from './cache-use.js';
import { imageCacheFile, keptImageRefs, loadKeptImages } from './image-prepull.js';
import { MODEL_CACHE } from '../../../shared/stack.js';
import { stopAllForwards } from '../forward/forwards.js';

const ProfileList = z.object({
  valid: z.array(z.object({
    Name: z.string(),
    Status: z.string().optional(),
    Config: z.object({ Driver: z.string().optional(), Memory: z.number().optional(), CPUs: z.number().optional(), DiskSize: z.number().optional() }).partial().optional(),
  }).passthrough()).nullish(),
  invalid: z.array(z.unknown()).nullish(),
}).passthrough();

export interface ProfileInfo { name: string; status: string; cpus?: number; memoryMiB?: number; driver?: string }

export function parseProfileList(stdout: string, profile: string): ProfileInfo | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(stdout.trim() || '{}');
  } catch {
    return undefined;
  }
  const parsed = ProfileList.safeParse(doc);
  const p = parsed.success ? (parsed.data.valid ?? []).find((v) => v.Name === profile) : undefined;
  if (!p) return undefined;
  return { name: p.Name, status: p.Status ?? 'Unknown', ...(p.Config?.CPUs !== undefined ? { cpus: p.Config.CPUs } : {}),
    ...(p.Config?.Memory !== undefined ? { memoryMiB: p.Config.Memory } : {}), ...(p.Config?.Driver ? { driver: p.Config.Driver } : {}) };
}

/** Why an existing profile cannot host these settings (minikube cannot grow a cluster), or undefined. */
export function tooSmall(p: ProfileInfo, s: PlanContext['settings']): string | undefined {
  const short: string[] = [];
  if (p.cpus !== undefined && p.cpus < s.cpus) short.push(`${p.cpus} CPUs (settings want ${s.cpus})`);
  if (p.memoryMiB !== undefined && p.memoryMiB < s.memoryMiB) short.push(`${p.memoryMiB} MiB (settings want ${s.memoryMiB})`);
  return short.length ? `The existing minikube profile "${p.name}" has ${short.join(' and ')}.` : undefined;
}

/**
 * Whether an existing profile is not shown to be the size the settings ask for — another size, or one minikube
 * does not report: what an install that recreates the cluster (PlanContext.recreateCluster) deletes. Equal sizes
 * are kept, so resuming after the delete reuses the new one.
 */
export function sizeDiffers(p: Pick<ProfileInfo, 'cpus' | 'memoryMiB'>, s: PlanContext['settings']): boolean {
  return p.cpus !== s.cpus || p.memoryMiB !== s.memoryMiB;
}

/** The profile's cluster answers through its kube context (it exists, whatever minikube's list says). */
async function clusterAnswers(ctx: StepContext): Promise<boolean> {
  const kc = clusterConfig(ctx);
  return kc ? (await nodeReady(kc, ctx.settings.profile)).ok : false;
}

const sizeText = (p: Pick<ProfileInfo, 'cpus' | 'memoryMiB'>): string =>
  [p.cpus !== undefined ? `${p.cpus} CPUs` : '', p.memoryMiB !== undefined ? `${p.memoryMiB} MiB` : ''].filter(Boolean).join(', ') || 'unknown size';

/**
 * Guide "Using Podman": the podman machine's cgroup v2 hierarchy puts cpuset where kubeadm's preflight does
 * not look ("cpuset cgroup missing … handled by --extra-config=kubeadm.ignore-preflight-errors=SystemVerification"),
 * and the kubelet must use systemd cgroups there. A property of the machine, not of macOS: Linux with a
 * podman machine needs them too.
 */
export const PODMAN_MACHINE_FLAGS = ['--extra-config=kubelet.cgroup-driver=systemd', '--extra-config=kubeadm.ignore-preflight-errors=SystemVerification'];

/**
 * `--mount --mount-string=<host>:<node>`: binds the host's model cache (settings modelCache) into the node.
 * The KIC drivers (docker, podman) make it a bind mount of the node container, so it needs no process kept
 * running (unlike `minikube mount`) — and exists only when minikube creates the node.
 */
export function modelCacheMountArgs(modelCacheDir: string): string[] {
  return ['--mount', `--mount-string=${modelCacheDir}:${MODEL_CACHE.nodePath}`];
}

export function startArgs(plan: PlanContext, opts: { existing?: boolean; keepContext?: boolean; modelCacheDir?: string } = {}): string[] {
  const s = plan.settings;
  const args = ['start', '-p', s.profile];
  if (!opts.existing) {
    args.push(`--driver=${plan.driver}`, `--memory=${s.memoryMiB}`, `--cpus=${s.cpus}`, `--disk-size=${s.diskGB}g`);
    if (s.modelCache && opts.modelCacheDir) args.push(...modelCacheMountArgs(opts.modelCacheDir));
    // The guide's flags for minikube inside a podman machine (its VM's cgroup v2 layout), on a Mac or on
    // Linux when the settings ask for a machine: the plan's one rule (shared/fit.ts resolveSetup).
    if (plan.driver === 'podman' && plan.usesPodmanMachine) args.push(...PODMAN_MACHINE_FLAGS);
    if (s.gpu) args.push('--gpus', 'all');
  }
  if (opts.keepContext) args.push('--keep-context');
  args.push('--output=json');
  return args;
}

/** The current context of the kubeconfig minikube writes to, when the person has one (kept as it is). */
function currentContext(env: NodeJS.ProcessEnv): string | undefined {
  const files = (env.KUBECONFIG ?? '').split(path.delimiter).filter(Boolean);
  for (const f of files.length ? files : [path.join(env.HOME ?? '', '.kube', 'config')]) {
    try {
      const doc = YAML.parse(fs.readFileSync(f, 'utf8')) as { 'current-context'?: string } | null;
      if (doc?.['current-context']) return doc['current-context'];
    } catch {
      // missing or unreadable file: no current context from it
    }
  }
  return undefined;
}

interface MinikubeEvent { type: string; data: Record<string, string> }
const parseEvent = (line: string): MinikubeEvent | undefined => {
  if (!line.startsWith('{')) return undefined;
  try {
    const e = JSON.parse(line) as { type?: unknown; data?: unknown };
    return typeof e.type === 'string' && typeof e.data === 'object' && e.data ? { type: e.type, data: e.data as Record<string, string> } : undefined;
  } catch {
    return undefined;
  }
};

/** Size verified for this profile (so detect need not run `minikube profile list` again). */
const VerifiedCluster = z.object({ profile: z.string(), server: z.string(), cpus: z.number().optional(), memoryMiB: z.number().optional() });
type VerifiedCluster = z.infer<typeof VerifiedCluster>;
const recordName = (profile: string) => `cluster-${profile}.json`;

async function readProfile(ctx: StepContext): Promise<ProfileInfo | undefined> {
  const res = await ctx.run('minikube', ['profile', 'list', '-o', 'json'], { quiet: true, okExitCodes: Array.from({ length: 256 }, (_, i) => i) });
  return parseProfileList(res.stdout, ctx.settings.profile);
}

function remember(ctx: StepContext, p: ProfileInfo | undefined): void {
  // A record that knows no size is worse than none: detect would take "no size" for "no difference" and
  // skip the check (a recreating install then kept the old cluster). Without one, detect asks minikube again.
  if (p?.cpus === undefined && p?.memoryMiB === undefined) {
    removeRecord(ctx, recordName(ctx.settings.profile));
    return;
  }
  const server = clusterConfig(ctx)?.getCurrentCluster()?.server ?? '';
  writeRecord(ctx, recordName(ctx.settings.profile), { profile: ctx.settings.profile, server,
    ...(p?.cpus !== undefined ? { cpus: p.cpus } : {}), ...(p?.memoryMiB !== undefined ? { memoryMiB: p.memoryMiB } : {}) } satisfies VerifiedCluster);
}

/**
 * Deletes the profile a recreating install replaces. Its port-forwards go first: they point into this cluster,
 * and a forwarder left running would hold the gateway's port with nothing behind it.
 */
async function deleteForRecreate(ctx: StepContext, existing: ProfileInfo): Promise<void> {
  const profile = ctx.settings.profile;
  ctx.log(`Recreating the cluster: profile "${profile}" has ${sizeText(existing)} and the settings want ${ctx.settings.cpus} CPUs, ${ctx.settings.memoryMiB} MiB; minikube cannot resize a cluster, so it is deleted with everything in it.`);
  const stopped = await stopAllForwards(ctx.paths.runDir);
  if (stopped.length) ctx.log(`Stopped the port-forwards into it: ${stopped.join(', ')}.`);
  await ctx.run('minikube', ['delete', '-p', profile]);
  removeRecord(ctx, recordName(profile));
}

export const minikubeStart: Step = {
  id: 'minikube-start',
  title: 'Start the cluster',
  needs: ['prerequisites', 'podman-machine', 'image-check'],
  describe(plan) {
    return {
      commands: [
        ['minikube', 'profile', 'list', '-o', 'json'],
        ...(plan.recreateCluster ? [['minikube', 'delete', '-p', plan.settings.profile]] : []),
        ['minikube', ...startArgs(plan, { modelCacheDir: plan.cacheDirs.models })],
        ...(plan.settings.imageCache ? keptImageRefs(plan).map((i) => ['minikube', 'image', 'load', imageCacheFile(plan.cacheDirs.images, i), '-p', plan.settings.profile]) : []),
      ],
      notes: [
        ...(plan.recreateCluster
          ? [`Recreates the cluster: an existing profile "${plan.settings.profile}" of another size than ${plan.settings.cpus} CPUs / ${plan.settings.memoryMiB} MiB is deleted first (\`minikube delete -p ${plan.settings.profile}\`) with everything in it, and its port-forwards are stopped; minikube cannot resize a cluster.`]
          : []),
        ...(plan.settings.modelCache
          ? [`Model cache on: binds ${plan.cacheDirs.models} into the node at ${MODEL_CACHE.nodePath}, so every replica shares one download of the weights and it survives deleting the cluster (only a cluster created now gets the mount).${plan.cacheUse ? ` It holds ${diskSize(plan.cacheUse.models.bytes)} now.` : ''}`]
          : ['Model cache off: each replica downloads the model weights at every pod start.']),
        ...(plan.settings.imageCache
          ? [`Image cache on: once a new cluster answers, loads the images kept in ${plan.cacheDirs.images} — the stack's and its monitoring and gateway charts' (those that are there) — before any pod can start, so none is downloaded again.`]
          : []),
        `Reuses a running profile "${plan.settings.profile}" when it is large enough; refuses one that is smaller than the settings (minikube cannot resize a cluster).`,
        'Adds --keep-context when you already have a current kubectl context: the app talks to the profile\'s context without switching yours.',
      ],
    };
  },
  async detect(ctx) {
    const kc = clusterConfig(ctx);
    if (!kc) return { state: 'todo', reason: `no cluster "${ctx.settings.profile}" yet` };
    const ready = await nodeReady(kc, ctx.settings.profile);
    if (!ready.ok) return { state: 'todo', reason: `cluster "${ctx.settings.profile}" is not running (${ready.why ?? ''})` };
    if (ctx.recreateCluster) {
      // The install was asked to recreate the cluster: judge minikube's own answer now, not a record; one of
      // the settings' size is kept (a resume after the delete).
      const now = await readProfile(ctx);
      if (!now || sizeDiffers(now, ctx.settings)) {
        return { state: 'todo', reason: `cluster "${ctx.settings.profile}" has ${now ? sizeText(now) : 'a size minikube does not report'}: this install deletes it and creates it with ${ctx.settings.cpus} CPUs, ${ctx.settings.memoryMiB} MiB` };
      }
      return { state: 'done', detail: `cluster "${ctx.settings.profile}" is running with ${sizeText(now)}` };
    }
    const server = kc.getCurrentCluster()?.server ?? '';
    let verified = readRecord(ctx, recordName(ctx.settings.profile), VerifiedCluster);
    if (!verified || verified.server !== server) {
      // A cluster we have not sized yet (started by hand, or before this app): ask minikube once.
      const p = await readProfile(ctx);
      remember(ctx, p);
      verified = readRecord(ctx, recordName(ctx.settings.profile), VerifiedCluster);
    }
    const small = verified ? tooSmall({ name: ctx.settings.profile, status: 'OK', ...(verified.cpus !== undefined ? { cpus: verified.cpus } : {}), ...(verified.memoryMiB !== undefined ? { memoryMiB: verified.memoryMiB } : {}) }, ctx.settings) : undefined;
    if (small) return { state: 'blocked', reason: small, hint: `Delete it (\`minikube delete -p ${ctx.settings.profile}\`, or tear down with "delete the cluster") or lower the settings.` };
    return { state: 'done', detail: `cluster "${ctx.settings.profile}" is running` };
  },
  async run(ctx) {
    let existing = await readProfile(ctx);
    // A profile minikube lists without a size, or one it does not list while the cluster answers, cannot be
    // shown to be the new size: a recreating install deletes it too (the person agreed to the delete), so the
    // new cluster is surely the size the settings ask.
    if (ctx.recreateCluster && (existing ? sizeDiffers(existing, ctx.settings) : await clusterAnswers(ctx))) {
      await deleteForRecreate(ctx, existing ?? { name: ctx.settings.profile, status: 'Unknown' });
      existing = undefined;
    }
    if (existing) {
      const small = tooSmall(existing, ctx.settings);
      if (small) {
        throw new ApiException('CONFLICT', `${small} minikube cannot resize an existing cluster.`,
          `Delete it (\`minikube delete -p ${ctx.settings.profile}\`, or tear down with "delete the cluster") and retry, or lower the CPUs/memory in the settings.`);
      }
      ctx.log(`Profile "${existing.name}" exists (${existing.status}${existing.cpus ? `, ${existing.cpus} CPUs` : ''}${existing.memoryMiB ? `, ${existing.memoryMiB} MiB` : ''}).`);
      const kc = clusterConfig(ctx);
      if (existing.status === 'OK' && kc && (await nodeReady(kc, ctx.settings.profile)).ok) {
        ctx.log('It is running and large enough: reusing it.');
        remember(ctx, existing);
        return;
      }
    }
    const current = currentContext(ctx.env);
    const keepContext = current !== undefined && current !== ctx.settings.profile;
    if (keepContext) ctx.log(`Keeping your current kubectl context "${current}"; the app uses the "${ctx.settings.profile}" context explicitly.`);
    let failure: MinikubeEvent['data'] | undefined;
    try {
      if (ctx.settings.modelCache && !existing) fs.mkdirSync(ctx.paths.modelCacheDir, { recursive: true });
      if (ctx.settings.modelCache && existing) ctx.log(`Model cache: the existing cluster keeps the mounts it was created with; the weights are cached in the node, not on the host, until it is deleted and created again.`);
      await runWithLines(ctx, 'minikube', startArgs(ctx, { existing: existing !== undefined, keepContext, modelCacheDir: ctx.paths.modelCacheDir }), (line) => {
        const e = parseEvent(line);
        if (!e) return ctx.log(line);
        const d = e.data;
        if (e.type.endsWith('.step')) {
          const cur = Number(d.currentstep);
          const total = Number(d.totalsteps);
          ctx.log(d.message ?? d.name ?? '');
          if (total > 0 && Number.isFinite(cur)) ctx.progress(Math.max(0, Math.min(1, cur / total)), d.name ?? d.message);
        } else if (e.type.endsWith('.error')) {
          failure = d;
          ctx.log(`Error ${d.name ?? ''}: ${d.message ?? ''}${d.advice ? ` — ${d.advice}` : ''}`);
        } else if (d.message) {
          ctx.log(d.message);
        }
      });
    } catch (e) {
      if (e instanceof ProcessError && !e.cancelled && failure) {
        throw new ApiException('TOOL_FAILED', `minikube start failed (${failure.name ?? `exit ${e.exitCode ?? '?'}`}): ${failure.message ?? e.message}`, failure.advice || e.hint);
      }
      throw e;
    }
    const kc = clusterConfig(ctx);
    const ready = kc ? await nodeReady(kc, ctx.settings.profile) : { ok: false, why: 'minikube wrote no context' };
    if (!ready.ok) throw new ApiException('KUBE', `minikube start finished but the cluster does not answer (${ready.why ?? ''}).`, `Run \`minikube status -p ${ctx.settings.profile}\` and see the step log.`);
    remember(ctx, await readProfile(ctx));
    if (ctx.settings.imageCache) {
      // Before anything can create a pod: a kubelet that finds the image missing would pull it from the registry.
      ctx.progress(0.97, 'loading kept images');
      await loadKeptImages(ctx);
    }
    ctx.progress(1, 'cluster running');
  },
  async undo(ctx, opts) {
    const profile = ctx.settings.profile;
    if (opts.deleteCluster) {
      await ctx.run('minikube', ['delete', '-p', profile]);
      removeRecord(ctx, recordName(profile));
    } else if (opts.stopCluster) {
      const p = await readProfile(ctx);
      if (p) await ctx.run('minikube', ['stop', '-p', profile]);
      else ctx.log(`No minikube profile "${profile}" to stop.`);
    }
  },
};
