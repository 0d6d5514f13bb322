// Issue #16, "never download the same bytes twice", against the simulated world (which counts every byte
// fetched from a registry or the Hugging Face Hub, sim/fetches.ts): install, `down --delete-cluster`,
// install again — the second install fetches no image and no model byte, and on the first install only one
// replica downloads the weights (the other finds them in the shared cache). With both caches off the same
// journey downloads everything again: the figure the caches save.
// Monitoring is on (the default): the image cache keeps its chart's images (Prometheus, Grafana, …) too, as
// the release names them (release.yaml charts.monitoring.images), so they are not fetched again either.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readFetches } from '../../../sim/fetches.js';
import { simWorlds } from './sim-worlds.testkit.js';

const { ROOT, world, cli, cleanup } = simWorlds();
afterAll(cleanup);

async function installDeleteInstall(settings: Record<string, unknown>) {
  const { env } = await world([]);
  fs.mkdirSync(env.LLMD_INSTALLER_HOME!, { recursive: true });
  fs.writeFileSync(path.join(env.LLMD_INSTALLER_HOME!, 'settings.json'), JSON.stringify(settings));
  const mirror = pathToFileURL(path.join(ROOT, 'sim', 'mirror')).href;
  const state = env.LLMD_SIM_STATE!;

  const first = await cli(['up', '--yes', '--mirror', mirror], env);
  expect(first.code, `${first.out}\n${first.err}`).toBe(0);
  const firstFetches = readFetches(state);
  const down = await cli(['down', '--delete-cluster', '--yes'], env);
  expect(down.code, `${down.out}\n${down.err}`).toBe(0);
  expect(fs.readdirSync(path.join(state, 'clusters'))).toEqual([]);

  const since = new Date().toISOString();
  const second = await cli(['up', '--yes', '--mirror', mirror], env);
  expect(second.code, `${second.out}\n${second.err}`).toBe(0);
  const secondFetches = readFetches(state, since);
  await cli(['down', '--delete-cluster', '--yes'], env);
  return { first: firstFetches, second: secondFetches, out: second.out };
}

const modelFetches = (f: ReturnType<typeof readFetches>) => f.fetches.filter((x) => x.kind === 'model');

describe('caches across a deleted cluster', () => {
  it('the second install after `down --delete-cluster` fetches 0 bytes of images and model; the second replica fetched no model bytes on the first', { timeout: 300_000 }, async () => {
    const { first, second, out } = await installDeleteInstall({});
    expect(first.imageBytes).toBeGreaterThan(0);
    // The monitoring chart's images were fetched the first time (so the 0 below covers them too).
    expect(first.fetches.flatMap((f) => (f.kind === 'image' ? [f.name] : []))).toEqual(expect.arrayContaining(['docker.io/grafana/grafana:13.2.0', 'quay.io/prometheus/prometheus:v3.14.0-distroless']));
    // Two replicas, one download: the other waited on it and read the shared cache.
    expect(modelFetches(first).map((f) => f.model)).toEqual(['HuggingFaceTB/SmolLM2-360M-Instruct']);
    expect(second.imageBytes).toBe(0);
    expect(second.modelBytes).toBe(0);
    expect(out).toMatch(/\[minikube-start\] .*loaded from the host's image cache/);
  });

  it('with both caches off, the same journey downloads the images again and the weights once per replica each time', { timeout: 300_000 }, async () => {
    const { first, second } = await installDeleteInstall({ imageCache: false, modelCache: false });
    expect(modelFetches(first)).toHaveLength(2);
    expect(second.imageBytes).toBe(first.imageBytes);
    expect(modelFetches(second)).toHaveLength(2);
  });
});
