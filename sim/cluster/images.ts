// The node's container images: what `minikube image ls` lists and what the kubelet pulls. Kept in the
// profile's folder so `minikube image pull` (another process) and the cluster process share it.
import { join } from 'node:path';
import { imageSizeMB, type Scenario } from '../scenario.js';
import { clusterDir, readJson, updateJson } from '../state.js';
import { recordFetch } from '../fetches.js';
import { normalizeImage } from '../../shared/image-ref.js';

export { normalizeImage };

export interface NodeImage { name: string; sizeBytes: number }

const file = (state: string, profile: string) => join(clusterDir(state, profile), 'images.json');

export function listImages(state: string, profile: string): NodeImage[] {
  return readJson<NodeImage[]>(file(state, profile), []);
}

export function hasImage(state: string, profile: string, image: string): boolean {
  const n = normalizeImage(image);
  return listImages(state, profile).some((i) => i.name === n);
}

/**
 * How an image reached the node: `pull` downloads it from its registry (counted in sim/fetches.ts), `load`
 * copies it from a tarball on the host (`minikube image load`), `preload` was there when the node was made.
 */
export type ImageSource = 'pull' | 'load' | 'preload';

export function addImage(state: string, profile: string, scenario: Scenario, image: string, source: ImageSource = 'pull'): NodeImage {
  const name = normalizeImage(image);
  const entry = { name, sizeBytes: Math.round(imageSizeMB(scenario, name) * 1_000_000) };
  // Under the file's lock: the pull processes and the kubelet add at the same time.
  updateJson<NodeImage[]>(file(state, profile), [], (before) => {
    // A pull that lands after another pull of the same image (containerd shares the layers) fetched nothing more.
    if (source === 'pull' && !before.some((i) => i.name === name)) recordFetch(state, { kind: 'image', name, bytes: entry.sizeBytes });
    return [...before.filter((i) => i.name !== name), entry];
  });
  return entry;
}

/** Scaled milliseconds copying this image between a host tarball and the node takes (save or load). */
export const diskCopyMs = (scenario: Scenario, image: string): number =>
  Math.round((imageSizeMB(scenario, normalizeImage(image)) / scenario.images.diskMBps) * 1000 * scenario.timeScale);

/** Scaled milliseconds a pull of this image takes at the scenario's speed. */
export const pullMs = (scenario: Scenario, image: string): number =>
  Math.round((imageSizeMB(scenario, normalizeImage(image)) / scenario.images.pullMBps) * 1000 * scenario.timeScale);
