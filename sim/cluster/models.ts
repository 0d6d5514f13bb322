// Model weights as vLLM gets them: at start, `huggingface_hub` looks in its cache for the model and
// downloads what is missing from the Hub (sim/fetches.ts counts the bytes). Where that cache lives decides
// who shares it, as on a real node:
// - the cache dir is HF_HUB_CACHE, else HF_HOME/hub, else ~/.cache/huggingface/hub (huggingface_hub
//   constants.py; the vLLM images run as root, so ~ is /root);
// - the volume mounted there: an emptyDir lives as long as the pod (every new replica downloads again), a
//   hostPath as long as the node, and a hostPath inside a folder the node mounts from the host
//   (`minikube start --mount-string`) as long as that host folder — across `minikube delete`;
// - none: the container's own filesystem, gone with each container start.
// Two replicas sharing one cache download once: huggingface_hub holds a file lock per blob while it
// downloads, so the second waits and then finds the weights (here: one in-flight download per cache key).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { KubeObject } from '../apiserver/types.js';
import { recordFetch } from '../fetches.js';
import { modelSizeMB, type Scenario, scaledMs } from '../scenario.js';
import { clusterDir, readJson } from '../state.js';
import { configFile, type ClusterConfig } from './paths.js';

interface VolumeMount { name: string; mountPath: string }
interface Volume { name: string; hostPath?: { path: string }; emptyDir?: unknown; persistentVolumeClaim?: unknown }
interface PodContainer { name: string; env?: Array<{ name: string; value?: string }>; volumeMounts?: VolumeMount[] }

/** Where this container's Hub cache is: a folder on the host (or the sim's node disk), or a scope in memory. */
export type CacheHome = { kind: 'dir'; dir: string; shared: 'host' | 'node' } | { kind: 'memory'; key: string };

export function hubCacheDir(env: PodContainer['env']): string {
  const get = (n: string) => env?.find((e) => e.name === n)?.value;
  return get('HF_HUB_CACHE') ?? (get('HF_HOME') ? posix.join(get('HF_HOME')!, 'hub') : '/root/.cache/huggingface/hub');
}

export function cacheHome(state: string, profile: string, pod: KubeObject, containerName: string, restarts: number): CacheHome {
  const spec = pod.spec as { containers?: PodContainer[]; volumes?: Volume[] } | undefined;
  const c = spec?.containers?.find((x) => x.name === containerName);
  const dir = hubCacheDir(c?.env);
  const mount = (c?.volumeMounts ?? []).filter((m) => dir === m.mountPath || dir.startsWith(`${m.mountPath.replace(/\/$/, '')}/`))
    .sort((a, b) => b.mountPath.length - a.mountPath.length)[0];
  const volume = mount ? spec?.volumes?.find((v) => v.name === mount.name) : undefined;
  const uid = pod.metadata.uid ?? pod.metadata.name;
  if (!mount || !volume) return { kind: 'memory', key: `container:${uid}:${containerName}:${restarts}` };
  if (!volume.hostPath) return { kind: 'memory', key: `pod:${uid}:${volume.name}` };
  const nodePath = posix.join(volume.hostPath.path, posix.relative(mount.mountPath, dir));
  const mounts = readJson<ClusterConfig | undefined>(configFile(state, profile), undefined)?.mounts ?? [];
  const m = mounts.find((x) => nodePath === x.node || nodePath.startsWith(`${x.node.replace(/\/$/, '')}/`));
  if (m) return { kind: 'dir', dir: join(m.host, posix.relative(m.node, nodePath)), shared: 'host' };
  return { kind: 'dir', dir: join(clusterDir(state, profile), 'node-fs', nodePath), shared: 'node' };
}

/** The Hub's folder name for a model repo (huggingface_hub file_download.py repo_folder_name). */
export const repoFolder = (model: string): string => `models--${model.split('/').join('--')}`;

export class ModelDownloads {
  private readonly memory = new Set<string>();
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(private readonly ctx: { state: string; profile: string; scenario: Scenario }) {}

  /**
   * Makes the model's weights present in the container's cache, downloading them when missing; `wait` is the
   * pod's own (it ends when the pod is stopped). Resolves with the bytes this container fetched.
   */
  async ensure(pod: KubeObject, containerName: string, restarts: number, model: string, wait: (ms: number) => Promise<void>): Promise<number> {
    const home = cacheHome(this.ctx.state, this.ctx.profile, pod, containerName, restarts);
    const marker = home.kind === 'dir' ? join(home.dir, repoFolder(model), 'sim-weights.json') : undefined;
    const key = home.kind === 'dir' ? `dir:${home.dir}:${model}` : `${home.key}:${model}`;
    const present = () => (marker ? existsSync(marker) : this.memory.has(key));
    for (;;) {
      if (present()) return 0;
      const other = this.inFlight.get(key);
      if (!other) break;
      // Another replica holds the blob's lock: wait for it, then look again.
      await Promise.race([other.catch(() => undefined), wait(24 * 3600_000)]);
    }
    const sc = this.ctx.scenario;
    const bytes = Math.round(modelSizeMB(sc, model) * 1_000_000);
    const download = wait(scaledMs(sc, modelSizeMB(sc, model) / sc.models.downloadMBps)).then(() => {
      recordFetch(this.ctx.state, { kind: 'model', model, pod: pod.metadata.name, bytes });
      if (marker && home.kind === 'dir') {
        mkdirSync(join(home.dir, repoFolder(model)), { recursive: true });
        writeFileSync(marker, JSON.stringify({ model, bytes }));
      } else this.memory.add(key);
    });
    this.inFlight.set(key, download);
    try {
      await download;
    } finally {
      this.inFlight.delete(key);
    }
    return bytes;
  }
}
