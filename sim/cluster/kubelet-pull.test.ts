// The kubelet's image pull joins one already under way in the node: when another process (the app's
// `minikube image pull`) lands the image first, the kubelet's pull ends then, as containerd shares an
// in-flight pull, instead of taking the full download time again.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ObjectStore } from '../apiserver/types.js';
import { parseScenario } from '../scenario.js';
import { addImage, hasImage } from './images.js';
import { Kubelet } from './kubelet.js';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true }); });

// 4000 MB at 13 MB/s × 0.01: a 3 s pull.
const scenario = parseScenario('timeScale: 0.01\nimages: { pullMBps: 13, sizes: [{ match: vllm, sizeMB: 4000 }] }\n');
const IMAGE = 'docker.io/vllm/vllm-openai-cpu:v0.26.0';

describe('kubelet pull', () => {
  it('ends when another process lands the same image, not after its own full download', async () => {
    const state = fs.mkdtempSync(path.join(os.tmpdir(), 'kubelet-pull-'));
    dirs.push(state);
    // pull() touches only the node's image list, never the object store.
    const kubelet = new Kubelet({ store: {} as unknown as ObjectStore, state, profile: 'minikube', scenario });
    const started = Date.now();
    const pulled = kubelet.pull(IMAGE);
    setTimeout(() => addImage(state, 'minikube', scenario, IMAGE), 300);
    await pulled;
    expect(Date.now() - started).toBeLessThan(2000);
    expect(hasImage(state, 'minikube', IMAGE)).toBe(true);
  });

  it('alone, takes the scenario’s download time and adds the image', async () => {
    const state = fs.mkdtempSync(path.join(os.tmpdir(), 'kubelet-pull-'));
    dirs.push(state);
    const kubelet = new Kubelet({ store: {} as unknown as ObjectStore, state, profile: 'minikube', scenario: parseScenario('timeScale: 0.001\nimages: { pullMBps: 13, sizes: [{ match: vllm, sizeMB: 4000 }] }\n') });
    const started = Date.now();
    await kubelet.pull(IMAGE);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(hasImage(state, 'minikube', IMAGE)).toBe(true);
  });
});
