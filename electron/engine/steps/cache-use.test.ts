// The Plan shows how much disk the download caches take: what cacheUse counts, and the pre-pull's note.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultSettings } from '../../../shared/api/settings.js';
import { planContext } from '../plan/build-plan.js';
import { cacheUse, diskSize } from './cache-use.js';
import { imagePrepull } from './image-prepull.js';
import { minikubeStart } from './minikube-start.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cache-use-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('download caches on disk', () => {
  it('counts the kept tarballs (not a half-written one) and every model file under the Hub cache, not what a link points to', () => {
    const images = path.join(dir, 'images');
    const models = path.join(dir, 'models');
    fs.mkdirSync(images, { recursive: true });
    fs.mkdirSync(path.join(models, 'hub', 'models--x', 'blobs'), { recursive: true });
    fs.mkdirSync(path.join(models, 'hub', 'models--x', 'snapshots', 'abc'), { recursive: true });
    fs.writeFileSync(path.join(images, 'a.tar'), Buffer.alloc(3000));
    fs.writeFileSync(path.join(images, 'b.tar'), Buffer.alloc(2000));
    fs.writeFileSync(path.join(images, 'c.tar.partial'), Buffer.alloc(9000));
    fs.writeFileSync(path.join(models, 'hub', 'models--x', 'blobs', 'sha'), Buffer.alloc(7000));
    fs.symlinkSync(path.join(models, 'hub', 'models--x', 'blobs', 'sha'), path.join(models, 'hub', 'models--x', 'snapshots', 'abc', 'model.safetensors'));
    expect(cacheUse({ images, models })).toEqual({ images: { files: 2, bytes: 5000 }, models: { bytes: 7000 } });
    expect(cacheUse({ images: path.join(dir, 'none'), models: path.join(dir, 'none') })).toEqual({ images: { files: 0, bytes: 0 }, models: { bytes: 0 } });
  });

  it('says in the Plan how much each cache holds', () => {
    expect(diskSize(2_760_000_000)).toBe('2.8 GB');
    expect(diskSize(724_000_000)).toBe('724 MB');
    const plan = planContext(defaultSettings(), {
      platform: 'linux', arch: 'x64', runtimes: { docker: true, podman: false },
      cacheDirs: { images: '/data/cache/images', models: '/data/cache/models' },
      cacheUse: { images: { files: 15, bytes: 10_320_000_000 }, models: { bytes: 724_000_000 } },
    });
    expect(imagePrepull.describe(plan).notes).toContain('The image cache holds 15 images (10.3 GB) in /data/cache/images.');
    expect(minikubeStart.describe(plan).notes?.join(' ')).toContain('It holds 724 MB now.');
  });
});
