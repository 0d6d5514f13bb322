// The node's container images: what `minikube image ls` lists and what the kubelet pulls. Kept in the
// profile's folder so `minikube image pull` (another process) and the cluster process share it.
import { join } from 'node:path';
import { imageSizeMB, type Scenario } from '../scenario.js';
import { clusterDir, readJson, writeJson } from '../state.js';
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

export function addImage(state: string, profile: string, scenario: Scenario, image: string): NodeImage {
  const name = normalizeImage(image);
  const entry = { name, sizeBytes: Math.round(imageSizeMB(scenario, name) * 1_000_000) };
  const images = listImages(state, profile).filter((i) => i.name !== name);
  writeJson(file(state, profile), [...images, entry]);
  return entry;
}

/** Scaled milliseconds a pull of this image takes at the scenario's speed. */
export const pullMs = (scenario: Scenario, image: string): number =>
  Math.round((imageSizeMB(scenario, normalizeImage(image)) / scenario.images.pullMBps) * 1000 * scenario.timeScale);
